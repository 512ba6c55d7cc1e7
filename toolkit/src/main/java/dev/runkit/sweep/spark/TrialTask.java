package dev.runkit.sweep.spark;

import dev.runkit.sweep.InProcessExecutor;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task of one trial segment: runs it with the in-process executor's code (the same
 * config, resume from the newest checkpoint in the trial's run directory, stop at the stop point)
 * and returns its result. MXNet's engine (one compute thread) and its random generator are
 * process-wide, so a JVM runs one trial at a time, as the in-process executor does: a task that
 * Spark starts beside another in the same JVM waits for it. A second trial would not train faster,
 * and the seeding that makes a trial exact (at its start, checkpoints and validations) then never
 * interleaves with another trial's.
 */
final class TrialTask implements Function<Trial, TrialResult> {

  /** What each task attempt appends to, in the trial's run directory. */
  static final String LOG_FILE = "spark-tasks.log";

  private static final long serialVersionUID = 1L;

  /** One trial per JVM: the engine's compute thread and generator are shared by every thread. */
  private static final ReentrantLock ONE_TRIAL_PER_JVM = new ReentrantLock();

  @Override
  public TrialResult call(Trial trial) throws Exception {
    SparkJvm.setUpTrialJvm();
    ONE_TRIAL_PER_JVM.lockInterruptibly();
    try {
      logAttempt(trial);
      return InProcessExecutor.create().run(trial);
    } finally {
      ONE_TRIAL_PER_JVM.unlock();
    }
  }

  /**
   * Appends where this attempt runs (executor, host, process), so a rerun after a lost executor can
   * be told from the first attempt.
   */
  private static void logAttempt(Trial trial) throws IOException {
    TaskContext task = TaskContext.get();
    SparkEnv env = SparkEnv.get();
    String line =
        String.format(
            "%s %s to iteration %d: executor %s on %s, pid %d, task attempt %d%n",
            Instant.now(),
            trial.name(),
            trial.stopAt(),
            env == null ? "?" : env.executorId(),
            env == null ? "?" : env.blockManager().blockManagerId().host(),
            ProcessHandle.current().pid(),
            task == null ? 0 : task.attemptNumber());
    Path dir = Path.of(trial.runDir());
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(LOG_FILE),
        line,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
