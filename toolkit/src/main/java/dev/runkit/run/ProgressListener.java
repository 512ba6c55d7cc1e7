package dev.runkit.run;

/**
 * Receives a fit's progress: the console line implements it, and so can a notebook display (the run
 * package knows nothing of notebooks). Calls come from the training thread at each logging
 * interval, so an implementation should return quickly.
 */
public interface ProgressListener {

  /**
   * Called once before the first iteration.
   *
   * @param total the iterations planned
   */
  default void onStart(long total) {}

  /**
   * Called at each logging interval.
   *
   * @param progress the report
   */
  void onProgress(Progress progress);

  /**
   * Called once when the run ends.
   *
   * @param reason why it ended
   * @param message the same in words
   */
  default void onEnd(StopReason reason, String message) {}
}
