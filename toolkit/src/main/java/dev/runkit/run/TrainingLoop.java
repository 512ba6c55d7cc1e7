package dev.runkit.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import dev.runkit.optim.ScheduledOptimizer;
import dev.runkit.registry.Names;
import dev.runkit.schedule.MetricSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.tablesaw.api.Table;

/**
 * The iteration loop: draws batches from an endless seeded stream, makes one optimizer update per
 * iteration (after {@code accumulate} micro-batches), and validates, tests, logs and checkpoints on
 * schedule.
 *
 * <p>Why it does not use DJL's {@code Trainer.step()}: that closes every gradient handle after each
 * update, and closing an MXNet array waits for it to be computed, so the Java thread can never run
 * ahead of the engine. Here gradient handles are fetched once and reused, each iteration's batch
 * (and the intermediate arrays attached to it) is closed one iteration late, and the loss is summed
 * on the device and read back only when it is reported.
 *
 * <p>With several devices ({@link RunSettings#devices()}) each batch is split over {@link Replicas}
 * and their gradients are summed onto the model's own parameters (replica 0), which are clipped,
 * updated, then copied to the other replicas; validation, test, metrics and checkpoints use replica
 * 0 alone. With one device none of that runs: the step is the one described above.
 *
 * <p>Bad input found before the first step is thrown ({@link IllegalArgumentException}); once the
 * first step has run, nothing is thrown: a failure ends the run with {@link StopReason#FAILED}.
 */
public final class TrainingLoop implements RunContext {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
  private static final Pattern PERIODIC = Pattern.compile("ckpt-(\\d+)\\.rkc");
  private static final String TRAIN = "train";
  private static final String VALIDATION = "validation";
  private static final String TEST = "test";

  private final RunSettings s;
  private final Block block;
  private final Engine engine;
  private final Optimizer optimizer;
  private final Monitor monitor;
  private final List<Callback> callbacks;
  private final History history = new History();
  private final Map<String, Double> latest = new LinkedHashMap<>();

  private NDManager manager;
  private ParameterStore parameterStore;
  private Device device;
  private List<Device> devices;
  private Replicas replicas;
  private int batchSize;
  private long total;
  private long logEvery;
  private long validateEvery;
  private BatchStream stream;
  private GeneratorReplay generator;
  private Runnable pendingReplay;
  private Set<Long> savePoints = Set.of();

  private final List<String> names = new ArrayList<>();
  private final List<NDArray> weights = new ArrayList<>();
  private final List<NDArray> gradients = new ArrayList<>();
  private final List<NDArray> accumulated = new ArrayList<>();
  private List<NDArray> bestWeights;

  private Meter lossMeter;
  private Meter gradNormMeter;
  private final List<Meter> metricMeters = new ArrayList<>();
  private final List<Batch> inFlight = new ArrayList<>();

  private long iteration;
  private long skipped;
  private double elapsedBefore;
  private long startNanos;
  private long intervalStartNanos;
  private long intervalStartIteration;
  private long lastValidated = -1;
  private long lastCheckpoint = -1;
  private long scheduledDone = -1;
  private long lastLogged;
  private PendingLog pendingLog;

  private double bestValue = Double.NaN;
  private long bestIteration = -1;
  private Path bestCheckpoint;
  private Path resumedFrom;
  private double esBest = Double.NaN;
  private int esBad;

  private StopReason stopReason;
  private String stopMessage;

  private TrainingLoop(RunSettings settings) {
    this.s = settings;
    this.block = settings.model().getBlock();
    this.engine = settings.model().getNDManager().getEngine();
    this.optimizer = settings.optimizer();
    this.monitor =
        settings.earlyStopping() != null
            ? settings.earlyStopping().monitor()
            : settings.monitor() != null ? settings.monitor() : Monitor.min("loss");
    this.callbacks = List.copyOf(settings.callbacks());
  }

  /**
   * Runs a fit to its end.
   *
   * @param settings what to run
   * @return how it ended, with the history
   * @throws IllegalArgumentException for bad input found before the first step
   */
  public static RunOutcome run(RunSettings settings) {
    TrainingLoop loop = new TrainingLoop(settings);
    try {
      loop.prepare();
    } catch (RuntimeException e) {
      loop.release();
      throw e;
    }
    return loop.execute();
  }

  // ---------------------------------------------------------------- preparation (may throw)

