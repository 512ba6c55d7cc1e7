package dev.runkit.sweep.spark;

import dev.runkit.sweep.InProcessExecutor;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialExecutor;
import dev.runkit.sweep.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
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

  /** How often, at most, a running segment looks for the stop file. */
  private static final long STOP_CHECK_NANOS = 200_000_000L;

  private final String stopFile;
  private final String localPool;

  /**
   * A task whose segment stops early, with a checkpoint, once {@code stopFile} exists (the driver
   * writes it when the sweep is asked to stop; it lies in the shared sweep directory). In local
   * mode {@code localPool} names the driver's worker processes that train the trial ({@link
   * LocalTrialProcesses}); null elsewhere.
   */
  TrialTask(Path stopFile, String localPool) {
    this.stopFile = stopFile.toString();
    this.localPool = localPool;
  }

  @Override
  public TrialResult call(Trial trial) throws Exception {
    SparkJvm.setUpTrialJvm();
    if (localPool != null) {
      TrialExecutor pool = LocalTrialProcesses.get(localPool);
      if (pool == null) {
        throw new IllegalStateException("the sweep's local worker processes are closed");
      }
      logAttempt(trial);
      return pool.submit(trial).get();
    }
    ONE_TRIAL_PER_JVM.lockInterruptibly();
    try {
      logAttempt(trial);
      return InProcessExecutor.create(stopRequested(Path.of(stopFile))).run(trial);
    } finally {
      ONE_TRIAL_PER_JVM.unlock();
    }
  }

  /** Whether the file exists, looked at no more often than every 200 ms. */
  private static BooleanSupplier stopRequested(Path file) {
    long[] lastCheck = {System.nanoTime()};
    boolean[] seen = {Files.exists(file)};
    return () -> {
      long now = System.nanoTime();
      if (!seen[0] && now - lastCheck[0] >= STOP_CHECK_NANOS) {
        lastCheck[0] = now;
        seen[0] = Files.exists(file);
      }
      return seen[0];
    };
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
