package dev.runkit.sweep;

/**
 * Hears what a sweep does, on the thread that runs {@link Sweep#fit()}: the seam for live progress
 * in a notebook or on the command line. Every hook does nothing unless overridden.
 */
public interface SweepListener {

  /**
   * Called when a trial segment is submitted: a new trial, or a trial continued to a later stop
   * point.
   *
   * @param trial the trial, with its stop point
   */
  default void onTrialStart(Trial trial) {}

  /**
   * Called when a trial segment has ended and its result is recorded (and written to {@code
   * trials.csv}).
   *
   * @param trial the trial
   * @param result its result so far
   */
  default void onTrialEnd(Trial trial, TrialResult result) {}

  /**
   * Called when the scheduler drops a trial that waits at a rung (and at the end of a sweep, for
   * those never promoted); the result is written to {@code trials.csv}.
   *
   * @param trial the trial
   * @param result its result, PRUNED
   */
  default void onTrialPruned(Trial trial, TrialResult result) {}

  /**
   * Called once when the sweep is over (or stopped).
   *
   * @param result the sweep's result
   */
  default void onEnd(SweepResult result) {}
}
