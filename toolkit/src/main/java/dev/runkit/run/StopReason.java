package dev.runkit.run;

/** Why a run ended; the run's result carries it together with a message in words. */
public enum StopReason {
  /** All iterations were done. */
  COMPLETED,
  /** Early stopping saw no improvement for {@code patience} validations. */
  EARLY_STOPPED,
  /** A callback (or the user) asked the run to stop. */
  REQUESTED,
  /**
   * The thread running the fit was interrupted ({@code Thread.interrupt()}; a notebook's Kernel ▸
   * Interrupt): the run stopped after the iteration in progress, as for {@link #REQUESTED}.
   */
  INTERRUPTED,
  /** The loss or the parameters became NaN or infinite. */
  NON_FINITE,
  /** An exception ended the run; the result holds it. */
  FAILED
}