  private void prepare() {
    if (block == null) {
      throw new IllegalArgumentException("the model has no block; call model.setBlock(...) first");
    }
    Device modelDevice = s.model().getNDManager().getDevice();
    devices = s.devices().isEmpty() ? Devices.defaults(modelDevice, engine) : s.devices();
    device = devices.get(0);
    manager = s.model().getNDManager().newSubManager(device);
    parameterStore = new ParameterStore(manager, false);
    batchSize = s.batchSize() > 0 ? s.batchSize() : datasetBatchSize(s.train());
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "batch size unknown: the training dataset was built without setSampling(batchSize, ...);"
              + " call batchSize(n)");
    }
    if (s.train().size() == 0) {
      throw new IllegalArgumentException("training data is empty (0 rows)");
    }
    stream = new BatchStream(s.train(), batchSize, s.seed(), manager);
    total =
        s.epochs() > 0
            ? Math.max(1, s.epochs() * stream.batchesPerEpoch() / s.accumulate())
            : s.iterations();
    logEvery = s.logEvery() > 0 ? s.logEvery() : Math.max(1, Math.min(100, total / 20));
    validateEvery =
        s.validateEvery() > 0
            ? s.validateEvery()
            : s.validation() != null ? Math.max(1, (total + 9) / 10) : 0;

    if (s.checkpoints() != null) {
      savePoints = s.checkpoints().iterations(stream.batchesPerEpoch(), s.accumulate(), total);
    }
    checkModelFitsData();
    collectParameters();
    List<String> measured = new ArrayList<>(List.of("loss"));
    s.metrics().forEach(m -> measured.add(m.name()));
    if (!measured.contains(monitor.metric())) {
      throw new IllegalArgumentException(
          "monitored metric \""
              + monitor.metric()
              + "\" is not measured; measured: "
              + measured
              + Names.nearest(monitor.metric(), measured)
                  .map(n -> ". Did you mean \"" + n + "\"?")
                  .orElse(""));
    }
    lossMeter = new Meter("loss", manager);
    for (Metric m : s.metrics()) {
      metricMeters.add(new Meter(m.name(), manager));
    }
    if (s.gradientClip() != null) {
      gradNormMeter = new Meter("grad_norm", manager);
    }
    if (s.fineTuneFrom() != null) {
      checkFineTuneSourceOutsideCheckpoints();
      Checkpoint ckpt = Checkpoint.read(s.fineTuneFrom());
      restoreParameters(ckpt, s.fineTuneStrict(), s.fineTuneFrom());
    }
    generator = new GeneratorReplay(engine, s.seed(), block);
    Optional<Path> resume = resumeFile();
    if (resume.isPresent()) {
      restore(resume.get());
    } else {
      generator.reseed(0, stream.epoch(), stream.batchInEpoch());
      if (s.checkpoints() != null) {
        LaterCheckpoints.setAside(s.checkpoints(), 0, s.fineTuneFrom());
      }
    }
    if (devices.size() > 1) {
      // copied last, so that the replicas start from fine-tuned or resumed parameters
      replicas = new Replicas(block, parameterStore, gradients, devices, manager);
      LOG.info(
          "training on {} ({} replicas, data parallel)", Devices.names(devices), devices.size());
    } else {
      // the logger writes to stderr, which a notebook shows in every cell: one device is the
      // ordinary case and is said by RunResult.devices() and the command line's summary
      LOG.debug("training on {}", Devices.names(devices));
    }
    if (pendingReplay != null) {
      pendingReplay.run();
      pendingReplay = null;
    }
  }

  /**
   * A fine-tuning source named like one of the run's own checkpoints, in its folder, would outrank
   * them when pruning, be taken for the latest by {@code resume()}, and be overwritten at its
   * iteration (or by a new best).
   */
  private void checkFineTuneSourceOutsideCheckpoints() {
    if (s.checkpoints() == null) {
      return;
    }
    Path source = s.fineTuneFrom().toAbsolutePath().normalize();
    Path folder = s.checkpoints().directory().toAbsolutePath().normalize();
    String name = source.getFileName().toString();
    if (folder.equals(source.getParent())
        && (PERIODIC.matcher(name).matches() || name.equals(Checkpoints.BEST))) {
      throw new IllegalArgumentException(
          "fineTune source "
              + s.fineTuneFrom()
              + " lies among the checkpoints of this run's folder "
              + s.checkpoints().directory()
              + ", which the run prunes, overwrites and moves aside; copy it to another folder or"
              + " write this run's checkpoints elsewhere");
    }
  }

  private static int datasetBatchSize(RandomAccessDataset dataset) {
    // DJL keeps the sampler (and its batch size) protected; reading it spares users from giving
    // the batch size twice
    try {
      Field field = RandomAccessDataset.class.getDeclaredField("sampler");
      field.setAccessible(true);
      Sampler sampler = (Sampler) field.get(dataset);
      return sampler == null ? 0 : sampler.getBatchSize();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  /** Initializes the block from the data if needed, then checks one forward pass and the loss. */
  private void checkModelFitsData() {
    try (NDManager probe = manager.newSubManager()) {
      Batch first = firstBatch(s.train(), probe, "training");
      NDList data = onDevice(first.getData());
      NDList labels = onDevice(first.getLabels());
      NDManager owner = s.model().getNDManager();
      if (!block.isInitialized()) {
        // the seed fixes the initial weights as well as the data order
        engine.setRandomSeed((int) s.seed());
        Shape[] shapes = data.stream().map(NDArray::getShape).toArray(Shape[]::new);
        // the parameters live as long as the model, on the run's first device
        block.initialize(
            device.equals(owner.getDevice()) ? owner : owner.newSubManager(device),
            DataType.FLOAT32,
            shapes);
      }
      checkParametersOnFirstDevice();
      tryForward("training", data, labels);
      if (s.validation() != null) {
        Batch v = firstBatch(s.validation(), probe, "validation");
        tryForward("validation", onDevice(v.getData()), onDevice(v.getLabels()));
      }
      if (s.test() != null) {
        Batch t = firstBatch(s.test(), probe, "test");
        tryForward("test", onDevice(t.getData()), onDevice(t.getLabels()));
      }
    }
  }

  /** The first device holds the model's own parameters (replica 0), so they must live there. */
  private void checkParametersOnFirstDevice() {
    if (block.getParameters().isEmpty()) {
      return;
    }
    Device at = block.getParameters().valueAt(0).getArray().getDevice();
    if (!at.equals(device)) {
      throw new IllegalArgumentException(
          "the model's parameters are on "
              + at
              + ", but the run's devices "
              + Devices.names(devices)
              + " start with "
              + device
              + "; the first device holds the model's own parameters: list "
              + Devices.names(List.of(at)).get(0)
              + " first");
    }
  }

  private void tryForward(String what, NDList data, NDList labels) {
    NDList predictions;
    try {
      predictions = block.forward(parameterStore, data, false);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          what
              + " data does not fit the model: data shapes "
              + shapes(data)
              + ", model input "
              + block.describeInput()
              + ": "
              + firstLine(e),
          e);
    }
    try {
      NDArray loss = s.loss().evaluate(labels, predictions);
      if (loss.size() != 1) {
        throw new IllegalArgumentException(
            "the loss must reduce a batch to one value, got shape " + loss.getShape());
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          what
              + " labels do not fit the model output: labels "
              + shapes(labels)
              + ", output "
              + shapes(predictions)
              + ": "
              + firstLine(e),
          e);
    }
    for (Metric m : s.metrics()) {
      // the loss fits, so a failure here is the metric's (mae on class labels, say): name it
      try {
        m.contribution(labels, predictions);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "metric \""
                + m.name()
                + "\" cannot be measured on the "
                + what
                + " labels "
                + shapes(labels)
                + " and model output "
                + shapes(predictions)
                + ": "
                + firstLine(e),
            e);
      }
    }
  }

  private static String shapes(NDList list) {
    return list.stream().map(a -> a.getShape().toString()).toList().toString();
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private Batch firstBatch(Dataset dataset, NDManager into, String what) {
    Iterator<Batch> it = batches(dataset, into).iterator();
    if (!it.hasNext()) {
      throw new IllegalArgumentException(what + " data is empty (no batch)");
    }
    return it.next();
  }

  /** Iterates a dataset in order (so evaluation is deterministic), keeping a partial last batch. */
  private Iterable<Batch> batches(Dataset dataset, NDManager into) {
    try {
      if (dataset instanceof RandomAccessDataset r) {
        int own = datasetBatchSize(r);
        int size = own > 0 ? own : batchSize;
        long n = r.size();
        Sampler inOrder =
            new Sampler() {
              @Override
              public Iterator<List<Long>> sample(RandomAccessDataset ignored) {
                return LongStream.range(0, (n + size - 1) / size)
                    .mapToObj(
                        b ->
                            LongStream.range(b * size, Math.min(n, (b + 1) * size))
                                .boxed()
                                .toList())
                    .iterator();
              }

              @Override
              public int getBatchSize() {
                return size;
              }
            };
        return r.getData(into, inOrder);
      }
      return dataset.getData(into);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read data: " + e.getMessage(), e);
    } catch (TranslateException e) {
      throw new IllegalStateException("cannot prepare data: " + e.getMessage(), e);
    }
  }

  private NDList onDevice(NDList list) {
    return list.head().getDevice().equals(device) ? list : list.toDevice(device, false);
  }

  /** Caches weights and gradient handles once: fetching a gradient makes a handle to close. */
  private void collectParameters() {
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      if (!p.requiresGradient()) {
        continue;
      }
      NDArray w = p.getArray();
      if (!w.hasGradient()) {
        w.setRequiresGradient(true);
      }
      names.add(pair.getKey());
      weights.add(w);
      NDArray g = w.getGradient();
      g.attach(manager);
      gradients.add(g);
      if (s.accumulate() > 1) {
        accumulated.add(manager.zeros(w.getShape(), w.getDataType()));
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("the model has no trainable parameters");
    }
  }

  // ---------------------------------------------------------------- the run (never throws)

  private RunOutcome execute() {
    Throwable error = null;
    Map<String, Double> test = Map.of();
    startNanos = System.nanoTime();
    intervalStartNanos = startNanos;
    intervalStartIteration = iteration;
    try {
      for (Callback c : callbacks) {
        c.onStart(this);
      }
      if (s.progress() != null) {
        s.progress().onStart(total);
        if (resumedFrom != null) {
          s.progress().onResume(resumedFrom, iteration);
        }
      }
      while (iteration < total && stopReason == null) {
        for (Callback c : callbacks) {
          c.onIterationStart(this);
        }
        step();
        iteration++;
        for (Callback c : callbacks) {
          c.onIterationEnd(this);
        }
        afterIteration();
      }
      closeInFlight();
      finish();
      test = testAtEnd();
    } catch (Throwable t) {
      error = t;
      stop(StopReason.FAILED, t.toString());
      LOG.error("run failed at iteration {}", iteration, t);
      for (Callback c : callbacks) {
        try {
          c.onException(this, t);
        } catch (RuntimeException e) {
          t.addSuppressed(e);
        }
      }
    }
    if (stopReason == null) {
      stop(StopReason.COMPLETED, iteration + " iterations done");
    }
    for (Callback c : callbacks) {
      try {
        c.onEnd(this, stopReason);
      } catch (RuntimeException e) {
        LOG.warn("callback {} failed in onEnd", c.name(), e);
      }
    }
    if (s.progress() != null) {
      s.progress().onEnd(stopReason, stopMessage);
    }
    RunOutcome outcome =
        new RunOutcome(
            history.toTable(),
            stopReason,
            stopMessage,
            error,
            iteration,
            monitor,
            bestValue,
            bestIteration,
            bestCheckpoint,
            test,
            skipped,
            devices == null ? List.of() : devices);
    release();
    return outcome;
  }

  private void step() {
    List<Batch> current = new ArrayList<>(s.accumulate());
    boolean finite = true;
    for (int k = 0; k < s.accumulate(); k++) {
      Batch batch = stream.next();
      current.add(batch);
      NDList labels = null;
      NDList predictions = null;
      NDArray loss;
      List<Replicas.Slice> slices = null;
      if (replicas == null) {
        NDList data = onDevice(batch.getData());
        labels = onDevice(batch.getLabels());
        try (GradientCollector collector = engine.newGradientCollector()) {
          predictions = block.forward(parameterStore, data, true);
          loss = s.loss().evaluate(labels, predictions);
          collector.backward(loss);
        }
      } else {
        // replica 0's gradients then hold the whole batch's, as if one device had run it
        slices = new ArrayList<>(replicas.size());
        loss = replicas.forwardBackward(batch, block, s.loss(), engine, slices);
      }
      if (s.nonFinite() == NonFinitePolicy.SKIP) {
        // the one per-step host read, asked for by choosing SKIP; gradients too, since a NaN
        // input can leave the loss finite (ReLU maps NaN to 0) while poisoning the gradients
        if (!Float.isFinite(loss.getFloat()) || !finite(gradients)) {
          finite = false;
        }
      }
      if (finite) {
        lossMeter.addMean(loss, 1);
        if (slices == null) {
          for (int m = 0; m < metricMeters.size(); m++) {
            metricMeters
                .get(m)
                .add(s.metrics().get(m).contribution(labels, predictions), batch.getSize());
          }
        } else {
          for (Replicas.Slice slice : slices) {
            for (int m = 0; m < metricMeters.size(); m++) {
              NDList c = s.metrics().get(m).contribution(slice.labels(), slice.predictions());
              metricMeters.get(m).add(replicas.toFirst(c, batch.getManager()), slice.rows());
            }
          }
        }
      }
      if (s.accumulate() > 1) {
        for (int i = 0; i < gradients.size(); i++) {
          if (k == 0) {
            gradients.get(i).copyTo(accumulated.get(i));
          } else {
            accumulated.get(i).addi(gradients.get(i));
          }
        }
      }
    }
    if (finite) {
      List<NDArray> grads = s.accumulate() > 1 ? accumulated : gradients;
      if (s.accumulate() > 1) {
        // each micro-batch loss is a mean, so the big-batch gradient is the mean of theirs
        for (NDArray g : accumulated) {
          g.divi(s.accumulate());
        }
      }
      if (s.gradientClip() != null) {
        NDArray norm = s.gradientClip().apply(grads);
        // the norm is averaged like a metric and closed with this iteration's batches
        norm.attach(current.get(0).getManager());
        gradNormMeter.addMean(norm, 1);
      }
      if (optimizer instanceof ScheduledOptimizer so) {
        so.beginStep(grads);
      }
      for (int i = 0; i < weights.size(); i++) {
        optimizer.update(names.get(i), weights.get(i), grads.get(i));
      }
      if (replicas != null) {
        replicas.broadcast();
      }
    } else {
      skipped++;
      LOG.warn(
          "iteration {}: loss is not finite; update skipped ({} so far)", iteration + 1, skipped);
    }
    // closing waits for an array to be computed, so the previous iteration's batches are closed
    // only now, after this iteration's work has been queued behind them
    closeInFlight();
    inFlight.addAll(current);
  }

  private void closeInFlight() {
    for (Batch b : inFlight) {
      b.close();
    }
    inFlight.clear();
  }

  private void afterIteration() {
    boolean last = iteration == total;
    // this iteration is queued now, so the report held one iteration ago can be read without
    // leaving the engine idle
    completeLog();
    if (iteration % logEvery == 0 || last) {
      holdTraining();
    }
    if (validationPoint(iteration)
        || testPoint(iteration)
        || scheduledCheckpoint(iteration)
        || last
        || stopReason != null) {
      // these wait for the device anyway; the report comes first so the history keeps its order
      completeLog();
    }
    if (stopReason != null) {
      // finish() does this iteration's scheduled work
      return;
    }
    scheduledWork();
  }

  /** Validates, tests, checkpoints and seeds the generator where the schedule says. */
  private void scheduledWork() {
    scheduledDone = iteration;
    if (validationPoint(iteration)) {
      validate(true);
    }
    if (testPoint(iteration)) {
      evaluate(s.test(), TEST);
    }
    if (scheduledCheckpoint(iteration)) {
      checkpoint(CheckpointKind.PERIODIC);
    }
    if (seedsAt(iteration)) {
      generator.reseed(iteration, stream.epoch(), stream.batchInEpoch());
    }
  }

  /** At the last iteration the test at the end (on the best parameters) takes this one's place. */
  private boolean testPoint(long it) {
    return s.test() != null && s.testEvery() > 0 && it % s.testEvery() == 0 && it != total;
  }

  private boolean validationPoint(long it) {
    return s.validation() != null && (it % validateEvery == 0 || it == total);
  }

  /** Tells whether the schedule writes a checkpoint after an iteration (not counting the end). */
  private boolean scheduledCheckpoint(long it) {
    Checkpoints c = s.checkpoints();
    if (c == null) {
      return false;
    }
    return (c.every() > 0 && it % c.every() == 0)
        || (validationPoint(it) && c.atValidation())
        || savePoints.contains(it);
  }

  /**
   * Tells whether MXNet's generator is seeded after an iteration (see {@link GeneratorReplay}): at
   * scheduled checkpoints and validations, which wait for the engine anyway; seeding every
   * iteration instead cost ~30% of the speed. Never after the last iteration, which is a seeding
   * point only because it is the end: a run resumed from there with more iterations replays from
   * the point before, as a longer run seeds.
   */
  private boolean seedsAt(long it) {
    return s.checkpoints() != null
        && it != total
        && (scheduledCheckpoint(it) || validationPoint(it));
  }

  /** The settings {@link #seedsAt} follows, saved so that a resume that changes them is told. */
  private Map<String, Double> seedingRule() {
    Checkpoints c = s.checkpoints();
    return Map.of(
        "rng.rule.every",
        c == null ? -1.0 : c.every(),
        "rng.rule.atValidation",
        c != null && c.atValidation() ? 1.0 : 0.0,
        "rng.rule.points",
        (double) savePoints.hashCode(),
        "rng.rule.validateEvery",
        (double) validateEvery);
  }

  /** One training-mode forward pass whose results are dropped: replays the generator's draws. */
  private void replayForward(Batch batch) {
    if (replicas != null) {
      replicas.replayForward(batch, block, s.loss(), engine);
      return;
    }
    NDList data = onDevice(batch.getData());
    NDList labels = onDevice(batch.getLabels());
    // MXNet's dropout draws only in training mode, which a gradient collector switches on
    try (GradientCollector collector = engine.newGradientCollector()) {
      s.loss().evaluate(labels, block.forward(parameterStore, data, true));
    }
  }

  /**
   * Ends the run. A run stopped between its scheduled points writes its last checkpoint before the
   * extra training report and validation it makes for the user: the checkpoint then holds what the
   * uninterrupted run held there (meters, best value, early-stopping count, history), so resuming
   * from it is exact, and the extra validation is only reported (it moves neither the best
   * parameters nor early stopping nor a plateau schedule).
   */
  private void finish() {
    completeLog();
    if (stopReason == StopReason.NON_FINITE) {
      return;
    }
    boolean finite = paramsFinite();
    if (finite) {
      if (scheduledDone != iteration) {
        // a stop in this iteration cut its scheduled work short
        scheduledWork();
      }
      if (s.checkpoints() != null && lastCheckpoint != iteration) {
        checkpoint(CheckpointKind.FINAL);
      }
    }
    if (iteration > lastLogged) {
      holdTraining();
      completeLog();
    }
    if (!finite) {
      stop(
          StopReason.NON_FINITE,
          "model parameters became NaN or infinite by iteration " + iteration + " (loss finite)");
    }
    if (stopReason == StopReason.NON_FINITE) {
      return;
    }
    if (finite && s.validation() != null && lastValidated != iteration) {
      validate(false);
    }
    if (s.earlyStopping() != null && s.earlyStopping().restoresBest() && bestWeights != null) {
      copy(bestWeights, weights);
    }
  }

  /**
   * Starts a training report: the meters are moved aside on the device and read by {@link
   * #completeLog()} one iteration later, so the engine never runs dry waiting for the host (the
   * hand-tuned trick of reading the loss a step late).
   */
  private void holdTraining() {
    long from = lastLogged + 1;
    lastLogged = iteration;
    if (lossMeter.isEmpty()) {
      return;
    }
    for (Meter m : allTrainMeters()) {
      m.hold();
    }
    long now = System.nanoTime();
    double seconds = (now - intervalStartNanos) / 1e9;
    double speed = seconds > 0 ? (iteration - intervalStartIteration) / seconds : Double.NaN;
    intervalStartNanos = now;
    intervalStartIteration = iteration;
    pendingLog = new PendingLog(from, iteration, lr(), elapsed(), speed);
  }

  /** Finishes the training report started by {@link #holdTraining()}, if one is pending. */
  private void completeLog() {
    if (pendingLog == null) {
      return;
    }
    PendingLog p = pendingLog;
    pendingLog = null;
    double loss =
        row(TRAIN, lossMeter, null, lossMeter.readHeld(), p.iteration(), p.lr(), p.elapsed());
    for (int m = 0; m < metricMeters.size(); m++) {
      Meter meter = metricMeters.get(m);
      row(TRAIN, meter, s.metrics().get(m), meter.readHeld(), p.iteration(), p.lr(), p.elapsed());
    }
    if (gradNormMeter != null) {
      row(TRAIN, gradNormMeter, null, gradNormMeter.readHeld(), p.iteration(), p.lr(), p.elapsed());
    }
    // only the loss is checked here: checking the parameters too would wait for the step just
    // queued (NaN parameters show in the loss a step later, and checkpoints check them anyway)
    if (!Double.isFinite(loss)) {
      stop(
          StopReason.NON_FINITE,
          String.format(
              Locale.ROOT,
              "training loss became %s between iterations %d and %d (lr %.3g); lower the learning"
                  + " rate, clip gradients, or choose nonFinite(SKIP)",
              loss,
              p.from(),
              p.iteration(),
              p.lr()));
    }
    if (s.progress() != null) {
      double speed = p.speed();
      s.progress()
          .onProgress(
              new Progress(
                  p.iteration(),
                  total,
                  loss,
                  p.lr(),
                  speed,
                  speed > 0 ? (total - p.iteration()) / speed : Double.NaN,
                  latest()));
    }
  }

  /** A training report whose values are still on the device. */
  private record PendingLog(long from, long iteration, double lr, double elapsed, double speed) {}

  /** Adds a history row from a meter's {@code [sum, count]}; returns the value. */
  private double row(
      String phase, Meter meter, Metric metric, double[] sc, long at, double lr, double elapsed) {
    double value = metric == null ? sc[0] / sc[1] : metric.value(sc[0], sc[1]);
    history.add(new History.Row(at, phase, meter.name(), value, lr, elapsed));
    latest.put(phase + "/" + meter.name(), value);
    return value;
  }

  /** Reads a meter (one host sync), adds a history row, resets the meter; returns the value. */
  private double report(Meter meter, Metric metric, String phase) {
    double value = row(phase, meter, metric, meter.read(), iteration, lr(), elapsed());
    meter.reset();
    return value;
  }

  private Map<String, Double> evaluate(Dataset dataset, String phase) {
    Map<String, Double> values = new LinkedHashMap<>();
    try (NDManager pass = manager.newSubManager();
        Meter loss = new Meter("loss", pass)) {
      List<Meter> meters = new ArrayList<>();
      for (Metric m : s.metrics()) {
        meters.add(new Meter(m.name(), pass));
      }
      Batch previous = null;
      for (Batch batch : batches(dataset, pass)) {
        NDList labels = onDevice(batch.getLabels());
        NDList predictions = block.forward(parameterStore, onDevice(batch.getData()), false);
        loss.addMean(s.loss().evaluate(labels, predictions), batch.getSize());
        for (int m = 0; m < meters.size(); m++) {
          meters.get(m).add(s.metrics().get(m).contribution(labels, predictions), batch.getSize());
        }
        if (previous != null) {
          previous.close();
        }
        previous = batch;
      }
      values.put("loss", report(loss, null, phase));
      for (int m = 0; m < meters.size(); m++) {
        values.put(meters.get(m).name(), report(meters.get(m), s.metrics().get(m), phase));
      }
      if (previous != null) {
        previous.close();
      }
    }
    if (s.progress() != null) {
      s.progress().onEvaluation(iteration, phase, Collections.unmodifiableMap(values));
    }
    return values;
  }

  /**
   * Validates; an unscheduled validation (at a stop between scheduled points) is only reported, so
   * that a run resumed from the stop's checkpoint tracks what the uninterrupted run tracked.
   */
  private void validate(boolean scheduled) {
    lastValidated = iteration;
    Map<String, Double> values = evaluate(s.validation(), VALIDATION);
    if (!scheduled) {
      for (Callback c : callbacks) {
        c.onValidationEnd(this, values);
      }
      return;
    }
    double value = values.get(monitor.metric());
    if (optimizer instanceof ScheduledOptimizer so && so.schedule() instanceof MetricSchedule ms) {
      ms.observe(value);
    }
    boolean improved = monitor.improves(value, bestValue, 0);
    if (improved) {
      bestValue = value;
      bestIteration = iteration;
      if (bestWeights == null) {
        bestWeights = new ArrayList<>();
        for (NDArray w : weights) {
          NDArray copy = w.duplicate();
          copy.attach(manager);
          bestWeights.add(copy);
        }
      } else {
        copy(weights, bestWeights);
      }
    }
    EarlyStopping es = s.earlyStopping();
    if (es != null) {
      if (monitor.improves(value, esBest, es.minDelta())) {
        esBest = value;
        esBad = 0;
      } else if (++esBad >= es.patience()) {
        stop(
            StopReason.EARLY_STOPPED,
            String.format(
                Locale.ROOT,
                "no improvement of validation %s%s for %d validations (best %.6g at"
                    + " iteration %d)",
                monitor.metric(),
                es.minDelta() > 0 ? " by more than " + es.minDelta() : "",
                es.patience(),
                bestValue,
                bestIteration));
      }
    }
    for (Callback c : callbacks) {
      c.onValidationEnd(this, values);
    }
    if (improved && s.checkpoints() != null && s.checkpoints().keepBest() && paramsFinite()) {
      Path file = s.checkpoints().directory().resolve(Checkpoints.BEST);
      snapshot().write(file);
      bestCheckpoint = file;
      for (Callback cb : callbacks) {
        cb.onCheckpoint(this, file, CheckpointKind.BEST);
      }
    }
  }

  private Map<String, Double> testAtEnd() {
    if (s.test() == null || stopReason == StopReason.NON_FINITE) {
      return Map.of();
    }
    boolean swap =
        bestWeights != null && !(s.earlyStopping() != null && s.earlyStopping().restoresBest());
    List<NDArray> current = null;
    if (swap) {
      current = new ArrayList<>();
      for (NDArray w : weights) {
        current.add(w.duplicate());
      }
      copy(bestWeights, weights);
    }
    try {
      return evaluate(s.test(), TEST);
    } finally {
      if (current != null) {
        copy(current, weights);
        current.forEach(NDArray::close);
      }
    }
  }

  private static void copy(List<NDArray> from, List<NDArray> to) {
    for (int i = 0; i < from.size(); i++) {
      from.get(i).copyTo(to.get(i));
    }
  }

  private void stop(StopReason reason, String message) {
    if (stopReason == null || reason == StopReason.FAILED) {
      stopReason = reason;
      stopMessage = message;
    }
  }

  private double elapsed() {
    return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
  }

  // ---------------------------------------------------------------- checkpoints

  private boolean paramsFinite() {
    return finite(weights);
  }

  /** Says whether all arrays are finite, with one host read: NaN and infinity survive a sum. */
  private static boolean finite(List<NDArray> arrays) {
    NDList sums = new NDList(arrays.size());
    for (NDArray a : arrays) {
      sums.add(a.sum().toType(DataType.FLOAT64, false));
    }
    try (NDArray total = NDArrays.stack(sums).sum()) {
      return Double.isFinite(total.getDouble());
    } finally {
      sums.close();
    }
  }

  private void checkpoint(CheckpointKind kind) {
    completeLog();
    lastCheckpoint = iteration;
    if (!paramsFinite()) {
      stop(
          StopReason.NON_FINITE,
          "model parameters became NaN or infinite by iteration "
              + iteration
              + "; no checkpoint written, the last good one is kept");
      return;
    }
    Checkpoints c = s.checkpoints();
    Path file = c.fileAt(iteration);
    snapshot().write(file);
    for (Callback cb : callbacks) {
      cb.onCheckpoint(this, file, kind);
    }
    prune(c);
  }

  private void prune(Checkpoints c) {
    // listed checkpoints are kept besides the newest keepLast, not counted among them
    List<Long> saved = new ArrayList<>(periodic(c.directory()));
    saved.removeIf(savePoints::contains);
    for (int i = 0; i < saved.size() - c.keepLast(); i++) {
      long it = saved.get(i);
      if (c.keepEvery() > 0 && it % c.keepEvery() == 0) {
        continue;
      }
      if (bestCheckpoint != null
          && c.fileAt(it)
              .toAbsolutePath()
              .normalize()
              .equals(bestCheckpoint.toAbsolutePath().normalize())) {
        // a resumed run's best found in a periodic checkpoint (no best.rkc of its iteration)
        continue;
      }
      try {
        Files.deleteIfExists(c.fileAt(it));
      } catch (IOException e) {
        LOG.warn("cannot delete old checkpoint {}: {}", c.fileAt(it), e.getMessage());
      }
    }
  }

  /** Returns the iterations of the periodic checkpoints in a folder, ascending. */
  static List<Long> periodic(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(p -> PERIODIC.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + directory, e);
    }
  }

  private Checkpoint snapshot() {
    Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();
    for (var pair : block.getParameters()) {
      NDArray a = pair.getValue().getArray();
      params.put(
          pair.getKey(),
          new Checkpoint.Tensor(a.getDataType().name(), a.getShape().getShape(), a.toByteArray()));
    }
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("best.value", bestValue);
    scalars.put("best.iteration", (double) bestIteration);
    scalars.put("es.best", esBest);
    scalars.put("es.bad", (double) esBad);
    scalars.put("skipped", (double) skipped);
    scalars.put("lastValidated", (double) lastValidated);
    scalars.put("lastLogged", (double) lastLogged);
    scalars.put("train.rows", (double) s.train().size());
    scalars.put("accumulate", (double) s.accumulate());
    generator.save(scalars, iteration, seedsAt(iteration), stream.epoch(), stream.batchInEpoch());
    scalars.putAll(seedingRule());
    if (optimizer instanceof ScheduledOptimizer so && so.schedule() instanceof MetricSchedule ms) {
      ms.state().forEach((k, v) -> scalars.put("schedule." + k, v));
    }
    Map<String, double[]> meters = new LinkedHashMap<>();
    for (Meter m : allTrainMeters()) {
      double[] sc = m.read();
      meters.put(m.name(), new double[] {sc[0], sc[1], m.countsOnDevice() ? 1 : 0});
    }
    Map<String, Map<String, String>> cbs = new LinkedHashMap<>();
    for (Callback c : callbacks) {
      cbs.put(c.name(), Map.copyOf(c.state()));
    }
    OptimizerStates.Encoded opt = OptimizerStates.export(optimizer);
    return new Checkpoint(
        iteration,
        elapsed(),
        s.seed(),
        batchSize,
        stream.epoch(),
        stream.batchInEpoch(),
        params,
        opt.type(),
        opt.bytes(),
        scalars,
        meters,
        cbs,
        List.copyOf(history.rows()));
  }

  private List<Meter> allTrainMeters() {
    List<Meter> all = new ArrayList<>();
    all.add(lossMeter);
    all.addAll(metricMeters);
    if (gradNormMeter != null) {
      all.add(gradNormMeter);
    }
    return all;
  }

  /**
   * Reads the checkpoint to resume from. resume() takes the newest one unasked, so when that one is
   * unreadable the message names the one before it: the run can go on from there once the newest is
   * moved out of the folder.
   */
  private Checkpoint readResumed(Path file) {
    try {
      return Checkpoint.read(file);
    } catch (IllegalArgumentException e) {
      if (s.resumeFrom() != null) {
        throw e;
      }
      List<Long> saved = periodic(s.checkpoints().directory());
      String hint =
          saved.size() < 2
              ? "; it is the only checkpoint in "
                  + s.checkpoints().directory()
                  + ", so there is none older to resume from"
              : "; it is the newest in "
                  + s.checkpoints().directory()
                  + ", which resume takes: move it out of that folder to resume from the one"
                  + " before, "
                  + s.checkpoints().fileAt(saved.get(saved.size() - 2)).getFileName();
      throw new IllegalArgumentException(e.getMessage() + hint, e);
    }
  }

  private Optional<Path> resumeFile() {
    if (s.resumeFrom() != null) {
      return Optional.of(s.resumeFrom());
    }
    if (s.resumeLatest() && s.checkpoints() != null) {
      List<Long> saved = periodic(s.checkpoints().directory());
      if (!saved.isEmpty()) {
        return Optional.of(s.checkpoints().fileAt(saved.get(saved.size() - 1)));
      }
    }
    return Optional.empty();
  }

  private void restore(Path file) {
    Checkpoint c = readResumed(file);
    if (c.seed() != s.seed() || c.batchSize() != batchSize) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " was written by a run with seed "
              + c.seed()
              + " and batch size "
              + c.batchSize()
              + "; this run has seed "
              + s.seed()
              + " and batch size "
              + batchSize
              + ". Resume needs the same (use fineTune(...) to start a new run from its weights)");
    }
    // the data position and the replay of the generator hold only for the same data and grouping
    long rows = c.scalars().getOrDefault("train.rows", (double) s.train().size()).longValue();
    int acc = c.scalars().getOrDefault("accumulate", (double) s.accumulate()).intValue();
    if (rows != s.train().size() || acc != s.accumulate()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " was written by a run with "
              + rows
              + " training rows and accumulate "
              + acc
              + "; this run has "
              + s.train().size()
              + " and "
              + s.accumulate()
              + ". Resume needs the same (use fineTune(...) to start a new run from its weights)");
    }
    if (c.iteration() > total) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " is at iteration "
              + c.iteration()
              + ", past this run's "
              + total
              + " iterations");
    }
    OptimizerStates.check(optimizer, c.optimizerType(), file);
    restoreParameters(c, true, file);
    OptimizerStates.restore(optimizer, c.optimizer(), file);
    iteration = c.iteration();
    // every checkpoint is written after its iteration's scheduled work
    scheduledDone = iteration;
    elapsedBefore = c.elapsed();
    stream.seek(c.epoch(), c.batchInEpoch());
    Map<String, Double> sc = c.scalars();
    bestValue = sc.getOrDefault("best.value", Double.NaN);
    bestIteration = sc.getOrDefault("best.iteration", -1.0).longValue();
    esBest = sc.getOrDefault("es.best", Double.NaN);
    esBad = sc.getOrDefault("es.bad", 0.0).intValue();
    skipped = sc.getOrDefault("skipped", 0.0).longValue();
    lastValidated = sc.getOrDefault("lastValidated", -1.0).longValue();
    lastLogged = sc.getOrDefault("lastLogged", 0.0).longValue();
    if (optimizer instanceof ScheduledOptimizer so && so.schedule() instanceof MetricSchedule ms) {
      Map<String, Double> state = new LinkedHashMap<>();
      sc.forEach(
          (k, v) -> {
            if (k.startsWith("schedule.")) {
              state.put(k.substring("schedule.".length()), v);
            }
          });
      ms.restore(state);
    }
    for (Meter m : allTrainMeters()) {
      double[] saved = c.meters().get(m.name());
      if (saved != null) {
        m.restoreCountsOnDevice(saved[2] != 0);
        m.restore(saved);
      }
    }
    for (Callback cb : callbacks) {
      cb.restore(c.callbacks().getOrDefault(cb.name(), Map.of()));
    }
    history.restore(c.history());
    // replayed once the replicas exist: with several, the step draws its masks slice by slice
    pendingReplay =
        () ->
            generator.resume(
                sc, seedingRule(), iteration, seedsAt(iteration), stream, this::replayForward);
    for (History.Row r : c.history()) {
      latest.put(r.phase() + "/" + r.metric(), r.value());
    }
    if (s.checkpoints() != null) {
      // first, so that a best.rkc of another timeline is not taken for this run's best
      LaterCheckpoints.setAside(s.checkpoints(), iteration, file);
    }
    Optional<Path> best = bestIteration >= 0 ? bestFile(file) : Optional.empty();
    if (best.isPresent()) {
      Checkpoint b = Checkpoint.read(best.get());
      bestWeights = new ArrayList<>();
      for (int i = 0; i < weights.size(); i++) {
        NDArray copy = weights.get(i).duplicate();
        copy.attach(manager);
        setValues(copy, b.parameters().get(names.get(i)));
        bestWeights.add(copy);
      }
      bestCheckpoint = best.get();
    } else if (bestIteration >= 0) {
      LOG.warn(
          "the parameters of the best validation (iteration {}) are in no checkpoint next to {};"
              + " the test at the end and restoreBest use later ones unless validation improves",
          bestIteration,
          file);
    }
    // said through the progress listener, which quiet() silences, not on stderr
    LOG.debug("resumed from {} at iteration {}", file, iteration);
    resumedFrom = file;
  }

  /**
   * Finds a checkpoint holding the best validation's parameters: {@code best.rkc} or the periodic
   * checkpoint of that iteration, in this run's folder or next to the resumed file. Each is checked
   * for that iteration, since a {@code best.rkc} written after the resumed checkpoint (by the run
   * that went on from it) holds other parameters.
   */
  private Optional<Path> bestFile(Path resumed) {
    List<Path> folders = new ArrayList<>();
    if (s.checkpoints() != null) {
      folders.add(s.checkpoints().directory().toAbsolutePath().normalize());
    }
    Path own = resumed.toAbsolutePath().normalize().getParent();
    if (own != null && !folders.contains(own)) {
      folders.add(own);
    }
    for (Path folder : folders) {
      Path periodic = Checkpoints.to(folder).fileAt(bestIteration);
      for (Path f : List.of(folder.resolve(Checkpoints.BEST), periodic)) {
        try {
          if (Files.exists(f) && Checkpoint.read(f).iteration() == bestIteration) {
            return Optional.of(f);
          }
        } catch (RuntimeException e) {
          LOG.warn("cannot read {} while looking for the best parameters: {}", f, e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  private void restoreParameters(Checkpoint c, boolean strict, Path file) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (var pair : block.getParameters()) {
      arrays.put(pair.getKey(), pair.getValue().getArray());
    }
    if (strict && !arrays.keySet().equals(c.parameters().keySet())) {
      List<String> missing = new ArrayList<>(arrays.keySet());
      missing.removeAll(c.parameters().keySet());
      List<String> extra = new ArrayList<>(c.parameters().keySet());
      extra.removeAll(arrays.keySet());
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " does not belong to this model: parameters missing from it "
              + missing
              + ", unknown to the model "
              + extra);
    }
    List<String> loaded = new ArrayList<>();
    for (Map.Entry<String, Checkpoint.Tensor> e : c.parameters().entrySet()) {
      NDArray target = arrays.get(e.getKey());
      if (target == null) {
        continue;
      }
      Checkpoint.Tensor t = e.getValue();
      if (!target.getShape().equals(new Shape(t.shape()))
          || !target.getDataType().name().equals(t.dataType())) {
        if (strict) {
          throw new IllegalArgumentException(
              "checkpoint "
                  + file
                  + " does not belong to this model: parameter "
                  + e.getKey()
                  + " is "
                  + t.dataType()
                  + new Shape(t.shape())
                  + " there, "
                  + target.getDataType().name()
                  + target.getShape()
                  + " in the model");
        }
        continue;
      }
      setValues(target, t);
      loaded.add(e.getKey());
    }
    if (!strict) {
      LOG.info(
          "fine-tuning from {}: loaded {} of {} parameters", file, loaded.size(), arrays.size());
    }
  }

  /** Writes values into an array in place (keeps its gradient attachment, unlike DJL's load). */
  private static void setValues(NDArray target, Checkpoint.Tensor t) {
    ByteBuffer bytes = ByteBuffer.wrap(t.data()).order(ByteOrder.nativeOrder());
    switch (target.getDataType()) {
      case FLOAT32 -> {
        float[] v = new float[t.data().length / 4];
        bytes.asFloatBuffer().get(v);
        target.set(v);
      }
      case FLOAT64 -> {
        double[] v = new double[t.data().length / 8];
        bytes.asDoubleBuffer().get(v);
        target.set(v);
      }
      case INT32 -> {
        int[] v = new int[t.data().length / 4];
        bytes.asIntBuffer().get(v);
        target.set(v);
      }
      case INT64 -> {
        long[] v = new long[t.data().length / 8];
        bytes.asLongBuffer().get(v);
        target.set(v);
      }
      default ->
          throw new IllegalArgumentException(
              "cannot restore a parameter of type " + target.getDataType());
    }
  }

  private void release() {
    closeInFlight();
    if (stream != null) {
      stream.close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  // ---------------------------------------------------------------- RunContext

  @Override
  public long iteration() {
    return iteration;
  }

  @Override
  public long totalIterations() {
    return total;
  }

  @Override
  public double lr() {
    if (optimizer instanceof ScheduledOptimizer so) {
      return so.schedule().lr(Math.max(0, iteration - skipped - 1));
    }
    return Double.NaN;
  }

  @Override
  public Map<String, Double> latest() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(latest));
  }

  @Override
  public Table history() {
    return history.toTable();
  }

  @Override
  public void requestStop(String reason) {
    stop(StopReason.REQUESTED, reason);
  }
}
