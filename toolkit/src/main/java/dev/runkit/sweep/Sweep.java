package dev.runkit.sweep;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Many runs of one config: a search space over its key paths, an objective, a sampler that draws
 * each trial's values, a scheduler that decides how far each trial trains, and an executor that
 * trains them. Everything is checked before the first trial: every key path and every bound or
 * choice against the base config's own checks, the objective against what the run reports, the
 * scheduler against the run length.
 *
 * <pre>{@code
 * SweepResult r = Sweep.of(RunConfig.load(Path.of("digits.yaml"), List.of()))
 *     .space(Space.of()
 *         .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-4, 1e-1)
 *         .choice("MODEL.PARAM.hidden", List.of(64), List.of(128)))
 *     .maximize("validation/accuracy")
 *     .trials(20)
 *     .sampler(Samplers.tpe())
 *     .scheduler(TrialSchedulers.asha().minIterations(100))
 *     .fit();
 * Table trials = r.table();
 * BestTrial best = r.best();
 * }</pre>
 *
 * <p>From a config ({@link #load(Path, List)}): a {@code SWEEP} section in a run config, or a sweep
 * file {@code {BASE: digits.yaml, SWEEP: {...}}} whose {@code BASE} names the run config (relative
 * to the sweep file) or holds it inline. {@code SWEEP} keys: {@code METRIC} ({@code
 * validation/accuracy}, {@code validation accuracy} or {@code accuracy}; default the config's
 * {@code VAL.MONITOR}, else the validation loss), {@code MODE} ({@code max} or {@code min}; default
 * by the metric), {@code TRIALS} (required unless the grid or Hyperband sets it), {@code SEED}
 * (default 0), {@code SAMPLER {TYPE, PARAM}} (default {@code grid} when every dimension is a grid,
 * else {@code tpe}), {@code SCHEDULER {TYPE, PARAM}} (default {@code fifo}), {@code EXECUTOR {TYPE,
 * PARAM}} (default {@code in_process}), {@code SPACE} (see {@link Space}), {@code DIR} (default the
 * base config's {@code RUN_DIR} with {@code -sweep} appended).
 *
 * <p>The sweep directory holds {@code sweep.yaml} (the resolved sweep, itself a sweep file), {@code
 * trials.jsonl} (the append-only event log a later resume replays), {@code trials.csv} (rewritten
 * as trials end), {@code best.yaml} (the best completed trial's config) and one run directory per
 * trial ({@code trial-000/}, ...). A trial that fails is recorded FAILED with its message and the
 * sweep goes on. A Sweep is single-use.
 */
public final class Sweep {

  /** Keys a search space may not hold, and why. */
  private static final Map<String, String> NOT_SEARCHED =
      Map.of(
          "RUN_DIR",
          "the sweep gives each trial its own run directory",
          "TRAIN.NUM_ITERATIONS",
          "every trial trains the base config's run length, the schedulers' horizon (a scheduler"
              + " stops trials early)",
          "TRAIN.NUM_EPOCHS",
          "every trial trains the base config's run length, the schedulers' horizon (a scheduler"
              + " stops trials early)");

  private final RunConfig base;
  private final boolean fromConfig;
  private final Set<String> set = new HashSet<>();
  private Space space = Space.of();
  private String metric;
  private Boolean maximize;
  private int trials;
  private long seed;
  private Sampler sampler;
  private TrialScheduler scheduler;
  private TrialExecutor executor;
  private Path directory;
  private SweepListener listener = new SweepListener() {};
  private boolean ownsExecutor = true;
  private boolean fitted;

  // the state of a fit
  private Objective objective;
  private SweepLog log;
  private String baseText;
  private final List<Trial> started = new ArrayList<>();
  private final Map<Integer, TrialResult> results = new TreeMap<>();
  private final Map<Integer, CompletableFuture<TrialResult>> inFlight = new TreeMap<>();
  private int bestWritten = -1;

  Sweep(RunConfig base, boolean fromConfig) {
    this.base = Objects.requireNonNull(base, "base");
    this.fromConfig = fromConfig;
  }

  /**
   * Starts a sweep over a checked run config.
   *
   * @param base the base config
   * @return the sweep, to configure
   */
  public static Sweep of(RunConfig base) {
    return new Sweep(base, false);
  }

  /**
   * Reads a sweep from a file: a run config with a {@code SWEEP} section, or a sweep file {@code
   * {BASE, SWEEP}}; everything is checked when {@link #fit()} starts, the config's keys at once.
   *
   * @param file the YAML or JSON file
   * @return the sweep
   * @throws IllegalArgumentException for a missing file, an unknown key (with the nearest), or a
   *     bad value, each with its key path
   */
  public static Sweep load(Path file) {
    return load(file, List.of());
  }

  /**
   * Reads a sweep from a file and applies {@code KEY=VALUE} overrides, as {@code --set} does:
   * {@code SWEEP.TRIALS=5}, or a key of the base config ({@code TRAIN.NUM_ITERATIONS=300}), also
   * for a sweep file whose {@code BASE} names another file.
   *
   * @param file the YAML or JSON file
   * @param overrides the assignments, in order
   * @return the sweep
   * @throws IllegalArgumentException as {@link #load(Path)}, or for a bad override
   */
  public static Sweep load(Path file, List<String> overrides) {
    return SweepConfig.load(file, overrides);
  }

  /**
   * Reads a sweep given as YAML text (a run config with {@code SWEEP}, or {@code {BASE, SWEEP}});
   * relative paths are read against the working directory.
   *
   * @param yaml the text
   * @return the sweep
   * @throws IllegalArgumentException as {@link #load(Path)}
   */
  public static Sweep parse(String yaml) {
    return SweepConfig.parse(yaml, List.of());
  }

  private void once(String name) {
    if (fitted) {
      throw new IllegalStateException("this Sweep has already run fit(); make a new one");
    }
    if (!set.add(name)) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  /**
   * Sets the search space.
   *
   * @param space the dimensions, at least one
   * @return this sweep
   * @throws IllegalArgumentException for an empty space
   */
  public Sweep space(Space space) {
    Objects.requireNonNull(space, "space");
    if (space.isEmpty()) {
      throw new IllegalArgumentException(
          "the search space is empty; add dimensions, e.g. Space.of().loguniform(\"TRAIN.OPTIM"
              + ".PARAM.lr\", 1e-4, 1e-1)");
    }
    once("space");
    this.space = space;
    return this;
  }

  /**
   * Sets the objective, its direction taken from the metric (larger is better for accuracy, smaller
   * for the loss and errors).
   *
   * @param metric {@code validation/accuracy}, {@code validation accuracy} or {@code accuracy}
   * @return this sweep
   */
  public Sweep objective(String metric) {
    Objective.parse(metric, false);
    once("objective");
    this.metric = metric;
    return this;
  }

  /**
   * Sets an objective to maximise.
   *
   * @param metric {@code validation/accuracy}, {@code validation accuracy} or {@code accuracy}
   * @return this sweep
   */
  public Sweep maximize(String metric) {
    objective(metric);
    this.maximize = true;
    return this;
  }

  /**
   * Sets an objective to minimise.
   *
   * @param metric {@code validation/loss}, {@code validation loss} or {@code loss}
   * @return this sweep
   */
  public Sweep minimize(String metric) {
    objective(metric);
    this.maximize = false;
    return this;
  }

  /**
   * Sets how many trials to start.
   *
   * @param n trials, {@code >= 1}
   * @return this sweep
   */
  public Sweep trials(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("trials must be >= 1, got " + n);
    }
    once("trials");
    this.trials = n;
    return this;
  }

  /**
   * Sets the sweep's seed, which fixes the sampler's draws (default 0); each trial's training seed
   * stays the config's {@code ENV.SEED}, or a searched one.
   *
   * @param seed the seed
   * @return this sweep
   */
  public Sweep seed(long seed) {
    once("seed");
    this.seed = seed;
    return this;
  }

  /**
   * Sets the sampler (default: grid when every dimension is a grid, else TPE).
   *
   * @param sampler the sampler
   * @return this sweep
   */
  public Sweep sampler(Sampler sampler) {
    once("sampler");
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    return this;
  }

  /**
   * Sets the trial scheduler (default: FIFO, every trial to the end).
   *
   * @param scheduler the scheduler; a fit begins it afresh
   * @return this sweep
   */
  public Sweep scheduler(TrialScheduler scheduler) {
    once("scheduler");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * Sets where trials run (default: in this process).
   *
   * @param executor the executor; the caller closes it
   * @return this sweep
   */
  public Sweep executor(TrialExecutor executor) {
    once("executor");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.ownsExecutor = false;
    return this;
  }

  /** Sets an executor the sweep made (from config), which it closes at the end. */
  void ownExecutor(TrialExecutor executor) {
    executor(executor);
    this.ownsExecutor = true;
  }

  /**
   * Sets the sweep directory (default: the base config's {@code RUN_DIR} with {@code -sweep}
   * appended); it must not hold a sweep already.
   *
   * @param dir the directory
   * @return this sweep
   */
  public Sweep directory(Path dir) {
    once("directory");
    this.directory = dir.toAbsolutePath().normalize();
    return this;
  }

  /**
   * Sets a listener for progress.
   *
   * @param listener the listener
   * @return this sweep
   */
  public Sweep listener(SweepListener listener) {
    once("listener");
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Returns the base config.
   *
   * @return the config
   */
  public RunConfig base() {
    return base;
  }

  /**
   * Checks everything, then runs the trials until the scheduler and the trial budget are done.
   *
   * @return the trials, their results and the best
   * @throws IllegalArgumentException before the first trial, for anything the checks refuse (each
   *     message names the key path, the value, what is allowed and the nearest valid name)
   * @throws IllegalStateException if this sweep already ran
   */
  public SweepResult fit() {
    if (fitted) {
      throw new IllegalStateException("this Sweep has already run fit(); make a new one");
    }
    fitted = true;
    int budget = prepare();
    try {
      return run(budget);
    } finally {
      if (ownsExecutor) {
        executor.close();
      }
    }
  }

  // ------------------------------------------------------------------------------ preparation

  private String at(String key) {
    return fromConfig ? "SWEEP." + key : key.toLowerCase(java.util.Locale.ROOT);
  }

  /** Checks every setting and fills in the defaults; returns the trial budget. */
  private int prepare() {
    if (space.isEmpty()) {
      throw new IllegalArgumentException(
          (fromConfig ? "SWEEP.SPACE" : "the search space")
              + " is empty; give the key paths to search, e.g. TRAIN.OPTIM.PARAM.lr:"
              + " loguniform(1e-4, 0.1)");
    }
    checkSpace();
    String name = metric != null ? metric : defaultMetric();
    Objective parsed;
    try {
      parsed = Objective.parse(name, false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at("METRIC") + ": " + e.getMessage(), e);
    }
    boolean max = maximize != null ? maximize : Objective.higherIsBetter(base, parsed.metric());
    objective = new Objective(parsed.phase(), parsed.metric(), max);
    objective.check(base, at("METRIC"));

    if (sampler == null) {
      boolean allGrid = space.params().stream().allMatch(p -> p instanceof Param.Grid);
      sampler = allGrid ? Samplers.grid() : Samplers.tpe();
    }
    try {
      sampler.check(space);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at("SAMPLER") + ": " + e.getMessage(), e);
    }
    if (scheduler == null) {
      scheduler = TrialSchedulers.fifo();
    }
    long runLength = base.totalIterations();
    try {
      scheduler.begin(runLength, measureEvery(runLength));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at("SCHEDULER") + ": " + e.getMessage(), e);
    }
    int budget = budget();
    if (executor == null) {
      executor = InProcessExecutor.create();
    }
    if (directory == null) {
      Path run = base.runDir();
      directory = run.resolveSibling(run.getFileName() + "-sweep");
    }
    SweepLog.requireFree(directory, at("DIR"));
    executor.prepare(directory);
    trials = budget;
    return budget;
  }

  /** Refuses keys the sweep owns, then checks every bound and choice against the base config. */
  private void checkSpace() {
    Map<String, Object> resolved = base.resolved();
    for (Param p : space.params()) {
      String where = (fromConfig ? "SWEEP.SPACE." : "space ") + p.key();
      String why = NOT_SEARCHED.get(p.key());
      if (why == null && (p.key().equals("SWEEP") || p.key().startsWith("SWEEP."))) {
        why = "the sweep's own settings are not a trial's";
      }
      if (why != null) {
        throw new IllegalArgumentException(where + " cannot be searched: " + why);
      }
      for (Object value : p.probes()) {
        Map<String, Object> raw = ConfigFiles.copy(resolved);
        try {
          ConfigFiles.put(raw, p.key(), value);
          RunConfig.from(raw, Path.of(""), "probe");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              where
                  + ": the base config refuses "
                  + p.type()
                  + " value "
                  + Values.text(value)
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
    }
  }

  /** The monitored metric of the base config, else the validation loss, else the training loss. */
  private String defaultMetric() {
    if (base.resolved().get("VAL") instanceof Map<?, ?> val && val.get("MONITOR") != null) {
      return "validation/" + val.get("MONITOR");
    }
    return base.data().validation() != null ? "validation/loss" : "train/loss";
  }

  /**
   * How often a run reports the objective: VAL.INTERVAL (else the runner's default, ten validations
   * per run) for a validation metric, LOG_INTERVAL (else the runner's default, 20 reports per run
   * and at least every 100 iterations) for a training one.
   */
  private long measureEvery(long runLength) {
    Map<String, Object> resolved = base.resolved();
    if (objective.phase().equals("validation")) {
      if (resolved.get("VAL") instanceof Map<?, ?> val && val.get("INTERVAL") instanceof Number n) {
        return n.longValue();
      }
      return Math.max(1, (runLength + 9) / 10);
    }
    if (resolved.get("TRAIN") instanceof Map<?, ?> train
        && train.get("LOG_INTERVAL") instanceof Number n) {
      return n.longValue();
    }
    return Math.max(1, Math.min(100, runLength / 20));
  }

  private int budget() {
    OptionalInt size = sampler.size(space);
    if (set.contains("trials")) {
      if (size.isPresent() && trials > size.getAsInt()) {
        throw new IllegalArgumentException(
            at("TRIALS")
                + " must be at most the grid's "
                + size.getAsInt()
                + " points, got "
                + trials);
      }
      return trials;
    }
    if (size.isPresent()) {
      return size.getAsInt();
    }
    OptionalInt natural = scheduler.trials();
    if (natural.isPresent()) {
      return natural.getAsInt();
    }
    throw new IllegalArgumentException(
        at("TRIALS")
            + " is required with sampler "
            + sampler.toConfig().get("TYPE")
            + ": how many trials to start, e.g. 20");
  }

  /** The resolved sweep: the base config and the SWEEP section with every default filled in. */
  private Map<String, Object> resolved() {
    Map<String, Object> sweep = new LinkedHashMap<>();
    sweep.put("METRIC", objective.name());
    sweep.put("MODE", objective.maximize() ? "max" : "min");
    sweep.put("TRIALS", trials);
    sweep.put("SEED", seed);
    sweep.put("SAMPLER", sampler.toConfig());
    sweep.put("SCHEDULER", scheduler.toConfig());
    sweep.put("EXECUTOR", executor.toConfig());
    sweep.put("SPACE", space.toConfig());
    sweep.put("DIR", directory.toString());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("BASE", base.resolved());
    out.put("SWEEP", sweep);
    return out;
  }

  // ------------------------------------------------------------------------------ the loop

  private SweepResult run(int budget) {
    log = new SweepLog(directory);
    log.begin(resolved());
    baseText = ConfigFiles.toYaml(base.resolved());
    while (true) {
      boolean done = false;
      while (inFlight.size() < Math.max(1, executor.parallelism())) {
        TrialScheduler.Job job = scheduler.next(started.size() < budget);
        if (job.kind() == TrialScheduler.Job.Kind.START) {
          Trial t = newTrial(job);
          started.add(t);
          log.started(t);
          submit(t);
        } else if (job.kind() == TrialScheduler.Job.Kind.CONTINUE) {
          Trial t = started.get(job.trial()).stopAt(job.stopAt());
          started.set(t.id(), t);
          log.continued(t);
          submit(t);
        } else {
          done = job.kind() == TrialScheduler.Job.Kind.DONE;
          break;
        }
      }
      if (inFlight.isEmpty()) {
        if (done) {
          break;
        }
        throw new IllegalStateException(scheduler + " waits, but no trial is running");
      }
      CompletableFuture.anyOf(inFlight.values().toArray(CompletableFuture[]::new)).join();
      for (Integer id : new ArrayList<>(inFlight.keySet())) {
        CompletableFuture<TrialResult> f = inFlight.get(id);
        if (f.isDone()) {
          inFlight.remove(id);
          record(started.get(id), f.join());
        }
      }
    }
    for (Trial t : started) {
      TrialResult r = results.get(t.id());
      if (r.status() == TrialStatus.RUNNING) {
        prune(t.id(), "not promoted past iteration " + r.iterations() + " when the sweep ended");
      }
    }
    writeViews();
    log.end();
    SweepResult result = result();
    listener.onEnd(result);
    return result;
  }

  private Trial newTrial(TrialScheduler.Job job) {
    int id = job.trial();
    if (id != started.size()) {
      throw new IllegalStateException(
          scheduler + " started trial " + id + ", but the next trial is " + started.size());
    }
    Map<String, Object> params = sampler.sample(space, id, observations(), seed);
    long trialSeed = params.get("ENV.SEED") instanceof Number n ? n.longValue() : base.seed();
    String runDir = directory.resolve(Trial.name(id)).toString();
    return new Trial(id, baseText, params, trialSeed, job.stopAt(), runDir, objective);
  }

  private void submit(Trial t) {
    listener.onTrialStart(t);
    inFlight.put(t.id(), executor.submit(t));
  }

  /** The trials a sampler learns from: completed ones and those stopped short, none running. */
  private List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (Trial t : started) {
      TrialResult r = results.get(t.id());
      if (r == null || inFlight.containsKey(t.id())) {
        continue;
      }
      if (r.status() == TrialStatus.COMPLETED) {
        out.add(
            new Observation(
                t.id(),
                t.params(),
                TrialStatus.COMPLETED,
                objective.loss(r.objective()),
                r.iterations()));
      } else if (r.status() == TrialStatus.RUNNING || r.status() == TrialStatus.PRUNED) {
        List<TrialScheduler.Point> points = objective.points(r.history());
        double last =
            points.isEmpty() ? Double.POSITIVE_INFINITY : points.get(points.size() - 1).loss();
        out.add(new Observation(t.id(), t.params(), TrialStatus.PRUNED, last, r.iterations()));
      }
    }
    return out;
  }

  private void record(Trial t, TrialResult r) {
    TrialResult before = results.get(t.id());
    r = r.withSeconds((before == null ? 0 : before.seconds()) + r.seconds());
    results.put(t.id(), r);
    log.result(r, objective);
    scheduler.report(
        new TrialScheduler.Report(
            t.id(),
            r.iterations(),
            objective.points(r.history()),
            r.status() != TrialStatus.RUNNING));
    for (Trial other : started) {
      TrialResult o = results.get(other.id());
      if (o != null
          && o.status() == TrialStatus.RUNNING
          && !inFlight.containsKey(other.id())
          && scheduler.pruned(other.id())) {
        prune(other.id(), "stopped by the scheduler at iteration " + o.iterations());
      }
    }
    writeViews();
    listener.onTrialEnd(t, results.get(t.id()));
  }

  private void prune(int id, String why) {
    results.put(id, results.get(id).withStatus(TrialStatus.PRUNED, why));
    log.pruned(id, why);
  }

  private List<TrialResult> resultsInOrder() {
    List<TrialResult> out = new ArrayList<>();
    for (Trial t : started) {
      TrialResult r = results.get(t.id());
      out.add(
          r != null
              ? r
              : new TrialResult(
                  t.id(), TrialStatus.RUNNING, Double.NaN, -1, 0, 0, 0, List.of(), "running"));
    }
    return out;
  }

  private void writeViews() {
    List<TrialResult> ordered = resultsInOrder();
    log.table(SweepResult.table(space, started, ordered));
    int best = SweepResult.bestIndex(objective, ordered);
    if (best >= 0 && best != bestWritten) {
      log.best(SweepResult.bestConfig(started.get(best)));
      bestWritten = best;
    }
  }

  private SweepResult result() {
    return new SweepResult(directory, space, objective, started, resultsInOrder());
  }
}
