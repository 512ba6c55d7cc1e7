package dev.runkit.sweep;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import dev.runkit.run.DefaultIntervals;
import java.nio.file.Files;
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
import java.util.concurrent.CompletionException;

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
 * trial ({@code trial-000/}, ...), and {@code summary.png} when a {@link SweepListenerProvider}
 * draws it (the notebook package does). A trial that fails is recorded FAILED with its message and
 * the sweep goes on. {@link #stop()} ends a fit early and {@link #resume(Path)} continues a sweep
 * from its directory, after a stop or a crash. A Sweep is single-use.
 *
 * <p>From code ({@link #of(RunnerFactory, long)}): a {@link RunnerFactory} builds each trial's
 * {@code Runner} from the trial's values, read by plain names ({@code lr}, {@code hidden}); such
 * trials run in this process only.
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
  private final RunnerFactory factory;
  private final long factoryIterations;
  private final boolean fromConfig;
  private final Set<String> set = new HashSet<>();
  private Space space = Space.of();
  private String metric;
  private Boolean maximize;
  private int trials;
  private long seed;
  private Sampler sampler;
  private TrialScheduler scheduler;
  private volatile TrialExecutor executor;
  private Path directory;
  private SweepListener listener = new SweepListener() {};
  private boolean ownsExecutor = true;
  private boolean fitted;
  private boolean resumed;
  private volatile boolean stopping;

  // the state of a fit
  private Objective objective;
  private SweepLog log;
  private String baseText;
  private final List<Trial> started = new ArrayList<>();
  private final Map<Integer, TrialResult> results = new TreeMap<>();
  private SegmentsInFlight inFlight;
  private int bestWritten = -1;

  Sweep(RunConfig base, boolean fromConfig) {
    this.base = Objects.requireNonNull(base, "base");
    this.fromConfig = fromConfig;
    this.factory = null;
    this.factoryIterations = 0;
  }

  private Sweep(RunnerFactory factory, long iterations) {
    this.base = null;
    this.fromConfig = false;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.factoryIterations = iterations;
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
   * Starts a sweep over runs built in code: the factory receives each trial's values by the names
   * of the search space and returns its {@code Runner}; the sweep trains each trial {@code
   * iterations} long (a scheduler stops trials earlier) in its own directory, in this process.
   *
   * <pre>{@code
   * SweepResult r = Sweep.of(p -> Runner.with(Mlp.outputs(10).hidden(p.ints("hidden")).build())
   *         .loss(Loss.softmaxCrossEntropyLoss()).data(digits, 64)
   *         .optimizer(Optimizers.adamW().lr(p.number("lr")))
   *         .metrics(Metrics.accuracy()).validateEvery(30), 300)
   *     .space(Space.of().loguniform("lr", 1e-4, 1e-1).choice("hidden", List.of(32), List.of(64)))
   *     .maximize("validation/accuracy").trials(9)
   *     .scheduler(TrialSchedulers.asha().minIterations(30))
   *     .directory(Path.of("runs/digits-sweep"))
   *     .fit();
   * }</pre>
   *
   * <p>The runner's validation interval is its own, which the sweep cannot read: the schedulers'
   * default first rung (ASHA, Hyperband) and the median rule's interval are the runner's default
   * validation interval, a tenth of the run; give {@code minIterations} (or {@code interval}) when
   * the factory's runner validates at another one. A segment that stops at a rung validates there
   * anyway.
   *
   * @param factory builds a new runner from a trial's values; see {@link RunnerFactory}
   * @param iterations the run length of every trial, {@code >= 1}
   * @return the sweep, to configure ({@link #directory(Path)} is required)
   * @throws IllegalArgumentException if iterations is below 1
   */
  public static Sweep of(RunnerFactory factory, long iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
    }
    return new Sweep(factory, iterations);
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

  /**
   * Reads a sweep back from its directory to continue it after a crash or a stop: the resolved
   * sweep from {@code sweep.yaml}, and on {@link #fit()} its state from {@code trials.jsonl}. The
   * fit runs no recorded segment again, continues the segments that were running from their newest
   * checkpoints, and goes on as the sweep would have; a sweep that had ended trains nothing.
   *
   * <pre>{@code
   * SweepResult r = Sweep.resume(Path.of("runs/digits-sweep")).fit();
   * }</pre>
   *
   * @param dir the sweep directory
   * @return the sweep
   * @throws IllegalArgumentException if the directory holds no sweep
   */
  public static Sweep resume(Path dir) {
    return resume(dir, List.of());
  }

  /**
   * Reads a sweep back from its directory, as {@link #resume(Path)}, with another executor: {@code
   * SWEEP.EXECUTOR=...} overrides, the only setting a resumed sweep may change (trials give the
   * same results wherever they run).
   *
   * @param dir the sweep directory
   * @param overrides {@code KEY=VALUE} assignments under {@code SWEEP.EXECUTOR}
   * @return the sweep
   * @throws IllegalArgumentException if the directory holds no sweep, or for another key
   */
  public static Sweep resume(Path dir, List<String> overrides) {
    Path d = sweepDirectory(dir);
    for (String o : overrides) {
      String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
      if (!key.equals("SWEEP.EXECUTOR") && !key.startsWith("SWEEP.EXECUTOR.")) {
        throw new IllegalArgumentException(
            "a resumed sweep changes only SWEEP.EXECUTOR (where its trials run), got "
                + key
                + ": the log replays only with the settings it was written with");
      }
    }
    if (SweepConfig.overFactory(d.resolve(SweepLog.SWEEP_FILE))) {
      throw new IllegalArgumentException(
          d
              + " holds a sweep over runs built in code (a Runner factory), which its directory"
              + " cannot hold: continue it with Sweep.resume(dir, factory), giving the same"
              + " factory");
    }
    Sweep sweep = SweepConfig.load(d.resolve(SweepLog.SWEEP_FILE), overrides);
    sweep.directory = d; // the directory may have moved since
    sweep.resumed = true;
    return sweep;
  }

  /**
   * Reads a sweep over a {@code Runner} factory back from its directory, as {@link #resume(Path)}
   * does for a sweep over a config: the factory is code, which the directory cannot hold, so give
   * it again. It must be the factory the sweep ran with (the same values must build the same
   * runner): the recorded trials are not run again, and the others continue from their checkpoints.
   *
   * <pre>{@code
   * SweepResult r = Sweep.resume(Path.of("runs/digits-sweep"), factory).fit();
   * }</pre>
   *
   * @param dir the sweep directory
   * @param factory the factory the sweep was made with
   * @return the sweep
   * @throws IllegalArgumentException if the directory holds no sweep, or a sweep over a config
   */
  public static Sweep resume(Path dir, RunnerFactory factory) {
    Path d = sweepDirectory(dir);
    Sweep sweep = SweepConfig.loadOverFactory(d.resolve(SweepLog.SWEEP_FILE), factory);
    sweep.directory = d;
    sweep.resumed = true;
    return sweep;
  }

  /** The directory of a sweep to resume, absolute; refused when it holds no sweep's log. */
  private static Path sweepDirectory(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d) || !Files.isRegularFile(d.resolve(SweepLog.EVENTS_FILE))) {
      throw new IllegalArgumentException(
          d
              + (Files.isDirectory(d) ? " holds no sweep: it has no " : " is not a directory with ")
              + SweepLog.EVENTS_FILE
              + " (made by a sweep's fit or `runkit sweep`)");
    }
    return d;
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
    if (factory != null) {
      throw new IllegalStateException(
          "a sweep over a Runner factory runs its trials in this process, one after another: the"
              + " factory is code that worker processes and clusters cannot rebuild; leave the"
              + " executor unset (got "
              + executor
              + "), or sweep over a config (Sweep.of(RunConfig), Sweep.load(file)) to run trials"
              + " elsewhere");
    }
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
   * Asks a running {@link #fit()} to stop: no new trial segment starts, and the running ones stop
   * after their iteration in progress with a checkpoint there ({@link TrialExecutor#stop()}); fit
   * then returns the trials so far, records nothing of the stopped segments and leaves the sweep's
   * log open, so that {@link #resume(Path)} continues it. Safe to call from another thread (a
   * signal handler).
   */
  public void stop() {
    stopping = true;
    TrialExecutor e = executor;
    if (e != null) {
      e.stop();
    }
  }

  /**
   * Tells whether {@link #stop()} was called.
   *
   * @return true after a stop
   */
  public boolean stopped() {
    return stopping;
  }

  /**
   * Returns the base config.
   *
   * @return the config
   * @throws IllegalStateException for a sweep over a Runner factory, which has none
   */
  public RunConfig base() {
    if (base == null) {
      throw new IllegalStateException("a sweep over a Runner factory has no base config");
    }
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
    listener = SweepListeners.with(listener);
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
    if (factory == null) {
      checkSpace();
    }
    String name = metric != null ? metric : defaultMetric();
    Objective parsed;
    try {
      parsed = Objective.parse(name, false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at("METRIC") + ": " + e.getMessage(), e);
    }
    boolean max =
        maximize != null
            ? maximize
            : factory != null
                ? Objective.higherIsBetter(parsed.metric())
                : Objective.higherIsBetter(base, parsed.metric());
    objective = new Objective(parsed.phase(), parsed.metric(), max);
    if (factory == null) {
      objective.check(base, at("METRIC"));
    }

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
    long runLength = factory != null ? factoryIterations : base.totalIterations();
    try {
      scheduler.begin(runLength, measureEvery(runLength));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at("SCHEDULER") + ": " + e.getMessage(), e);
    }
    int budget = budget();
    if (executor == null) {
      executor =
          factory != null
              ? new RunnerFactoryExecutor(factory, runLength)
              : InProcessExecutor.create();
    }
    if (directory == null && factory != null) {
      throw new IllegalArgumentException(
          "a sweep over a Runner factory needs a directory for its trials: call"
              + " directory(Path.of(\"runs/my-sweep\"))");
    }
    if (directory == null) {
      Path run = base.runDir();
      directory = run.resolveSibling(run.getFileName() + "-sweep");
    }
    if (!resumed) {
      SweepLog.requireFree(directory, at("DIR"));
    }
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
    if (factory != null) {
      return "validation/loss";
    }
    if (base.resolved().get("VAL") instanceof Map<?, ?> val && val.get("MONITOR") != null) {
      return "validation/" + val.get("MONITOR");
    }
    return base.data().validation() != null ? "validation/loss" : "train/loss";
  }

  /**
   * How often a run reports the objective: VAL.INTERVAL for a validation metric, LOG_INTERVAL for a
   * training one, each else the runner's default ({@link DefaultIntervals}).
   */
  private long measureEvery(long runLength) {
    // a factory's runner keeps its intervals to itself: the runner's defaults stand for them
    Map<String, Object> resolved = factory != null ? Map.of() : base.resolved();
    long validateEvery = 0;
    if (resolved.get("VAL") instanceof Map<?, ?> val && val.get("INTERVAL") instanceof Number n) {
      validateEvery = n.longValue();
    } else if (factory != null || base.data().validation() != null) {
      validateEvery = DefaultIntervals.validateEvery(runLength);
    }
    if (objective.phase().equals("validation")) {
      return validateEvery;
    }
    if (resolved.get("TRAIN") instanceof Map<?, ?> train
        && train.get("LOG_INTERVAL") instanceof Number n) {
      return n.longValue();
    }
    return DefaultIntervals.logEvery(runLength, validateEvery);
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
    if (factory != null) {
      Map<String, Object> code = new LinkedHashMap<>();
      code.put("NUM_ITERATIONS", factoryIterations);
      code.put(
          "NOTE",
          "trials built in code by a Runner factory (" + factory + "); only that code runs them");
      out.put(SweepConfig.RUNNER_FACTORY, code);
    } else {
      out.put("BASE", base.resolved());
    }
    out.put("SWEEP", sweep);
    return out;
  }

  // ------------------------------------------------------------------------------ the loop

  private SweepResult run(int budget) {
    inFlight = new SegmentsInFlight(t -> listener.onTrialStart(t));
    log = new SweepLog(directory);
    baseText = factory != null ? "" : ConfigFiles.toYaml(base.resolved());
    listener.onStart(budget, directory);
    if (resumed) {
      List<Trial> pending = new ArrayList<>();
      if (replay(budget, pending)) {
        SweepResult result = result();
        listener.onEnd(result);
        return result;
      }
      pruneWaiting();
      writeViews();
      for (Trial t : pending) {
        if (!stopping) {
          submit(t);
        }
      }
    } else {
      log.begin(resolved());
    }
    while (true) {
      boolean done = false;
      int slots = Math.max(1, executor.parallelism()) + Math.max(0, executor.queueAhead());
      while (!stopping && inFlight.size() < slots) {
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
        if (done || stopping) {
          break;
        }
        throw new IllegalStateException(scheduler + " waits, but no trial is running");
      }
      try {
        awaitAny();
        inFlight.takeEnded(
            ended -> {
              TrialResult r = ended.result().join();
              Trial t = started.get(ended.trial());
              // a segment a stop cut short is not recorded: a resume continues it
              if (!(stopping && r.status() == TrialStatus.RUNNING && r.iterations() < t.stopAt())) {
                record(t, r);
              }
            });
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    if (!stopping) {
      for (Trial t : started) {
        TrialResult r = results.get(t.id());
        if (r.status() == TrialStatus.RUNNING) {
          prune(t.id(), "not promoted past iteration " + r.iterations() + " when the sweep ended");
        }
      }
    }
    writeViews();
    if (!stopping) {
      log.end();
    }
    SweepResult result = result();
    listener.onEnd(result);
    return result;
  }

  /**
   * Waits for a running segment to end. An interrupt of this thread (Kernel ▸ Interrupt, or a trial
   * run here that an interrupt stopped) stops the sweep as {@link #stop()} does.
   */
  private void awaitAny() {
    while (true) {
      if (Thread.interrupted()) {
        stop();
      }
      try {
        if (inFlight.awaitEnd(100)) {
          return;
        }
      } catch (InterruptedException e) {
        stop();
      }
    }
  }

  /**
   * Rebuilds a sweep's state from its log: each start and continue must be the job the scheduler
   * gives again, each result is reported again, the parameters of started trials come from the log.
   * Fills {@code pending} with the segments that have no result; returns whether the sweep had
   * ended.
   */
  private boolean replay(int budget, List<Trial> pending) {
    boolean ended = false;
    Map<Integer, Trial> waiting = new TreeMap<>();
    for (SweepLog.Event e : SweepLog.events(directory, objective)) {
      if (e instanceof SweepLog.Started s) {
        replayed(TrialScheduler.Job.start(s.trial(), s.stopAt()), budget);
        String runDir = directory.resolve(Trial.name(s.trial())).toString();
        Trial t =
            new Trial(s.trial(), baseText, s.params(), s.seed(), s.stopAt(), runDir, objective);
        started.add(t);
        waiting.put(t.id(), t);
      } else if (e instanceof SweepLog.Continued c) {
        replayed(TrialScheduler.Job.resume(c.trial(), c.stopAt()), budget);
        Trial t = started.get(c.trial()).stopAt(c.stopAt());
        started.set(t.id(), t);
        waiting.put(t.id(), t);
      } else if (e instanceof SweepLog.Segment s) {
        TrialResult r = s.result();
        results.put(r.trial(), r);
        waiting.remove(r.trial());
        scheduler.report(
            new TrialScheduler.Report(
                r.trial(), r.iterations(), s.points(), r.status() != TrialStatus.RUNNING));
      } else if (e instanceof SweepLog.Pruned p) {
        results.put(p.trial(), results.get(p.trial()).withStatus(TrialStatus.PRUNED, p.message()));
      } else {
        ended = true;
      }
    }
    pending.addAll(waiting.values());
    return ended;
  }

  /** Asks the scheduler for its next job and checks that it is the one the log holds. */
  private void replayed(TrialScheduler.Job logged, int budget) {
    TrialScheduler.Job job = scheduler.next(started.size() < budget);
    if (!job.equals(logged)) {
      throw new IllegalArgumentException(
          directory.resolve(SweepLog.EVENTS_FILE)
              + " does not replay with "
              + directory.resolve(SweepLog.SWEEP_FILE)
              + ": the log has "
              + logged
              + " where "
              + scheduler
              + " gives "
              + job
              + "; was the sweep file changed?");
    }
  }

  private Trial newTrial(TrialScheduler.Job job) {
    int id = job.trial();
    if (id != started.size()) {
      throw new IllegalStateException(
          scheduler + " started trial " + id + ", but the next trial is " + started.size());
    }
    Map<String, Object> params = sampler.sample(space, id, observations(), seed);
    long trialSeed =
        factory != null
            ? 0
            : params.get("ENV.SEED") instanceof Number n ? n.longValue() : base.seed();
    String runDir = directory.resolve(Trial.name(id)).toString();
    return new Trial(id, baseText, params, trialSeed, job.stopAt(), runDir, objective);
  }

  private void submit(Trial t) {
    inFlight.submit(t, executor);
  }

  /** The trials a sampler learns from: completed ones and those stopped short, none running. */
  private List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (Trial t : started) {
      TrialResult r = results.get(t.id());
      if (r == null || inFlight.contains(t.id())) {
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
    pruneWaiting();
    writeViews();
    listener.onTrialEnd(t, results.get(t.id()));
    listener.onUpdate(result());
  }

  /** Prunes the trials waiting at a rung that the scheduler has dropped. */
  private void pruneWaiting() {
    for (Trial other : started) {
      TrialResult o = results.get(other.id());
      if (o != null
          && o.status() == TrialStatus.RUNNING
          && !inFlight.contains(other.id())
          && scheduler.pruned(other.id())) {
        prune(other.id(), "stopped by the scheduler at iteration " + o.iterations());
      }
    }
  }

  private void prune(int id, String why) {
    results.put(id, results.get(id).withStatus(TrialStatus.PRUNED, why));
    log.pruned(id, why);
    listener.onTrialPruned(started.get(id), results.get(id));
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
    return new SweepResult(
        directory, space, objective, started, resultsInOrder(), stopping, factory != null);
  }
}
