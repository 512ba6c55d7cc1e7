package dev.runkit.run;

import java.nio.file.Path;
import java.util.Map;

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
   * Called once after {@link #onStart} when the run has a name ({@code Runner.name(...)}), so that
   * the progress of several runs in one output can be told apart.
   *
   * @param name the run's name
   */
  default void onNamed(String name) {}

  /**
   * Called once after {@link #onStart} when the run continues from a checkpoint (a listener is the
   * place to say so: a log line on stderr would show in a notebook cell that asked for quiet).
   *
   * @param checkpoint the checkpoint file it continues from
   * @param iteration the iterations that checkpoint had completed
   */
  default void onResume(Path checkpoint, long iteration) {}

  /**
   * Called once after {@link #onStart} when the model had weights before this fit (an earlier fit
   * trained it, or its user initialized or loaded it) and the run continues from them, as Keras's
   * {@code fit} does; {@code Runner.reinitialize()} starts afresh instead.
   *
   * @param description where the weights come from, in words
   */
  default void onContinue(String description) {}

  /**
   * Called at each logging interval.
   *
   * @param progress the report
   */
  void onProgress(Progress progress);

  /**
   * Called after each validation or test pass (the progress reports carry only the latest values,
   * without the iteration they were measured at).
   *
   * @param iteration the iterations completed when the pass ran
   * @param phase {@code validation} or {@code test}
   * @param values metric name ({@code loss}, {@code accuracy}, ...) to value
   */
  default void onEvaluation(long iteration, String phase, Map<String, Double> values) {}

  /**
   * Called once when the run ends.
   *
   * @param reason why it ended
   * @param message the same in words
   */
  default void onEnd(StopReason reason, String message) {}
}
