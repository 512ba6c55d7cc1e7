package dev.runkit.sweep;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs trials: the seam between a sweep's decisions and where training happens (this process,
 * worker processes, a Spark cluster). A sweep submits a trial segment whenever {@link
 * #parallelism()} allows and waits for any future to complete; an executor trains the trial's
 * config in the trial's run directory, continues it from the newest checkpoint there when there is
 * one, stops at {@link Trial#stopAt()}, and completes the future with the result. A failure of the
 * trial is a FAILED result, never an exceptional future; an exceptional future means the executor
 * itself broke, and ends the sweep.
 */
public interface TrialExecutor extends AutoCloseable {

  /**
   * Gets ready to run the trials of a sweep whose run directories lie in a folder, checking before
   * the first trial what would make trials fail later (a cluster that cannot be reached, a folder
   * its machines do not share); nothing by default.
   *
   * @param sweepDirectory the sweep directory (absolute; it may not exist yet)
   * @throws IllegalArgumentException for a problem of the executor's settings, naming what to do
   */
  default void prepare(Path sweepDirectory) {}

  /**
   * Starts a trial segment.
   *
   * @param trial the trial, with the iteration to stop at
   * @return its result, when it is done
   */
  CompletableFuture<TrialResult> submit(Trial trial);

  /**
   * Starts a trial segment and says when it begins training, which is when a sweep tells its
   * listeners ({@link SweepListener#onTrialStart}): at once by default; an executor that queues
   * segments ahead ({@link #queueAhead()}) says so when a worker takes one.
   *
   * @param trial the trial, with the iteration to stop at
   * @param begins run once, on any thread, when the segment begins; never for a segment stopped
   *     before it began
   * @return its result, when it is done
   */
  default CompletableFuture<TrialResult> submit(Trial trial, Runnable begins) {
    begins.run();
    return submit(trial);
  }

  /**
   * Returns how many segments may run at once.
   *
   * @return the number, at least 1
   */
  default int parallelism() {
    return 1;
  }

  /**
   * Returns how many segments beyond {@link #parallelism()} the sweep may submit ahead: an executor
   * that queues them (worker processes) then hands a worker that finishes a segment the next one at
   * once, while the sweep records the result it sent, instead of leaving it idle for that time.
   *
   * @return the number, 0 by default
   */
  default int queueAhead() {
    return 0;
  }

  /**
   * Returns this executor as a {@code SWEEP.EXECUTOR} section.
   *
   * @return {@code {TYPE: name, PARAM: {...}}}
   */
  Map<String, Object> toConfig();

  /**
   * Asks the segments running now, and those submitted later, to stop after their iteration in
   * progress, each writing a checkpoint there; their results come back RUNNING short of their stop
   * points, which a sweep does not record, so that a resumed sweep continues them (Ctrl-C on {@code
   * runkit sweep}). Called from another thread than {@link #submit}; by default segments run on to
   * their stop points.
   */
  default void stop() {}

  /** Releases what the executor holds (worker processes, a cluster session); nothing by default. */
  @Override
  default void close() {}
}
