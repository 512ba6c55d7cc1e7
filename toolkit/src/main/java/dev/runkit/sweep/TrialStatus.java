package dev.runkit.sweep;

/** Where a trial stands. */
public enum TrialStatus {
  /** Started and not finished: training, or stopped at a rung and waiting for a promotion. */
  RUNNING,
  /** Trained to the run length (or stopped early by its own early stopping). */
  COMPLETED,
  /** Stopped by the scheduler before the run length and never continued. */
  PRUNED,
  /** Refused by the config's checks, diverged, or ended by an exception. */
  FAILED
}
