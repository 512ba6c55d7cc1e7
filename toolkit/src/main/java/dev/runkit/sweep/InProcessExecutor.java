package dev.runkit.sweep;

import ai.djl.ndarray.NDManager;
import dev.runkit.RunResult;
import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import dev.runkit.registry.TypeAndParams;
import dev.runkit.run.Callback;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.RunContext;
import dev.runkit.run.StopReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Runs trials in this process, one at a time, in the thread that submits them (the future is
 * complete when {@link #submit} returns). Each segment builds the trial's config, continues from
 * the newest checkpoint in the trial's run directory when there is one (RunKit's exact resume: a
 * promoted trial is never retrained), and stops at the trial's stop point by asking the run to stop
 * after that iteration, which writes the checkpoint a longer segment continues from. The run's seed
 * reseeds MXNet's engine at the start, so trials run one after another do not perturb each other.
 *
 * <p>The trial's run directory holds {@code config.yaml} (the trial's resolved config), {@code
 * history.csv} (rewritten after each segment) and {@code checkpoints/}, as a run of {@code runkit
 * train} does.
 */
public final class InProcessExecutor implements TrialExecutor {

  private final BooleanSupplier stopRequested;
  private Trial cachedFor;
  private RunConfig cached;
  private volatile boolean stopped;

  private InProcessExecutor(BooleanSupplier stopRequested) {
    this.stopRequested = stopRequested;
  }

  /**
   * Returns an executor that runs trials in this process.
   *
   * @return the executor
   */
  public static InProcessExecutor create() {
    return new InProcessExecutor(() -> false);
  }

  /**
   * Returns an executor that runs trials in this process and also stops them, as {@link #stop()}
   * does, once {@code stopRequested} says so: how a sweep in another process (a Spark driver) asks
   * the segment running here to stop. It is asked after every iteration.
   *
   * @param stopRequested true once the sweep was asked to stop
   * @return the executor
   */
  public static InProcessExecutor create(BooleanSupplier stopRequested) {
    return new InProcessExecutor(stopRequested);
  }

  @Override
  public CompletableFuture<TrialResult> submit(Trial trial) {
    return CompletableFuture.completedFuture(run(trial));
  }

  /**
   * Runs one segment of a trial.
   *
   * @param trial the trial
   * @return its result; a FAILED one for a config the checks refuse or a run that fails
   */
  public TrialResult run(Trial trial) {
    long start = System.nanoTime();
    try {
      return train(trial, start);
    } catch (RuntimeException e) {
      return TrialResult.failed(trial, String.valueOf(e.getMessage()), seconds(start));
    }
  }

  private TrialResult train(Trial trial, long start) {
    RunConfig config = config(trial);
    Path dir = config.runDir();
    List<Long> saved = Checkpoints.periodic(config.checkpointDir());
    long from = saved.isEmpty() ? 0 : saved.get(saved.size() - 1);
    if (from == 0) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
      ConfigFiles.write(config.resolved(), dir.resolve(RunConfig.CONFIG_FILE));
    }
    long total = config.totalIterations();
    try (NDManager manager = NDManager.newBaseManager()) {
      Segment segment =
          new Segment(
              trial.stopAt() < total ? trial.stopAt() : Long.MAX_VALUE,
              () -> stopped || stopRequested.getAsBoolean());
      RunResult r = config.runner(manager, from > 0).quiet().callbacks(segment).fit();
      return result(trial, r, segment, total, dir, start);
    }
  }

  /**
   * The result of a segment's fit, its history written to the run directory's {@code history.csv};
   * closes the run's model.
   */
  static TrialResult result(
      Trial trial, RunResult r, Segment segment, long total, Path dir, long start) {
    if (r.stopReason() == StopReason.INTERRUPTED) {
      // the interrupt was meant for the sweep, whose thread this is: hand it on
      Thread.currentThread().interrupt();
    }
    try {
      List<TrialResult.Row> rows = TrialResult.rows(r.history());
      ConfigFiles.writeAtomically(
          dir.resolve(RunConfig.HISTORY_FILE), tmp -> r.history().write().csv(tmp.toFile()));
      TrialResult.Row best = trial.objective().best(rows);
      return new TrialResult(
          trial.id(),
          status(r, total),
          best == null ? Double.NaN : best.value(),
          best == null ? -1 : best.iteration(),
          r.iterations(),
          segment.startedAt,
          seconds(start),
          rows,
          r.message());
    } finally {
      r.model().close();
    }
  }

  private static TrialStatus status(RunResult r, long total) {
    StopReason reason = r.stopReason();
    if (reason == StopReason.FAILED || reason == StopReason.NON_FINITE) {
      return TrialStatus.FAILED;
    }
    if ((reason == StopReason.REQUESTED || reason == StopReason.INTERRUPTED)
        && r.iterations() < total) {
      return TrialStatus.RUNNING;
    }
    return TrialStatus.COMPLETED;
  }

  /** The trial's config, built once per trial: its segments differ only in their stop point. */
  private RunConfig config(Trial trial) {
    Trial key = trial.stopAt(1);
    if (!key.equals(cachedFor)) {
      cached = trial.config();
      cachedFor = key;
    }
    return cached;
  }

  /**
   * Asks the segment running now, and any submitted later, to stop after the iteration in progress
   * with a checkpoint there; their results are RUNNING short of their stop points. A stopped
   * executor stays stopped: make a new one for another sweep.
   */
  @Override
  public void stop() {
    stopped = true;
  }

  static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig("in_process", Map.of());
  }

  @Override
  public String toString() {
    return "InProcessExecutor";
  }

  /**
   * Notes where the run started (0, or the iteration it resumed at) and asks it to stop once it has
   * trained to the stop point; a run resumed at the stop point (a segment that ended before its
   * result was recorded) stops before training.
   */
  static final class Segment implements Callback {

    private final long stopAt;
    private final BooleanSupplier stopped;
    private long startedAt;

    /**
     * A segment that ends at {@code stopAt}, or earlier once {@code stopped} says the sweep was
     * asked to stop.
     */
    Segment(long stopAt, BooleanSupplier stopped) {
      this.stopAt = stopAt;
      this.stopped = stopped;
    }

    @Override
    public String name() {
      return "sweep-segment";
    }

    @Override
    public void onStart(RunContext context) {
      startedAt = context.iteration();
      stopIfThere(context);
    }

    @Override
    public void onIterationEnd(RunContext context) {
      if (stopped.getAsBoolean() && context.iteration() < stopAt) {
        context.requestStop("the sweep was asked to stop; `sweep resume` continues this trial");
      } else {
        stopIfThere(context);
      }
    }

    private void stopIfThere(RunContext context) {
      if (context.iteration() >= stopAt) {
        context.requestStop("reached iteration " + stopAt + ", the trial's stop point");
      }
    }
  }
}
