package dev.runkit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.runkit.data.DataInfo;
import dev.runkit.data.Normalizer;
import dev.runkit.data.SplitData;
import dev.runkit.optim.BuiltInOptimizers;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.OptimizerSpec;
import dev.runkit.optim.ScheduledOptimizer;
import dev.runkit.run.Callback;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.Devices;
import dev.runkit.run.EarlyStopping;
import dev.runkit.run.LrFinder;
import dev.runkit.run.LrFinderResult;
import dev.runkit.run.Metric;
import dev.runkit.run.Metrics;
import dev.runkit.run.Monitor;
import dev.runkit.run.NonFinitePolicy;
import dev.runkit.run.ProgressListener;
import dev.runkit.run.ProgressListeners;
import dev.runkit.run.RunSettings;
import dev.runkit.run.TrainingLoop;
import dev.runkit.schedule.Schedule;
import dev.runkit.schedule.ScheduleSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trains a model in one fluent statement: the iteration runner of RunKit.
 *
 * <pre>{@code
 * RunResult r = Runner.with(model)
 *     .loss(Loss.softmaxCrossEntropyLoss())
 *     .data(train, validation)
 *     .optimizer(Optimizers.adamW().lr(1e-3))
 *     .schedule(Schedules.cosineWithWarmup(100, 2_000))
 *     .iterations(2_000).validateEvery(200)
 *     .fit();
 * }</pre>
 *
 * <p>Every setter checks its value at once ({@link IllegalArgumentException}) and may be called
 * only once ({@link IllegalStateException}); rules that join several settings are checked by {@link
 * #fit()} before the first step. A Runner is single-use: build, fit, read the result.
 */
public final class Runner {

  // A model made by with(Block) owns the block's parameters, and DJL closes a model that becomes
  // unreachable (BaseModel.finalize): a caller who keeps the block but not the RunResult would see
  // its parameters freed at a random moment. So such models stay reachable until they are closed.
  private static final Set<Model> HELD = ConcurrentHashMap.newKeySet();

  // the result of the latest fit() begun in this JVM, for a notebook whose kernel dropped the
  // assignment when the cell was interrupted
  private static final AtomicReference<CompletableFuture<RunResult>> LAST = new AtomicReference<>();

  // set on the thread running a fit: waiting there for a fit's result would wait for itself
  private static final ThreadLocal<Boolean> FITTING = ThreadLocal.withInitial(() -> false);

  private final CompletableFuture<RunResult> result = new CompletableFuture<>();

  private final Model model;
  private final Set<String> set = new HashSet<>();
  private Loss loss;
  private RandomAccessDataset train;
  private Dataset validation;
  private Dataset test;
  private Optimizer optimizer;
  private boolean ownsOptimizer;
  private ScheduleSpec scheduleSpec;
  private Schedule schedule;
  private long iterations;
  private int epochs;
  private int batchSize;
  private long validateEvery;
  private long testEvery;
  private long logEvery;
  private final List<Metric> metrics = new ArrayList<>();
  private long seed = 42;
  private Monitor monitor;
  private EarlyStopping earlyStopping;
  private Checkpoints checkpoints;
  private Path resumeFrom;
  private boolean resumeLatest;
  private Path fineTuneFrom;
  private boolean fineTuneStrict;
  private boolean reinitialize;
  private String name;
  private int accumulate = 1;
  private NonFinitePolicy nonFinite = NonFinitePolicy.STOP;
  private GradientClipping gradientClip;
  private List<Device> devices = List.of();
  private NDManager dataOwner;
  private DataInfo dataInfo;
  private Normalizer targetNormalizer;
  private final List<Callback> callbacks = new ArrayList<>();
  private ProgressListener progress;
  private boolean fitted;

  private Runner(Model model) {
    this.model = model;
  }

  /**
   * Starts a run on a model (its block may still be uninitialized: it is initialized from the first
   * batch).
   *
   * @param model the model, with a block
   * @return the runner
   */
  public static Runner with(Model model) {
    Objects.requireNonNull(model, "model");
    if (model.getBlock() == null) {
      throw new IllegalArgumentException(
          "model " + model.getName() + " has no block; call model.setBlock(...) first");
    }
    ClosedModels.requireOpen(model, "Runner.with");
    return new Runner(model);
  }

  /**
   * Starts a run on a block, wrapped in a new model on the engine's default device (a GPU when DJL
   * sees one). The model ({@link RunResult#model()}) owns the parameters it initializes; it is kept
   * open, so the block stays usable after the result is dropped, until {@code
   * result.model().close()} frees it.
   *
   * @param block the network
   * @return the runner
   */
  public static Runner with(Block block) {
    Objects.requireNonNull(block, "block");
    ClosedModels.requireOpen(block, "Runner.with");
    Model model = Model.newInstance("runkit");
    model.setBlock(block);
    HELD.removeIf(m -> !m.getNDManager().isOpen());
    HELD.add(model);
    return new Runner(model);
  }

  /** The models made by {@link #with(Block)} that are still open (for tests). */
  static Set<Model> heldModels() {
    HELD.removeIf(m -> !m.getNDManager().isOpen());
    return Set.copyOf(HELD);
  }

  private void once(String name) {
    if (fitted) {
      throw new IllegalStateException("this Runner has already run fit(); make a new one");
    }
    if (!set.add(name)) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  private static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  /**
   * Sets the training loss; it must reduce a batch to one value.
   *
   * @param loss the loss
   * @return this runner
   */
  public Runner loss(Loss loss) {
    once("loss");
    this.loss = Objects.requireNonNull(loss, "loss");
    return this;
  }

  /**
   * Sets the training data (no validation).
   *
   * @param train the training data; reshuffled every pass with the seed
   * @return this runner
   */
  public Runner data(RandomAccessDataset train) {
    once("data");
    this.train = Objects.requireNonNull(train, "train");
    return this;
  }

  /**
   * Sets the training and validation data.
   *
   * @param train the training data; reshuffled every pass with the seed
   * @param validation the validation data, read in order
   * @return this runner
   */
  public Runner data(RandomAccessDataset train, Dataset validation) {
    once("data");
    this.train = Objects.requireNonNull(train, "train");
    this.validation = Objects.requireNonNull(validation, "validation");
    return this;
  }

  /**
   * Sets the training, validation and test data from a split, made into datasets whose arrays
   * belong to the model: they are freed with {@code result.model().close()}, so no {@code
   * NDManager} is needed. The validation and test parts are set when the split has them. Each call
   * makes new arrays (a model trained by several runners holds one copy per runner until closed).
   *
   * <pre>{@code
   * SplitData digits = SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.15, 0.15), 42);
   * RunResult r = Runner.with(mlp).loss(Loss.softmaxCrossEntropyLoss()).data(digits, 64)...fit();
   * }</pre>
   *
   * <p>The model keeps the split's {@link SplitData#properties() properties} (task, class names,
   * feature normaliser) among its own (DJL's {@code Model.getProperties()}, saved with the model),
   * so that {@link RunResult#predict(float[][])} takes rows in the data's units and {@link
   * Predictions#names()} names the classes. When the split standardised its regression targets
   * ({@link SplitData#normalized()}), the metrics are measured in the targets' units ({@link
   * dev.runkit.run.Metrics#inTargetUnits}) and predictions come back in them.
   *
   * @param data the split (its training part reshuffled every pass with the seed)
   * @param batchSize rows per batch, for training and evaluation alike, {@code > 0}
   * @return this runner
   * @throws IllegalArgumentException if the batch size is not positive
   * @throws IllegalStateException if data, or test data while the split has a test part, were
   *     already set
   */
  public Runner data(SplitData data, int batchSize) {
    Objects.requireNonNull(data, "data");
    positive("batchSize", batchSize);
    if (set.contains("data")) {
      // said before the test part's conflict, which a second data(...) call would report instead
      once("data");
    }
    if (data.test() != null && set.contains("test")) {
      throw new IllegalStateException(
          "test was already set, but data(SplitData, int) sets the test part of "
              + data.info().name()
              + " too; set test data in one place");
    }
    once("data");
    if (data.test() != null) {
      once("test");
    }
    // a sub-manager of the model's: the arrays live as long as the model and go with it
    NDManager owner = model.getNDManager().newSubManager();
    dataOwner = owner;
    this.train = data.train().toDataset(owner, batchSize);
    if (data.validation() != null) {
      this.validation = data.validation().toDataset(owner, batchSize);
    }
    if (data.test() != null) {
      this.test = data.test().toDataset(owner, batchSize);
    }
    keepWithModel(data);
    return this;
  }

  /**
   * Describes the data of a run whose DJL datasets were made from a split (in a manager of the
   * caller's), as {@link #data(SplitData, int)} does by itself: the model's outputs are checked
   * against the split's before the first step, and the split's {@link SplitData#properties()
   * properties} (task, class names, feature normaliser) are written into the model, so that {@link
   * RunResult#predict(float[][])} takes raw rows and names classes. Without a description, a model
   * keeps the properties it had.
   *
   * @param data the split the datasets were made from
   * @return this runner
   * @throws IllegalStateException if the data was described already
   */
  public Runner describe(SplitData data) {
    Objects.requireNonNull(data, "data");
    if (dataInfo != null) {
      throw new IllegalStateException(
          "the data was described already (data(SplitData, int) describes its split)");
    }
    keepWithModel(data);
    return this;
  }

  /** The metrics, measured in the targets' units when the split standardised its targets. */
  private List<Metric> metricsInTargetUnits() {
    if (targetNormalizer == null) {
      return List.copyOf(metrics);
    }
    return metrics.stream().map(m -> Metrics.inTargetUnits(m, targetNormalizer)).toList();
  }

  /** Replaces the data properties of the model with the split's; other properties stay. */
  private void keepWithModel(SplitData data) {
    this.dataInfo = data.info();
    this.targetNormalizer = data.targetNormalizer();
    model.getProperties().keySet().removeIf(k -> k.startsWith(DataInfo.PROPERTY_PREFIX));
    data.properties().forEach(model::setProperty);
  }

  /**
   * Sets test data, measured at the end (on the best parameters) and every {@link #testEvery(long)}
   * iterations.
   *
   * @param test the test data
   * @return this runner
   */
  public Runner test(Dataset test) {
    once("test");
    this.test = Objects.requireNonNull(test, "test");
    return this;
  }

  /**
   * Sets the optimizer: a RunKit optimizer (exact resume, schedules) or a DJL optimizer (DJL's
   * built-in ones resume exactly too, others restart their moments on resume).
   *
   * @param optimizer the optimizer
   * @return this runner
   * @throws IllegalArgumentException for a DJL optimizer known not to train on the model's engine
   *     (DJL's Adadelta on MXNet)
   */
  public Runner optimizer(Optimizer optimizer) {
    once("optimizer");
    Objects.requireNonNull(optimizer, "optimizer");
    BuiltInOptimizers.checkUsable(optimizer, model.getNDManager().getEngine().getEngineName());
    this.optimizer = optimizer;
    return this;
  }

  /**
   * Sets the optimizer from a RunKit optimizer spec (e.g. {@code Optimizers.adamW().lr(1e-3)}),
   * built when the run starts.
   *
   * @param spec the optimizer spec
   * @return this runner
   */
  public Runner optimizer(OptimizerSpec spec) {
    once("optimizer");
    this.optimizer = Objects.requireNonNull(spec, "spec").build();
    this.ownsOptimizer = true;
    return this;
  }

  /**
   * Sets the learning-rate schedule from a spec, bound to the optimizer's base learning rate.
   *
   * @param spec the schedule spec (e.g. {@code Schedules.cosineWithWarmup(100, 2_000)})
   * @return this runner
   */
  public Runner schedule(ScheduleSpec spec) {
    once("schedule");
    this.scheduleSpec = Objects.requireNonNull(spec, "spec");
    return this;
  }

  /**
   * Sets the learning-rate schedule as it is (absolute learning rates).
   *
   * @param schedule the schedule
   * @return this runner
   */
  public Runner schedule(Schedule schedule) {
    once("schedule");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    return this;
  }

  /**
   * Sets the number of iterations (optimizer updates).
   *
   * @param n iterations, {@code > 0}
   * @return this runner
   * @throws IllegalStateException if epochs were set
   */
  public Runner iterations(long n) {
    positive("iterations", n);
    if (set.contains("epochs")) {
      throw new IllegalStateException(
          "iterations(" + n + ") conflicts with epochs(" + epochs + ")");
    }
    once("iterations");
    this.iterations = n;
    return this;
  }

  /**
   * Sets the length as passes over the training data: {@code n * batchesPerPass / accumulate}
   * iterations.
   *
   * @param n passes, {@code > 0}
   * @return this runner
   * @throws IllegalStateException if iterations were set
   */
  public Runner epochs(int n) {
    positive("epochs", n);
    if (set.contains("iterations")) {
      throw new IllegalStateException(
          "epochs(" + n + ") conflicts with iterations(" + iterations + ")");
    }
    once("epochs");
    this.epochs = n;
    return this;
  }

  /**
   * Sets the training batch size (default: the one the dataset was built with).
   *
   * @param n rows per batch, {@code > 0}
   * @return this runner
   */
  public Runner batchSize(int n) {
    positive("batchSize", n);
    once("batchSize");
    this.batchSize = n;
    return this;
  }

  /**
   * Validates every {@code n} iterations (default: ten times per run when there is validation
   * data); also at the end.
   *
   * @param n the interval, {@code > 0}
   * @return this runner
   */
  public Runner validateEvery(long n) {
    once("validateEvery");
    this.validateEvery = positive("validateEvery", n);
    return this;
  }

  /**
   * Tests every {@code n} iterations (besides the test at the end).
   *
   * @param n the interval, {@code > 0}
   * @return this runner
   */
  public Runner testEvery(long n) {
    once("testEvery");
    this.testEvery = positive("testEvery", n);
    return this;
  }

  /**
   * Reports the training meters (history rows, progress line) every {@code n} iterations; the only
   * host synchronisation of the hot loop happens there.
   *
   * @param n the interval, {@code > 0}
   * @return this runner
   */
  public Runner logEvery(long n) {
    once("logEvery");
    this.logEvery = positive("logEvery", n);
    return this;
  }

  /**
   * Adds metrics measured besides the loss, in training and evaluation.
   *
   * @param metrics the metrics (see {@link dev.runkit.run.Metrics})
   * @return this runner
   * @throws IllegalArgumentException for two metrics of one name
   */
  public Runner metrics(Metric... metrics) {
    once("metrics");
    Set<String> seen = new HashSet<>(List.of("loss"));
    for (Metric m : metrics) {
      if (!seen.add(m.name())) {
        throw new IllegalArgumentException("metrics has \"" + m.name() + "\" twice");
      }
      this.metrics.add(m);
    }
    return this;
  }

  /**
   * Sets the seed of weight initialisation and data order (default 42).
   *
   * @param seed the seed
   * @return this runner
   */
  public Runner seed(long seed) {
    once("seed");
    this.seed = seed;
    return this;
  }

  /**
   * Sets the validation metric that decides the best model (default: minimum validation loss, or
   * the early-stopping metric).
   *
   * @param monitor the metric and direction
   * @return this runner
   */
  public Runner monitor(Monitor monitor) {
    once("monitor");
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    return this;
  }

  /**
   * Stops early when validation stops improving.
   *
   * @param earlyStopping the settings
   * @return this runner
   */
  public Runner earlyStopping(EarlyStopping earlyStopping) {
    once("earlyStopping");
    this.earlyStopping = Objects.requireNonNull(earlyStopping, "earlyStopping");
    return this;
  }

  /**
   * Writes checkpoints.
   *
   * @param checkpoints where, when and which to keep
   * @return this runner
   */
  public Runner checkpoints(Checkpoints checkpoints) {
    once("checkpoints");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    return this;
  }

  /**
   * Resumes from the newest checkpoint in the checkpoint folder when there is one (else starts
   * fresh), continuing exactly where that run stopped: it needs the same seed, batch size, training
   * data and accumulation, and is exact for dropout models too (MXNet's generator is re-seeded and
   * replayed, see {@link Checkpoints}).
   *
   * @return this runner
   */
  public Runner resume() {
    once("resume");
    this.resumeLatest = true;
    return this;
  }

  /**
   * Resumes from a checkpoint file, continuing exactly where that run stopped. Checkpoints in the
   * checkpoint folder that are past that file's iteration (written by a continuation now abandoned)
   * are moved to its sub-folder {@code superseded-<iteration>}, so they are not pruned in place of
   * this run's nor taken by a later {@link #resume()}.
   *
   * @param checkpoint the file
   * @return this runner
   */
  public Runner resume(Path checkpoint) {
    once("resume");
    this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
    return this;
  }

  /**
   * Starts from freshly initialized parameters, drawn with the seed, even when the model already
   * has weights. Without it, a fit of a model trained (or loaded) before continues from its
   * weights, as Keras's {@code fit} does, and its progress says so; a model never initialized
   * starts afresh either way.
   *
   * <pre>{@code
   * Runner.with(block)...fit();                  // trains the block
   * Runner.with(block)...fit();                  // trains it on, from those weights
   * Runner.with(block).reinitialize()...fit();   // starts it afresh: the first fit again
   * }</pre>
   *
   * @return this runner
   */
  public Runner reinitialize() {
    once("reinitialize");
    this.reinitialize = true;
    return this;
  }

  /**
   * Starts a new run from a checkpoint's parameters only (no optimizer, data or history state).
   *
   * @param checkpoint the file
   * @param strict true to require the same parameter names and shapes; false loads those that match
   *     and leaves the rest as initialized
   * @return this runner
   */
  public Runner fineTune(Path checkpoint, boolean strict) {
    once("fineTune");
    this.fineTuneFrom = Objects.requireNonNull(checkpoint, "checkpoint");
    this.fineTuneStrict = strict;
    return this;
  }

  /**
   * Accumulates gradients over {@code n} micro-batches per update (an update then equals one on a
   * batch {@code n} times larger).
   *
   * @param n micro-batches per update, {@code > 0}
   * @return this runner
   */
  public Runner accumulate(int n) {
    once("accumulate");
    this.accumulate = (int) positive("accumulate", n);
    return this;
  }

  /**
   * Sets what happens when the loss becomes NaN or infinite (default {@link NonFinitePolicy#STOP}).
   *
   * @param policy stop, or skip the update
   * @return this runner
   */
  public Runner nonFinite(NonFinitePolicy policy) {
    once("nonFinite");
    this.nonFinite = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Clips the gradients of all parameters together before each update.
   *
   * @param clip the clipping, e.g. {@code GradientClipping.byNorm(1.0)}; the norm before clipping
   *     is reported as the training metric {@code grad_norm}
   * @return this runner
   */
  public Runner gradientClip(GradientClipping clip) {
    once("gradientClip");
    this.gradientClip = Objects.requireNonNull(clip, "clip");
    return this;
  }

  /**
   * Trains on these devices, data parallel: each batch is split by rows into one slice per device,
   * each device runs its slice on its own replica of the model, the gradients are summed on the
   * first device, which updates its parameters (the model's own) and copies them to the others.
   * With one device nothing is split. A device listed twice gets two replicas (e.g. {@code cpu,
   * cpu}). Default: the model's device, plus every other GPU the engine reports when that is a GPU.
   *
   * <pre>{@code
   * runner.devices(Device.gpu(0), Device.gpu(1));
   * }</pre>
   *
   * @param devices the devices, the first being where the model's parameters live
   * @return this runner
   * @throws IllegalArgumentException for no devices, or a GPU the engine does not see (naming those
   *     it does)
   */
  public Runner devices(Device... devices) {
    return devices(Arrays.asList(devices));
  }

  /**
   * Trains on these devices, data parallel; see {@link #devices(Device...)}.
   *
   * @param devices the devices, the first being where the model's parameters live
   * @return this runner
   * @throws IllegalArgumentException for no devices, or a GPU the engine does not see
   */
  public Runner devices(List<Device> devices) {
    Objects.requireNonNull(devices, "devices");
    List<Device> checked =
        Devices.check(new ArrayList<>(devices), "devices", model.getNDManager().getEngine());
    once("devices");
    this.devices = checked;
    return this;
  }

  /**
   * Adds callbacks, called in the order given.
   *
   * @param callbacks the callbacks
   * @return this runner
   * @throws IllegalArgumentException for two callbacks of one name (their states would collide)
   */
  public Runner callbacks(Callback... callbacks) {
    once("callbacks");
    Set<String> seen = new HashSet<>();
    for (Callback c : callbacks) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException(
            "two callbacks are named \"" + c.name() + "\"; override name() to tell them apart");
      }
      this.callbacks.add(c);
    }
    return this;
  }

  /**
   * Sends progress to a listener instead of the default: without this call, a fit shows live
   * progress in a notebook display when it runs inside a Java kernel and the console line elsewhere
   * (see {@link ProgressListeners#automatic()}).
   *
   * @param listener the listener (a notebook display, a logger)
   * @return this runner
   */
  public Runner progress(ProgressListener listener) {
    once("progress");
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Names the run: its progress (console line or notebook display), {@link RunResult#name()} and so
   * the charts and tables that compare runs show it.
   *
   * <pre>{@code
   * RunResult adamw = Runner.with(model).name("adamw")...fit();
   * Show.table(Tables.compare(adamw, sgd, lion));
   * }</pre>
   *
   * @param name a short name
   * @return this runner
   * @throws IllegalArgumentException if the name is blank
   */
  public Runner name(String name) {
    once("name");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got \"" + name + "\"");
    }
    this.name = name.strip();
    return this;
  }

  /**
   * Prints no progress.
   *
   * @return this runner
   */
  public Runner quiet() {
    once("progress");
    this.progress = null;
    return this;
  }

  /**
   * Runs the learning-rate range test with the default range (1e-7 to 10, 100 steps) on this
   * runner's model, loss, training data and optimizer, then puts the parameters back; the runner
   * stays unused, so {@link #fit()} may follow.
   *
   * <pre>{@code
   * Runner runner = Runner.with(model).loss(loss).data(train).optimizer(Optimizers.sgd().lr(0.1));
   * LrFinderResult f = runner.lrFinder();
   * Show.chart(Charts.lrFinder(f));
   * }</pre>
   *
   * @return the curve and the suggested learning rates
   * @throws IllegalArgumentException for a missing loss, data or optimizer, or a DJL optimizer
   */
  public LrFinderResult lrFinder() {
    return lrFinder(LrFinder.defaults());
  }

  /**
   * Runs the learning-rate range test with chosen settings; see {@link #lrFinder()}. Validation,
   * test, checkpoints, early stopping, resume and metrics are left out of the search; the optimizer
   * runs as a fresh copy (its own state is untouched), following the ramp instead of any schedule.
   *
   * @param finder the range, steps, smoothing and divergence factor
   * @return the curve and the suggested learning rates
   * @throws IllegalArgumentException for a missing loss, data or optimizer, a DJL optimizer, or a
   *     model whose outputs per example differ from {@link #data(SplitData, int)}'s classes or
   *     forecast steps
   */
  public LrFinderResult lrFinder(LrFinder finder) {
    Objects.requireNonNull(finder, "finder");
    if (fitted) {
      throw new IllegalStateException("this Runner has already run fit(); make a new one");
    }
    require(loss != null, "loss is required: call loss(...), e.g. Loss.softmaxCrossEntropyLoss()");
    require(
        train != null, "training data is required: call data(train) or data(train, validation)");
    require(optimizer != null, "optimizer is required: call optimizer(...)");
    ClosedModels.requireOpen(model, "lrFinder");
    if (dataInfo != null) {
      checkOutputWidth(dataInfo);
    }
    if (!(optimizer instanceof ScheduledOptimizer so)) {
      throw new IllegalArgumentException(
          "lrFinder needs a RunKit optimizer (dev.runkit.optim.Optimizers) to ramp the learning"
              + " rate; "
              + optimizer.getClass().getName()
              + " takes its learning rate from its own DJL Tracker");
    }
    try (ScheduledOptimizer ramp = so.withSchedule(finder.schedule())) {
      RunSettings settings =
          new RunSettings(
              model,
              loss,
              train,
              null,
              null,
              ramp,
              finder.steps(),
              0,
              batchSize,
              0,
              0,
              1,
              List.of(),
              seed,
              null,
              null,
              null,
              null,
              false,
              fineTuneFrom,
              fineTuneStrict,
              reinitialize,
              accumulate,
              NonFinitePolicy.STOP,
              gradientClip,
              devices,
              List.of(),
              name,
              null);
      return finder.search(settings);
    }
  }

  /**
   * Trains. Bad input is reported before the first step (by exception); after that nothing is
   * thrown: the result says how the run ended, with the exception if one ended it.
   *
   * @return the result
   * @throws IllegalArgumentException for a missing or inconsistent setting, data that do not fit
   *     the model, or a foreign or corrupt checkpoint
   */
  public RunResult fit() {
    if (fitted) {
      throw new IllegalStateException("this Runner has already run fit(); make a new one");
    }
    fitted = true;
    LAST.set(result);
    boolean outer = !FITTING.get();
    FITTING.set(true);
    try {
      RunResult r = start();
      result.complete(r);
      return r;
    } catch (RuntimeException e) {
      // this runner cannot fit again, so nothing can use the arrays data(SplitData, int) copied
      // into the model, which stays open (a with(Block) model until closed)
      if (dataOwner != null) {
        dataOwner.close();
      }
      result.completeExceptionally(e);
      throw e;
    } finally {
      if (outer) {
        FITTING.remove();
      }
    }
  }

  /**
   * Returns the result of this runner's {@link #fit()}, waiting for it when it is still running: in
   * a notebook, the cell after an interrupted {@code RunResult r = runner.fit();} (whose assignment
   * the kernel dropped) takes up the stopped run with {@code runner.result()}.
   *
   * @return the result
   * @throws IllegalStateException if {@code fit()} was not called, or failed on bad input (the
   *     failure is the cause)
   */
  public RunResult result() {
    if (!fitted) {
      throw new IllegalStateException("this Runner has not run fit() yet");
    }
    return await(result);
  }

  /**
   * Returns the result of the latest {@code fit()} begun in this JVM by any runner, waiting for it
   * when it is still running: in a notebook, {@code RunResult r = Runner.lastResult();} takes up a
   * run whose cell was interrupted (Kernel ▸ Interrupt) even when no runner was kept in a variable.
   *
   * @return the result
   * @throws IllegalStateException if no fit has begun, or the latest failed on bad input
   */
  public static RunResult lastResult() {
    CompletableFuture<RunResult> last = LAST.get();
    if (last == null) {
      throw new IllegalStateException("no fit() has run in this JVM yet");
    }
    return await(last);
  }

  private static RunResult await(CompletableFuture<RunResult> pending) {
    if (!pending.isDone() && FITTING.get()) {
      throw new IllegalStateException(
          "the result of a fit still running cannot be read from inside a fit (a callback would"
              + " wait for itself); read it after fit() returns");
    }
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the fit in progress", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the fit failed before its first step: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private RunResult start() {
    require(loss != null, "loss is required: call loss(...), e.g. Loss.softmaxCrossEntropyLoss()");
    require(
        train != null, "training data is required: call data(train) or data(train, validation)");
    require(optimizer != null, "optimizer is required: call optimizer(...)");
    require(
        iterations > 0 || epochs > 0,
        "the run length is required: call iterations(n) or epochs(n)");
    require(
        validateEvery == 0 || validation != null,
        "validateEvery(" + validateEvery + ") needs validation data: call data(train, validation)");
    require(
        testEvery == 0 || test != null,
        "testEvery(" + testEvery + ") needs test data: call test(...)");
    require(
        earlyStopping == null || validation != null,
        "earlyStopping needs validation data: call data(train, validation)");
    require(
        !resumeLatest || checkpoints != null,
        "resume() looks in the checkpoint folder: call checkpoints(Checkpoints.to(dir)) too");
    require(
        fineTuneFrom == null || (resumeFrom == null && !resumeLatest),
        "fineTune(...) starts a new run and resume(...) continues one; choose one");
    ClosedModels.requireOpen(model, "fit");
    if (dataInfo != null) {
      checkOutputWidth(dataInfo);
    }
    Devices.warnIfGpuUnusable(model.getNDManager().getEngine());
    Optimizer opt = optimizer;
    if (scheduleSpec != null || schedule != null) {
      if (!(optimizer instanceof ScheduledOptimizer so)) {
        throw new IllegalArgumentException(
            "schedule(...) needs a RunKit optimizer (dev.runkit.optim.Optimizers); "
                + optimizer.getClass().getName()
                + " takes its learning rate from its own DJL Tracker");
      }
      opt = so.withSchedule(schedule != null ? schedule : scheduleSpec.build(so.baseLr()));
      ownsOptimizer = true;
    }
    RunSettings settings =
        new RunSettings(
            model,
            loss,
            train,
            validation,
            test,
            opt,
            iterations,
            epochs,
            batchSize,
            validateEvery,
            testEvery,
            logEvery,
            metricsInTargetUnits(),
            seed,
            monitor,
            earlyStopping,
            checkpoints,
            resumeFrom,
            resumeLatest,
            fineTuneFrom,
            fineTuneStrict,
            reinitialize,
            accumulate,
            nonFinite,
            gradientClip,
            devices,
            List.copyOf(callbacks),
            name,
            set.contains("progress") ? progress : ProgressListeners.automatic());
    try {
      return new RunResult(
          name == null ? RunResult.UNNAMED : name, TrainingLoop.run(settings), model);
    } finally {
      // an optimizer made here holds native state nobody else can reach; one passed in is the
      // caller's to keep training with
      if (ownsOptimizer && opt instanceof ScheduledOptimizer so) {
        so.close();
      }
    }
  }

  /**
   * Compares the model's outputs per example with the split's classes or forecast steps. A wrong
   * width trains without any error otherwise: MXNet's pick clips class indices past the last
   * output, and a (batch, 1) forecast broadcasts against (batch, steps) targets.
   */
  private void checkOutputWidth(DataInfo info) {
    Shape output;
    try {
      output = model.getBlock().getOutputShapes(new Shape[] {info.batchShape(1)})[0];
    } catch (RuntimeException e) {
      // a block that cannot tell its output shape unrun: the probe forward pass of fit() checks
      // the shapes, with the data
      return;
    }
    long width = output.size();
    if (width != info.outputs()) {
      throw new IllegalArgumentException(
          "the model gives "
              + width
              + " output"
              + (width == 1 ? "" : "s")
              + " per example (shape "
              + output
              + " for one example), but "
              + info.name()
              + " has "
              + info.outputs()
              + " "
              + info.outputsNoun()
              + "; build the model with "
              + info.outputs()
              + " outputs (e.g. "
              + (info.task() == DataInfo.Task.FORECASTING ? "Forecaster.gru(" : "Mlp.outputs(")
              + info.outputs()
              + "))");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
