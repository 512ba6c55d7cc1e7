package dev.runkit.sweep;

import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.config.ConfigFiles;
import dev.runkit.registry.Names;
import dev.runkit.registry.TypeAndParams;
import dev.runkit.run.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the trials of a sweep over a {@link RunnerFactory} in this process, one at a time, as {@link
 * InProcessExecutor} runs config trials: each segment asks the factory for the trial's runner, sets
 * the run length, checkpoints in the trial's directory, quiet progress and the stop at the trial's
 * stop point, and continues from the newest checkpoint there when there is one (exact resume, so a
 * promoted trial is never retrained). The factory is code, which no other process can rebuild: only
 * this executor runs such trials.
 *
 * <p>The trial's run directory holds {@code params.yaml} (the trial's values), {@code history.csv}
 * and {@code checkpoints/}.
 */
final class RunnerFactoryExecutor implements TrialExecutor {

  /** The file of a code-built trial's values in its run directory. */
  static final String PARAMS_FILE = "params.yaml";

  private final RunnerFactory factory;
  private final long runLength;
  private volatile boolean stopped;

  RunnerFactoryExecutor(RunnerFactory factory, long runLength) {
    this.factory = factory;
    this.runLength = runLength;
  }

  @Override
  public CompletableFuture<TrialResult> submit(Trial trial) {
    return CompletableFuture.completedFuture(run(trial));
  }

  /**
   * Runs one segment of a trial.
   *
   * @param trial the trial
   * @return its result; a FAILED one when the factory throws, reads a name the space lacks, leaves
   *     a name unread or returns an unusable runner, or when the run fails
   */
  TrialResult run(Trial trial) {
    long start = System.nanoTime();
    try {
      return train(trial, start);
    } catch (RuntimeException e) {
      String m = e.getMessage();
      return TrialResult.failed(
          trial,
          m == null || m.isBlank() ? e.getClass().getSimpleName() : m,
          InProcessExecutor.seconds(start));
    }
  }

  private TrialResult train(Trial trial, long start) {
    Path dir = Path.of(trial.runDir());
    Path checkpoints = dir.resolve("checkpoints");
    List<Long> saved = Checkpoints.periodic(checkpoints);
    long from = saved.isEmpty() ? 0 : saved.get(saved.size() - 1);
    if (from == 0) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
      Map<String, Object> values = new LinkedHashMap<>(trial.params());
      ConfigFiles.writeAtomically(
          dir.resolve(PARAMS_FILE),
          tmp -> Files.writeString(tmp, ConfigFiles.toYaml(values), StandardCharsets.UTF_8));
    }
    Runner runner = build(trial);
    InProcessExecutor.Segment segment =
        new InProcessExecutor.Segment(
            trial.stopAt() < runLength ? trial.stopAt() : Long.MAX_VALUE, () -> stopped);
    try {
      runner.iterations(runLength).checkpoints(Checkpoints.to(checkpoints)).quiet();
      runner.callbacks(segment);
      if (from > 0) {
        runner.resume();
      }
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "the runner factory's Runner cannot take the sweep's settings ("
              + e.getMessage()
              + "); the sweep sets the run length ("
              + runLength
              + " iterations), the checkpoints, resume, progress and callbacks itself: return a"
              + " new Runner without them each call",
          e);
    }
    RunResult r = runner.fit();
    TrialResult result = InProcessExecutor.result(trial, r, segment, runLength, dir, start);
    if (result.status() != TrialStatus.FAILED && trial.objective().best(result.history()) == null) {
      // a config's objective is checked before the first trial; a runner's only shows in its run
      Set<String> reported = new LinkedHashSet<>();
      result.history().stream()
          .filter(row -> Objective.PHASES.contains(row.phase()))
          .forEach(row -> reported.add(row.phase() + "/" + row.metric()));
      String name = trial.objective().name();
      return result.withStatus(
          TrialStatus.FAILED,
          "the run reports no "
              + name
              + "; it reports "
              + reported
              + "."
              + Names.didYouMean(name, reported)
              + " (a validation metric needs validation data and the metric: data(train,"
              + " validation), metrics(...))");
    }
    return result;
  }

  /** Asks the factory for the trial's runner and checks that it read every value. */
  private Runner build(Trial trial) {
    TrialParams params = new TrialParams(trial.id(), trial.params(), runLength);
    Runner runner;
    try {
      runner = factory.build(params);
    } catch (RuntimeException e) {
      String m = e.getMessage();
      throw new IllegalArgumentException(
          "the runner factory failed: "
              + (m == null || m.isBlank()
                  ? e.getClass().getSimpleName()
                  : e instanceof IllegalArgumentException
                      ? m
                      : e.getClass().getSimpleName() + ": " + m),
          e);
    }
    if (runner == null) {
      throw new IllegalArgumentException(
          "the runner factory returned null; return a configured Runner.with(model)...");
    }
    if (!params.unread().isEmpty()) {
      throw new IllegalArgumentException(
          "the runner factory never read "
              + String.join(", ", params.unread())
              + " of the search space, so trials would differ only in name; read each (e.g."
              + " p.number(\""
              + params.unread().get(0)
              + "\")) or take it out of the space");
    }
    return runner;
  }

  @Override
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig("in_process", Map.of());
  }

  @Override
  public String toString() {
    return "in-process executor of a Runner factory";
  }

  /** Asks the segment running now, and any later, to stop after its iteration in progress. */
  @Override
  public void stop() {
    stopped = true;
  }
}
