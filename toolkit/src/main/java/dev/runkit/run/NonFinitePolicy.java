package dev.runkit.run;

/** What a run does when the training loss becomes NaN or infinite. */
public enum NonFinitePolicy {
  /**
   * End the run with {@link StopReason#NON_FINITE} at the next report (logging interval, validation
   * or checkpoint); no checkpoint is written from the diverged model.
   */
  STOP,
  /**
   * Check the loss of every iteration (one host synchronisation per step) and skip the update when
   * it is not finite; the skipped iterations are counted and logged.
   */
  SKIP
}
