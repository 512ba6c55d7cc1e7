package dev.runkit.run;

/**
 * Whether and why a run is to end: set by the part that finds the reason (early stopping, a
 * non-finite loss, a callback's request, a failure) and read by the loop after each iteration. The
 * first reason stands, except that a failure replaces any other.
 */
final class Stopping {

  private StopReason reason;
  private String message;

  /**
   * Asks the run to end.
   *
   * @param reason why
   * @param message the same in words
   */
  void request(StopReason reason, String message) {
    if (this.reason == null || reason == StopReason.FAILED) {
      this.reason = reason;
      this.message = message;
    }
  }

  boolean requested() {
    return reason != null;
  }

  /** Returns the reason, or null while the run goes on. */
  StopReason reason() {
    return reason;
  }

  String message() {
    return message;
  }
}
