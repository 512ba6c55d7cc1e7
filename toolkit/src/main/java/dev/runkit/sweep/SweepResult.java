package dev.runkit.sweep;

import dev.runkit.config.ConfigFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * What a sweep found: every trial with its parameters and result, as a table and as records, the
 * best trial, and the sweep's directory.
 */
public final class SweepResult {

  private final Path directory;
  private final Space space;
  private final Objective objective;
  private final List<Trial> trials;
  private final List<TrialResult> results;
  private final boolean stopped;
  private final boolean overFactory;

  SweepResult(
      Path directory,
      Space space,
      Objective objective,
      List<Trial> trials,
      List<TrialResult> results,
      boolean stopped,
      boolean overFactory) {
    this.directory = directory;
    this.space = space;
    this.objective = objective;
    this.trials = List.copyOf(trials);
    this.results = List.copyOf(results);
    this.stopped = stopped;
    this.overFactory = overFactory;
  }

  /**
   * Returns the call that continues this sweep after a stop, in Java: {@code Sweep.resume(dir)}, or
   * {@code Sweep.resume(dir, factory)} for a sweep over a {@code Runner} factory (code that its
   * directory cannot hold).
   *
   * @return the call, with this sweep's directory
   */
  public String resumeCall() {
    String dir = "Path.of(\"" + directory + "\")";
    return overFactory ? "Sweep.resume(" + dir + ", factory)" : "Sweep.resume(" + dir + ")";
  }

  /**
   * Tells whether the sweep was stopped before its end ({@code Sweep.stop()}, Ctrl-C, a notebook's
   * Kernel ▸ Interrupt): its running trials stopped at a checkpoint, and {@link #resumeCall()}
   * continues it.
   *
   * @return true for a stopped sweep
   */
  public boolean stopped() {
    return stopped;
  }

  /**
   * Returns the trials in order, each with its latest stop point.
   *
   * @return the trials
   */
  public List<Trial> trials() {
    return trials;
  }

  /**
   * Returns the results in trial order.
   *
   * @return one result per trial
   */
  public List<TrialResult> results() {
    return results;
  }

  /**
   * Returns the objective the sweep optimised.
   *
   * @return the objective
   */
  public Objective objective() {
    return objective;
  }

  /**
   * Returns the sweep directory: {@code sweep.yaml}, {@code trials.jsonl}, {@code trials.csv},
   * {@code best.yaml} and one run directory per trial.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the trials as a table: {@code trial}, one column per dimension (named by its key path),
   * {@code status}, {@code objective}, {@code best_iteration}, {@code iterations}, {@code seconds},
   * {@code message}; the same as {@code trials.csv}.
   *
   * @return a new table
   */
  public Table table() {
    return table(space, trials, results);
  }

  static Table table(Space space, List<Trial> trials, List<TrialResult> results) {
    List<Column<?>> columns = new ArrayList<>();
    IntColumn id = IntColumn.create("trial");
    trials.forEach(t -> id.append(t.id()));
    columns.add(id);
    for (Param p : space.params()) {
      columns.add(paramColumn(p, trials));
    }
    StringColumn status = StringColumn.create("status");
    DoubleColumn objective = DoubleColumn.create("objective");
    LongColumn best = LongColumn.create("best_iteration");
    LongColumn iterations = LongColumn.create("iterations");
    DoubleColumn seconds = DoubleColumn.create("seconds");
    StringColumn message = StringColumn.create("message");
    for (TrialResult r : results) {
      status.append(r.status().name());
      objective.append(r.objective());
      best.append(r.bestIteration());
      iterations.append(r.iterations());
      seconds.append(r.seconds());
      message.append(r.message());
    }
    columns.addAll(List.of(status, objective, best, iterations, seconds, message));
    return Table.create("sweep", columns.toArray(Column<?>[]::new));
  }

  private static Column<?> paramColumn(Param p, List<Trial> trials) {
    List<Object> values = trials.stream().map(t -> t.params().get(p.key())).toList();
    boolean numeric = values.stream().allMatch(v -> v instanceof Number);
    if (p instanceof Param.Int) {
      LongColumn c = LongColumn.create(p.key());
      values.forEach(v -> c.append(((Number) v).longValue()));
      return c;
    }
    if (numeric) {
      DoubleColumn c = DoubleColumn.create(p.key());
      values.forEach(v -> c.append(((Number) v).doubleValue()));
      return c;
    }
    StringColumn c = StringColumn.create(p.key());
    values.forEach(v -> c.append(Values.text(v)));
    return c;
  }

  /**
   * Returns the best completed trial.
   *
   * @return the trial, its result, its config and its run directory
   * @throws IllegalStateException when no trial completed with a value of the objective
   */
  public BestTrial best() {
    return bestIfAny()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no trial completed with a value of "
                        + objective.name()
                        + "; see the status and message columns of table()"));
  }

  /**
   * Returns the best completed trial, if any completed with a value of the objective.
   *
   * @return the trial, or empty
   */
  public Optional<BestTrial> bestIfAny() {
    int best = bestIndex(objective, results);
    if (best < 0) {
      return Optional.empty();
    }
    Trial t = trials.get(best);
    return Optional.of(new BestTrial(t, results.get(best), bestConfig(t), Path.of(t.runDir())));
  }

  /** The index of the best completed result, -1 when none has a value. */
  static int bestIndex(Objective objective, List<TrialResult> results) {
    int best = -1;
    for (int i = 0; i < results.size(); i++) {
      TrialResult r = results.get(i);
      if (r.status() != TrialStatus.COMPLETED || Double.isNaN(r.objective())) {
        continue;
      }
      if (best < 0 || objective.better(r.objective(), results.get(best).objective())) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Returns the search space.
   *
   * @return the dimensions, in order
   */
  public Space space() {
    return space;
  }

  /** The trial's config without RUN_DIR, as YAML; a factory's trial gives its values. */
  static String bestConfig(Trial t) {
    if (t.codeBuilt()) {
      return ConfigFiles.toYaml(new java.util.LinkedHashMap<>(t.params()));
    }
    Map<String, Object> config = t.configMap();
    config.remove("RUN_DIR");
    return ConfigFiles.toYaml(config);
  }

  @Override
  public String toString() {
    return "SweepResult[" + trials.size() + " trials in " + directory + "]";
  }
}
