package dev.runkit.config;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.runkit.Runner;
import dev.runkit.TrainedModel;
import dev.runkit.data.DataInfo;
import dev.runkit.data.Datasets;
import dev.runkit.data.Scaler;
import dev.runkit.data.SplitData;
import dev.runkit.model.Losses;
import dev.runkit.model.ModelFactory;
import dev.runkit.model.Models;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.Optimizers;
import dev.runkit.optim.ScheduledOptimizer;
import dev.runkit.registry.Names;
import dev.runkit.registry.Params;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.Devices;
import dev.runkit.run.EarlyStopping;
import dev.runkit.run.Metric;
import dev.runkit.run.Metrics;
import dev.runkit.run.Monitor;
import dev.runkit.run.NonFinitePolicy;
import dev.runkit.schedule.Schedule;
import dev.runkit.schedule.ScheduleSpec;
import dev.runkit.schedule.Schedules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run described by a config file, read into typed settings and checked completely (keys, types,
 * ranges, optimizer and schedule, data files, and that the model fits the data) before anything is
 * created; {@link #runner()} then reaches the same {@link Runner} methods code calls.
 *
 * <pre>{@code
 * RunConfig config = RunConfig.load(Path.of("digits.yaml"), List.of("TRAIN.NUM_ITERATIONS=200"));
 * RunResult r = config.runner().quiet().fit();
 * r.model().close();   // frees the model and its data arrays
 * }</pre>
 *
 * <p>Sections and keys (BasicTS names): {@code DESCRIPTION}, {@code RUN_DIR}, {@code ENV {SEED,
 * DEVICES | GPU_NUM}}, {@code MODEL {NAME | CLASS, PARAM}}, {@code DATA {NAME, PARAM, BATCH_SIZE}},
 * {@code METRICS}, {@code TRAIN {NUM_ITERATIONS | NUM_EPOCHS, OPTIM {TYPE, PARAM}, LR_SCHEDULER
 * {TYPE, PARAM}, CLIP_GRAD_PARAM, LOSS, EARLY_STOPPING_PATIENCE, EARLY_STOPPING_MIN_DELTA,
 * RESTORE_BEST, CKPT_SAVE_STRATEGY, CKPT_KEEP_LAST, ACCUMULATE_GRAD, NON_FINITE, LOG_INTERVAL,
 * FINETUNE_FROM, FINETUNE_STRICT}}, {@code VAL {INTERVAL, MONITOR}}, {@code TEST {INTERVAL}}.
 * Relative data and checkpoint paths are read against the config file's folder, a relative {@code
 * RUN_DIR} against the working directory. On normalised series ({@code co2}, {@code sunspots},
 * {@code series_csv}) the metrics {@code mae}, {@code rmse} and {@code mape} are reported in the
 * data's units (ppm for CO2) through the split's {@link SplitData#scaler() scaler}; the loss stays
 * in normalised units.
 *
 * <p>The task follows the data: classification (default loss {@code cross_entropy}, metric {@code
 * accuracy}), regression ({@code DATA: {NAME: csv, PARAM: {label: y, task: regression}}}; default
 * loss {@code masked_mse}, metrics {@code mae}, {@code rmse}, {@code r2}) or forecasting ({@code
 * masked_mae}; {@code mae}, {@code rmse}, {@code mape}). A {@code csv} data set standardises its
 * feature columns with the training part's statistics unless {@code DATA.PARAM.normalize} is false
 * (see {@link Datasets}); the model keeps them, and its class names, in its properties.
 *
 * <p>Intervals count iterations, as in an iteration runner. {@code CKPT_SAVE_STRATEGY} is an
 * interval (a checkpoint every n iterations) or, as in BasicTS / EasyTorch, a list: a checkpoint at
 * the end of each listed epoch when the run gives {@code NUM_EPOCHS}, at each listed iteration when
 * it gives {@code NUM_ITERATIONS}; listed checkpoints are never pruned by {@code CKPT_KEEP_LAST}.
 */
public final class RunConfig {

  /** The top-level keys. */
  static final List<String> TOP =
      List.of("DESCRIPTION", "RUN_DIR", "ENV", "MODEL", "DATA", "METRICS", "TRAIN", "VAL", "TEST");

  /** The keys of the TRAIN section. */
  static final List<String> TRAIN_KEYS =
      List.of(
          "NUM_ITERATIONS",
          "NUM_EPOCHS",
          "OPTIM",
          "LR_SCHEDULER",
          "CLIP_GRAD_PARAM",
          "LOSS",
          "EARLY_STOPPING_PATIENCE",
          "EARLY_STOPPING_MIN_DELTA",
          "RESTORE_BEST",
          "CKPT_SAVE_STRATEGY",
          "CKPT_KEEP_LAST",
          "ACCUMULATE_GRAD",
          "NON_FINITE",
          "LOG_INTERVAL",
          "FINETUNE_FROM",
          "FINETUNE_STRICT");

  /** The folder of checkpoints inside a run directory. */
  public static final String CHECKPOINTS = "checkpoints";

  /** The resolved config inside a run directory, which a resume reads. */
  public static final String CONFIG_FILE = "config.yaml";

  /** The history table (CSV) inside a run directory. */
  public static final String HISTORY_FILE = "history.csv";

  private final Map<String, Object> resolved;
  private final Path runDir;
  private final boolean runDirGiven;
  private final long seed;
  private final List<Device> devices;
  private final SplitData data;
  private final int batchSize;
  private final ModelFactory modelFactory;
  private final Map<?, ?> modelParams;
  private final String lossName;
  private final List<String> metricNames;
  private final Map<?, ?> optim;
  private final double baseLr;
  private final ScheduleSpec schedule;
  private final Map<?, ?> clipParams;
  private final long iterations;
  private final int epochs;
  private final long validateEvery;
  private final long testEvery;
  private final long logEvery;
  private final String monitor;
  private final int patience;
  private final double minDelta;
  private final boolean restoreBest;
  private final long checkpointEvery;
  private final List<Long> checkpointsAt;
  private final int keepLast;
  private final int accumulate;
  private final NonFinitePolicy nonFinite;
  private final Path fineTuneFrom;
  private final boolean fineTuneStrict;

  /**
   * Reads a config file, applies command-line overrides and checks everything.
   *
   * @param file a YAML or JSON file
   * @param overrides {@code KEY=VALUE} assignments with dotted keys, applied in order
   * @return the checked config
   * @throws IllegalArgumentException for a missing or unreadable file, a bad override, or any
   *     problem {@link #from(Map, Path, String)} reports
   */
  public static RunConfig load(Path file, List<String> overrides) {
    Map<String, Object> raw = ConfigFiles.read(file);
    for (String o : overrides) {
      ConfigFiles.override(raw, o);
    }
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Path dir = file.toAbsolutePath().getParent();
    return from(raw, dir, stem);
  }

  /**
   * Reads a config given as YAML (or JSON) text, such as a Java text block in a notebook, and
   * checks everything as {@link #load} does; relative data and checkpoint paths are read against
   * the working directory, and the default {@code RUN_DIR} is {@code runs/config}.
   *
   * <pre>{@code
   * RunConfig config = RunConfig.parse("""
   *     MODEL: {NAME: MLP, PARAM: {hidden: [64]}}
   *     DATA: {NAME: digits, BATCH_SIZE: 64}
   *     TRAIN: {NUM_ITERATIONS: 300, OPTIM: {TYPE: AdamW, PARAM: {lr: 0.003}}}
   *     """);
   * RunResult r = config.runner().fit();
   * }</pre>
   *
   * @param yaml the config text
   * @return the checked config
   * @throws IllegalArgumentException for text that is not valid YAML / JSON (with line and column),
   *     or any problem {@link #from(Map, Path, String)} reports
   */
  public static RunConfig parse(String yaml) {
    return parse(yaml, List.of());
  }

  /**
   * Reads a config given as YAML (or JSON) text, applies overrides and checks everything; see
   * {@link #parse(String)}.
   *
   * @param yaml the config text
   * @param overrides {@code KEY=VALUE} assignments with dotted keys, applied in order
   * @return the checked config
   * @throws IllegalArgumentException as {@link #parse(String)}, or for a bad override
   */
  public static RunConfig parse(String yaml, List<String> overrides) {
    Map<String, Object> raw = ConfigFiles.parse(yaml, "config text");
    for (String o : overrides) {
      ConfigFiles.override(raw, o);
    }
    return from(raw, Path.of(""), "config");
  }

  /**
   * Checks a config given as a map.
   *
   * @param raw the config (as read from YAML or JSON, or built in code)
   * @param baseDir the folder relative data and checkpoint paths are read against
   * @param name the run name, for the default {@code RUN_DIR} ({@code runs/<name>})
   * @return the checked config
   * @throws IllegalArgumentException for an unknown key (with the nearest valid one), a missing
   *     key, a wrong type or a value out of range (with key path, value and what is allowed), an
   *     unknown model, data set, optimizer, schedule or loss, a missing file, or a model that does
   *     not fit the data
   */
  public static RunConfig from(Map<?, ?> raw, Path baseDir, String name) {
    return new RunConfig(ConfigFiles.copy(raw), baseDir.toAbsolutePath(), name);
  }

  private RunConfig(Map<String, Object> raw, Path baseDir, String name) {
    Params top = Params.of("", raw);
    top.requireOnly(TOP.toArray(String[]::new));
    resolved = ConfigFiles.copy(raw);

    if (top.has("DESCRIPTION")) {
      top.requiredString("DESCRIPTION");
    }
    runDirGiven = top.has("RUN_DIR");
    runDir = Path.of(top.optionalString("RUN_DIR", "runs/" + name)).toAbsolutePath().normalize();
    resolved.put("RUN_DIR", runDir.toString());

    Params env = section(top, "ENV", false);
    env.requireOnly("SEED", "DEVICES", "GPU_NUM");
    seed = env.optionalLong("SEED", 42);
    env.check("SEED", seed, seed >= 0 && seed <= Integer.MAX_VALUE, "in [0, 2147483647]");
    sectionOf("ENV").put("SEED", seed);
    devices = devices(env);
    if (env.has("DEVICES") && !devices.isEmpty()) {
      sectionOf("ENV").put("DEVICES", new ArrayList<>(Devices.names(devices)));
    }

    // DATA: loaded now (small, on the heap) so that the model can be checked against it
    Params dataSection = section(top, "DATA", true);
    dataSection.requireOnly("NAME", "PARAM", "BATCH_SIZE");
    String dataName = dataSection.requiredString("NAME");
    Map<?, ?> dataParams = map(dataSection, "PARAM");
    data = Datasets.build(dataName, dataParams, seed, baseDir, "DATA");
    long batch = dataSection.optionalLong("BATCH_SIZE", 32);
    dataSection.check(
        "BATCH_SIZE",
        batch,
        batch >= 1 && batch <= data.train().size(),
        "in [1, " + data.train().size() + "] (the training examples of " + dataName + ")");
    batchSize = (int) batch;
    sectionOf("DATA").put("BATCH_SIZE", batchSize);
    if (dataParams != null && dataParams.get("path") != null) {
      Map<String, Object> p = subsection(sectionOf("DATA"), "PARAM");
      p.put("path", baseDir.resolve(String.valueOf(dataParams.get("path"))).normalize().toString());
    }
    DataInfo info = data.info();

    // MODEL: built once, thrown away, to prove it fits the data before anything is written
    Params model = section(top, "MODEL", true);
    model.requireOnly("NAME", "CLASS", "PARAM");
    boolean named = model.has("NAME");
    boolean classed = model.has("CLASS");
    if (named == classed) {
      throw new IllegalArgumentException(
          "MODEL needs exactly one of NAME (one of "
              + Models.names()
              + ") and CLASS (a class implementing "
              + ModelFactory.class.getName()
              + "), got "
              + (named ? "both" : "neither"));
    }
    String label;
    if (named) {
      String modelName = model.requiredString("NAME");
      modelFactory = Models.factory(modelName, "MODEL.NAME");
      label = modelName;
    } else {
      String className = model.requiredString("CLASS");
      modelFactory = Models.userFactory(className, "MODEL.CLASS");
      label = className;
    }
    modelParams = map(model, "PARAM");
    Models.checkFits(modelFactory, modelParams, info, "MODEL", label);

    // METRICS
    metricNames = metricNames(top, info);
    resolved.put("METRICS", new ArrayList<>(metricNames));

    // TRAIN
    Params train = section(top, "TRAIN", true);
    train.requireOnly(TRAIN_KEYS.toArray(String[]::new));
    boolean hasIterations = train.has("NUM_ITERATIONS");
    boolean hasEpochs = train.has("NUM_EPOCHS");
    if (hasIterations == hasEpochs) {
      throw new IllegalArgumentException(
          hasIterations
              ? "TRAIN gives both NUM_ITERATIONS and NUM_EPOCHS; keep one"
              : "TRAIN needs the run length: NUM_ITERATIONS (optimizer updates) or NUM_EPOCHS"
                  + " (passes over the training data)");
    }
    iterations = hasIterations ? positive(train, "NUM_ITERATIONS", Long.MAX_VALUE) : 0;
    epochs = hasEpochs ? (int) positive(train, "NUM_EPOCHS", 1_000_000) : 0;

    String loss = train.optionalString("LOSS", Losses.defaultFor(info.task()));
    Losses.build(loss, "TRAIN.LOSS");
    boolean classificationLoss = Losses.isClassification(loss);
    if (classificationLoss != (info.task() == DataInfo.Task.CLASSIFICATION)) {
      throw new IllegalArgumentException(
          "TRAIN.LOSS \""
              + loss
              + "\" is a "
              + (classificationLoss ? "classification" : "regression")
              + " loss, but DATA "
              + info.name()
              + " is "
              + info.task().name().toLowerCase(Locale.ROOT)
              + "; use "
              + Losses.defaultFor(info.task()));
    }
    lossName = loss;
    sectionOf("TRAIN").put("LOSS", loss);

    Object optimRaw = train.optionalRaw("OPTIM");
    if (optimRaw == null) {
      throw new IllegalArgumentException(
          "Missing required section TRAIN.OPTIM; e.g. {TYPE: AdamW, PARAM: {lr: 0.001}}; TYPE is"
              + " one of "
              + Optimizers.names());
    }
    optim = map(train, "OPTIM");
    ScheduledOptimizer probe = Optimizers.build(optim, "TRAIN.OPTIM");
    baseLr = probe.baseLr();

    Map<?, ?> scheduler = map(train, "LR_SCHEDULER");
    if (scheduler != null) {
      Schedules.build(scheduler, baseLr, "TRAIN.LR_SCHEDULER");
      schedule =
          ScheduleSpec.of(
              String.valueOf(scheduler.get("TYPE")),
              scheduler.get("PARAM") == null
                  ? Map.of()
                  : ConfigFiles.copy((Map<?, ?>) scheduler.get("PARAM")));
    } else {
      schedule = null;
    }

    clipParams = map(train, "CLIP_GRAD_PARAM");
    if (clipParams != null) {
      GradientClipping.from(clipParams, "TRAIN.CLIP_GRAD_PARAM");
    }

    patience =
        train.has("EARLY_STOPPING_PATIENCE")
            ? (int) positive(train, "EARLY_STOPPING_PATIENCE", 1_000_000)
            : 0;
    minDelta = train.optionalDouble("EARLY_STOPPING_MIN_DELTA", 0);
    train.check(
        "EARLY_STOPPING_MIN_DELTA",
        minDelta,
        minDelta >= 0 && !Double.isInfinite(minDelta),
        ">= 0");
    restoreBest = train.optionalBoolean("RESTORE_BEST", false);
    if (patience == 0 && (train.has("EARLY_STOPPING_MIN_DELTA") || train.has("RESTORE_BEST"))) {
      throw new IllegalArgumentException(
          "TRAIN.EARLY_STOPPING_MIN_DELTA and TRAIN.RESTORE_BEST need"
              + " TRAIN.EARLY_STOPPING_PATIENCE");
    }
    if (train.optionalRaw("CKPT_SAVE_STRATEGY") instanceof List<?>) {
      checkpointEvery = 0;
      checkpointsAt = savePoints(train, hasEpochs ? epochs : iterations, hasEpochs);
    } else {
      checkpointEvery =
          train.has("CKPT_SAVE_STRATEGY")
              ? positive(train, "CKPT_SAVE_STRATEGY", Long.MAX_VALUE)
              : 0;
      checkpointsAt = List.of();
    }
    keepLast = train.has("CKPT_KEEP_LAST") ? (int) positive(train, "CKPT_KEEP_LAST", 10_000) : 3;
    accumulate = train.has("ACCUMULATE_GRAD") ? (int) positive(train, "ACCUMULATE_GRAD", 4096) : 1;
    nonFinite =
        NonFinitePolicy.valueOf(
            train.optionalChoice("NON_FINITE", "STOP", "STOP", "SKIP").toUpperCase(Locale.ROOT));
    logEvery = train.has("LOG_INTERVAL") ? positive(train, "LOG_INTERVAL", Long.MAX_VALUE) : 0;
    if (train.has("FINETUNE_FROM")) {
      String given = train.requiredString("FINETUNE_FROM");
      fineTuneFrom = baseDir.resolve(given).normalize();
      if (!Files.isRegularFile(fineTuneFrom)) {
        throw new IllegalArgumentException(
            "TRAIN.FINETUNE_FROM names a file that does not exist: \""
                + given
                + "\" ("
                + fineTuneFrom
                + ")");
      }
      sectionOf("TRAIN").put("FINETUNE_FROM", fineTuneFrom.toString());
    } else {
      fineTuneFrom = null;
    }
    fineTuneStrict = train.optionalBoolean("FINETUNE_STRICT", true);

    // VAL and TEST
    Params val = section(top, "VAL", false);
    val.requireOnly("INTERVAL", "MONITOR");
    validateEvery = val.has("INTERVAL") ? positive(val, "INTERVAL", Long.MAX_VALUE) : 0;
    if (val.has("MONITOR")) {
      String m = val.requiredString("MONITOR");
      List<String> allowed = new ArrayList<>(List.of("loss"));
      allowed.addAll(metricNames);
      if (!allowed.contains(m)) {
        throw new IllegalArgumentException(
            "VAL.MONITOR must be one of "
                + allowed
                + " (the loss or a metric in METRICS), got \""
                + m
                + "\"."
                + Names.didYouMean(m, allowed));
      }
      monitor = m;
    } else {
      monitor = null;
    }
    boolean needsValidation = validateEvery > 0 || monitor != null || patience > 0;
    if (needsValidation && data.validation() == null) {
      String key =
          validateEvery > 0
              ? "VAL.INTERVAL"
              : monitor != null ? "VAL.MONITOR" : "TRAIN.EARLY_STOPPING_PATIENCE";
      throw new IllegalArgumentException(
          key
              + " needs validation data, but DATA "
              + info.name()
              + " has no validation part; give DATA.PARAM.train_val_test_ratio a validation"
              + " share, e.g. [0.8, 0.2, 0.0]");
    }
    Params test = section(top, "TEST", false);
    test.requireOnly("INTERVAL");
    testEvery = test.has("INTERVAL") ? positive(test, "INTERVAL", Long.MAX_VALUE) : 0;
    if (testEvery > 0 && data.test() == null) {
      throw new IllegalArgumentException(
          "TEST.INTERVAL needs test data, but DATA "
              + info.name()
              + " has no test part; give DATA.PARAM.train_val_test_ratio a test share, e.g."
              + " [0.7, 0.1, 0.2]");
    }
    // sections in the documented order, whatever order the file had
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : TOP) {
      if (resolved.containsKey(key)) {
        ordered.put(key, resolved.get(key));
      }
    }
    resolved.clear();
    resolved.putAll(ordered);
  }

  /**
   * Makes the runner of this config: the model, loss, data, optimizer, schedule, length, intervals,
   * metrics, seed, early stopping, clipping and checkpoints (in {@code RUN_DIR/checkpoints}) are
   * set through the same fluent methods code uses; progress is left to the caller. The data arrays
   * belong to the model ({@link Runner#data(SplitData, int)}): {@code result.model().close()} frees
   * them.
   *
   * @return the runner, ready for {@code fit()}
   */
  public Runner runner() {
    return runner(null, false);
  }

  /**
   * Makes the runner of this config, or the runner that continues it from the newest checkpoint in
   * {@code RUN_DIR/checkpoints}; see {@link #runner()} and {@link #runner(NDManager, boolean)}.
   *
   * @param resume whether to continue from the newest checkpoint
   * @return the runner, ready for {@code fit()}
   */
  public Runner runner(boolean resume) {
    return runner(null, resume);
  }

  /**
   * Makes the runner of this config with its data arrays in a manager of the caller's; see {@link
   * #runner()}.
   *
   * @param manager the manager that owns the data arrays (close it after the run)
   * @return the runner, ready for {@code fit()}
   */
  public Runner runner(NDManager manager) {
    return runner(manager, false);
  }

  /**
   * Makes the runner of this config, or the runner that continues it from the newest checkpoint in
   * {@code RUN_DIR/checkpoints} ({@code TRAIN.FINETUNE_FROM} is then left out: the checkpoint
   * already holds the weights it gave).
   *
   * @param manager the manager that owns the data arrays (close it after the run); null gives them
   *     to the model, as {@link #runner()} does
   * @param resume whether to continue from the newest checkpoint
   * @return the runner, ready for {@code fit()}
   */
  public Runner runner(NDManager manager, boolean resume) {
    Block block = Models.build(modelFactory, modelParams, data.info(), "MODEL");
    Runner r =
        Runner.with(block)
            .name(runDir.getFileName().toString())
            .loss(Losses.build(lossName, "TRAIN.LOSS"));
    if (manager == null) {
      r.data(data, batchSize);
    } else {
      if (data.validation() != null) {
        r.data(
            data.train().toDataset(manager, batchSize),
            data.validation().toDataset(manager, batchSize));
      } else {
        r.data(data.train().toDataset(manager, batchSize));
      }
      if (data.test() != null) {
        r.test(data.test().toDataset(manager, batchSize));
      }
      r.describe(data);
    }
    r.optimizer(Optimizers.build(optim, "TRAIN.OPTIM"));
    if (schedule != null) {
      r.schedule(schedule);
    }
    if (iterations > 0) {
      r.iterations(iterations);
    } else {
      r.epochs(epochs);
    }
    if (validateEvery > 0) {
      r.validateEvery(validateEvery);
    }
    if (testEvery > 0) {
      r.testEvery(testEvery);
    }
    if (logEvery > 0) {
      r.logEvery(logEvery);
    }
    List<Metric> metrics = metrics();
    r.metrics(metrics.toArray(Metric[]::new));
    r.seed(seed);
    Monitor m = monitor == null ? null : monitorOf(monitor, metrics);
    if (m != null) {
      r.monitor(m);
    }
    if (patience > 0) {
      EarlyStopping es =
          EarlyStopping.on(m != null ? m : Monitor.min("loss"))
              .patience(patience)
              .minDelta(minDelta);
      r.earlyStopping(restoreBest ? es.restoreBest() : es);
    }
    if (clipParams != null) {
      r.gradientClip(GradientClipping.from(clipParams, "TRAIN.CLIP_GRAD_PARAM"));
    }
    if (accumulate > 1) {
      r.accumulate(accumulate);
    }
    if (!devices.isEmpty()) {
      r.devices(devices);
    }
    if (nonFinite != NonFinitePolicy.STOP) {
      r.nonFinite(nonFinite);
    }
    if (resume) {
      r.resume();
    } else if (fineTuneFrom != null) {
      r.fineTune(fineTuneFrom, fineTuneStrict);
    }
    Checkpoints c = Checkpoints.to(checkpointDir()).keepLast(keepLast);
    if (checkpointEvery > 0) {
      c = c.every(checkpointEvery);
    }
    long[] at = checkpointsAt.stream().mapToLong(Long::longValue).toArray();
    if (at.length > 0) {
      c = epochs > 0 ? c.atEpochs(at) : c.at(at);
    }
    r.checkpoints(c);
    return r;
  }

  /**
   * Loads a checkpoint of this config's runs for predictions: the model this config builds, with
   * the checkpoint's parameters and what it kept of the data (class names, normaliser).
   *
   * <pre>{@code
   * RunConfig c = RunConfig.load(Path.of("runs/iris/config.yaml"), List.of());
   * TrainedModel m = c.trainedModel(c.checkpointDir().resolve("best.rkc"));
   * }</pre>
   *
   * @param checkpoint a {@code .rkc} file written by a run of this config
   * @return the model, open until closed
   * @throws IllegalArgumentException if the file is not a readable checkpoint of this model
   */
  public TrainedModel trainedModel(Path checkpoint) {
    Block block = Models.build(modelFactory, modelParams, data.info(), "MODEL");
    return TrainedModel.load(checkpoint, block, data.info().exampleShape());
  }

  /**
   * Returns the learning-rate schedule bound to the optimizer's learning rate (a constant one
   * without {@code TRAIN.LR_SCHEDULER}), for plotting and tables.
   *
   * @return the schedule
   */
  public Schedule schedule() {
    if (schedule == null) {
      double lr = baseLr;
      return step -> lr;
    }
    return schedule.build(baseLr);
  }

  /**
   * Returns the number of optimizer updates of the run ({@code NUM_EPOCHS} converted as the runner
   * does: batches per pass, divided by the accumulation).
   *
   * @return the iterations
   */
  public long totalIterations() {
    if (iterations > 0) {
      return iterations;
    }
    return (long) epochs * (data.train().size() / batchSize) / accumulate;
  }

  /**
   * Returns the config as resolved: what was read, with the overrides applied, defaults that matter
   * for reproduction filled in, and paths made absolute; written to {@code RUN_DIR/config.yaml}.
   *
   * @return a copy
   */
  public Map<String, Object> resolved() {
    return ConfigFiles.copy(resolved);
  }

  /**
   * Returns the run directory.
   *
   * @return the absolute path of {@code RUN_DIR}
   */
  public Path runDir() {
    return runDir;
  }

  /**
   * Tells whether the config names its {@code RUN_DIR}; when it does not, the command line may pick
   * a free sibling of the default ({@code runs/<name>-2}, ...) rather than refuse an occupied one.
   *
   * @return true when {@code RUN_DIR} was written in the config or with {@code --set}
   */
  public boolean runDirGiven() {
    return runDirGiven;
  }

  /**
   * Returns the checkpoint folder, {@code RUN_DIR/checkpoints}.
   *
   * @return the path
   */
  public Path checkpointDir() {
    return runDir.resolve(CHECKPOINTS);
  }

  /**
   * Returns the seed.
   *
   * @return {@code ENV.SEED}
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns the devices chosen by {@code ENV.DEVICES} or {@code ENV.GPU_NUM}.
   *
   * @return the devices, or an empty list for the default ({@code auto}, or neither key given)
   */
  public List<Device> devices() {
    return devices;
  }

  /**
   * Returns the data, loaded and split.
   *
   * @return the split data
   */
  public SplitData data() {
    return data;
  }

  /**
   * Returns the batch size.
   *
   * @return {@code DATA.BATCH_SIZE}
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns a copy of this config with another run directory (used to resume a run that was moved).
   *
   * @param dir the new run directory
   * @return the new config
   */
  public RunConfig withRunDir(Path dir) {
    Map<String, Object> copy = resolved();
    copy.put("RUN_DIR", dir.toAbsolutePath().normalize().toString());
    return new RunConfig(copy, Path.of("/"), "run");
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Returns the metrics the run measures besides the loss ({@code METRICS}), as the runner gets
   * them: each with its name and direction.
   *
   * @return the metrics, in the order of {@code METRICS}
   */
  public List<Metric> metrics() {
    List<Metric> out = new ArrayList<>();
    Scaler s = data.scaler();
    for (String n : metricNames) {
      // R² against the training targets' mean in the units the model sees; R² has no units
      Metric m = n.equals("r2") ? Metrics.r2(data.targetMeans()) : metric(n);
      // errors in the data's units (ppm, not standard deviations); accuracy has no units
      boolean error = n.equals("mae") || n.equals("rmse") || n.equals("mape");
      out.add(error && !s.isIdentity() ? Metrics.denormalized(m, s.mean(), s.std()) : m);
    }
    return out;
  }

  private static Monitor monitorOf(String name, List<Metric> metrics) {
    for (Metric m : metrics) {
      if (m.name().equals(name)) {
        return new Monitor(name, m.higherIsBetter());
      }
    }
    return Monitor.min(name);
  }

  private static final List<String> METRIC_NAMES =
      List.of("accuracy", "top<k>_accuracy", "mae", "rmse", "mape", "r2");

  private static Metric metric(String name) {
    switch (name) {
      case "accuracy":
        return Metrics.accuracy();
      case "mae":
        return Metrics.mae();
      case "rmse":
        return Metrics.rmse();
      case "mape":
        return Metrics.mape();
      default:
        return Metrics.topK(Integer.parseInt(name.substring(3, name.indexOf('_'))));
    }
  }

  private static List<String> metricNames(Params top, DataInfo info) {
    boolean classification = info.task() == DataInfo.Task.CLASSIFICATION;
    Object raw = top.optionalRaw("METRICS");
    if (raw == null) {
      switch (info.task()) {
        case CLASSIFICATION:
          return List.of("accuracy");
        case REGRESSION:
          return List.of("mae", "rmse", "r2");
        default:
          return List.of("mae", "rmse", "mape");
      }
    }
    List<?> given = raw instanceof List<?> l ? l : List.of(raw);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      String key = "METRICS[" + i + "]";
      String n = String.valueOf(given.get(i)).trim().toLowerCase(Locale.ROOT);
      boolean forClasses;
      if (n.equals("accuracy")) {
        forClasses = true;
      } else if (n.matches("top[0-9]+(_accuracy)?")) {
        int k = Integer.parseInt(n.replaceAll("[^0-9]", ""));
        if (k < 1 || k > info.outputs()) {
          throw new IllegalArgumentException(
              key + " " + n + " needs k in [1, " + info.outputs() + "] (the classes), got " + k);
        }
        n = "top" + k + "_accuracy";
        forClasses = true;
      } else if (n.equals("mae") || n.equals("rmse") || n.equals("mape") || n.equals("r2")) {
        forClasses = false;
      } else {
        throw new IllegalArgumentException(
            "Unknown metric \""
                + given.get(i)
                + "\" at "
                + key
                + "; expected one of "
                + METRIC_NAMES
                + "."
                + Names.didYouMean(
                    n, List.of("accuracy", "top5_accuracy", "mae", "rmse", "mape", "r2")));
      }
      if (forClasses != classification) {
        throw new IllegalArgumentException(
            key
                + " \""
                + n
                + "\" is a "
                + (forClasses ? "classification" : "regression")
                + " metric, but DATA "
                + info.name()
                + " is "
                + info.task().name().toLowerCase(Locale.ROOT));
      }
      if (out.contains(n)) {
        throw new IllegalArgumentException(key + " repeats \"" + n + "\"");
      }
      out.add(n);
    }
    return out;
  }

  /** Reads ENV.DEVICES (RunKit) or ENV.GPU_NUM (BasicTS), checked against the engine's GPUs. */
  private static List<Device> devices(Params env) {
    boolean named = env.has("DEVICES");
    boolean counted = env.has("GPU_NUM");
    if (named && counted) {
      throw new IllegalArgumentException(
          "ENV gives both DEVICES and GPU_NUM; keep one (DEVICES: [gpu0, gpu1] or GPU_NUM: 2)");
    }
    Engine engine = Engine.getInstance();
    if (counted) {
      return Devices.gpus(env.requiredLong("GPU_NUM"), env.path("GPU_NUM"), engine);
    }
    if (named) {
      return Devices.parse(env.optionalRaw("DEVICES"), env.path("DEVICES"), engine);
    }
    return List.of();
  }

  /**
   * Reads {@code CKPT_SAVE_STRATEGY} given as a list (BasicTS / EasyTorch: save, and keep, the
   * checkpoints of these epochs): passes when the run counts epochs, iterations when it counts
   * iterations.
   */
  private static List<Long> savePoints(Params train, long length, boolean epochs) {
    String key = "CKPT_SAVE_STRATEGY";
    String unit = epochs ? "NUM_EPOCHS" : "NUM_ITERATIONS";
    List<Long> given = train.requiredLongList(key);
    for (int i = 0; i < given.size(); i++) {
      long v = given.get(i);
      String allowed =
          "an "
              + (epochs ? "epoch" : "iteration")
              + " in [1, "
              + length
              + "] ("
              + unit
              + ")"
              + (i > 0 ? " above the one before (" + given.get(i - 1) + ")" : "");
      train.check(
          key + "[" + i + "]",
          v,
          v >= 1 && v <= length && (i == 0 || v > given.get(i - 1)),
          allowed);
    }
    return given;
  }

  private static long positive(Params p, String key, long max) {
    long v = p.requiredLong(key);
    p.check(key, v, v >= 1 && v <= max, max == Long.MAX_VALUE ? ">= 1" : "in [1, " + max + "]");
    return v;
  }

  private static Params section(Params top, String key, boolean required) {
    return required ? top.section(key) : top.optionalSection(key);
  }

  private static Map<?, ?> map(Params p, String key) {
    Object raw = p.optionalRaw(key);
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          p.path(key)
              + " must be a map of keys to values, got "
              + raw
              + " ("
              + Params.kind(raw)
              + ")");
    }
    return m;
  }

  private Map<String, Object> sectionOf(String key) {
    return subsection(resolved, key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> subsection(Map<String, Object> parent, String key) {
    Object v = parent.get(key);
    if (!(v instanceof Map)) {
      v = new LinkedHashMap<String, Object>();
      parent.put(key, v);
    }
    return (Map<String, Object>) v;
  }
}
