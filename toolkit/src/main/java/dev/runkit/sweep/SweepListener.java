package dev.runkit.sweep;

import java.nio.file.Path;

/**
 * Hears what a sweep does, on the thread that runs {@link Sweep#fit()}: the seam for live progress
 * in a notebook or on the command line, and for the summary chart of the sweep directory. Every
 * hook does nothing unless overridden. Besides the one given to {@link Sweep#listener}, a sweep
 * tells those its {@link SweepListenerProvider}s offer.
 */
public interface SweepListener {

  /**
   * Called once before the first trial, when every setting has been checked.
   *
   * @param trials how many trials the sweep will start
   * @param directory the sweep directory
   */
  default void onStart(int trials, Path directory) {}

  /**
   * Called when a trial segment begins training: a new trial, or a trial continued to a later stop
   * point. A segment queued ahead for worker processes begins when a worker takes it.
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
   * Called after each segment's end is recorded (after {@link #onTrialEnd}), with every trial so
   * far: what a live display or a summary chart draws. Trials still training show as RUNNING.
   *
   * @param sweep the trials, their results so far, the space, objective and directory
   */
  default void onUpdate(SweepResult sweep) {}

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
