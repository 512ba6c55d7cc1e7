package dev.runkit.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * Hooks into a fit; every hook does nothing unless overridden. A callback may keep state, which is
 * saved in checkpoints ({@link #state()}) and handed back on resume ({@link #restore(Map)}), and
 * may stop the run cooperatively through {@link RunContext#requestStop(String)}. An exception
 * thrown by a hook ends the run with {@link StopReason#FAILED}; it never escapes {@code fit()}.
 */
public interface Callback {

  /**
   * Returns the key under which this callback's state is checkpointed.
   *
   * @return a name unique among the run's callbacks
   */
  default String name() {
    return getClass().getName();
  }

  /**
   * Called once before the first iteration (also after a resume).
   *
   * @param context the run
   */
  default void onStart(RunContext context) {}

  /**
   * Called before each iteration.
   *
   * @param context the run
   */
  default void onIterationStart(RunContext context) {}

  /**
   * Called after each iteration's update has been queued.
   *
   * @param context the run
   */
  default void onIterationEnd(RunContext context) {}

  /**
   * Called after each validation pass.
   *
   * @param context the run
   * @param metrics the validation values, keyed by metric name ({@code loss}, {@code accuracy},
   *     ...)
   */
  default void onValidationEnd(RunContext context, Map<String, Double> metrics) {}

  /**
   * Called after each checkpoint has been written: periodic, final and best ones alike.
   *
   * @param context the run
   * @param file the checkpoint file
   * @param kind why it was written
   */
  default void onCheckpoint(RunContext context, Path file, CheckpointKind kind) {}

  /**
   * Called once when the run ends, however it ends.
   *
   * @param context the run
   * @param reason why it ended
   */
  default void onEnd(RunContext context, StopReason reason) {}

  /**
   * Called when an exception is about to end the run.
   *
   * @param context the run
   * @param error the exception
   */
  default void onException(RunContext context, Throwable error) {}

  /**
   * Exports this callback's state for a checkpoint.
   *
   * @return named values; empty for a stateless callback
   */
  default Map<String, String> state() {
    return Map.of();
  }

  /**
   * Restores state exported by {@link #state()} when a run resumes.
   *
   * @param state the saved values
   */
  default void restore(Map<String, String> state) {}
}
