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
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.util.PairList;
import dev.runkit.registry.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks before the first step, each throwing {@link IllegalArgumentException} with what was
 * found and what would fit: the batch size, the data against the model (one forward pass and the
 * loss on a batch of each part, which also initializes an uninitialized block), the device of the
 * parameters, and the monitored metric.
 */
final class Preflight {

  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
  private static final int LABEL_SAMPLE = 256;
  private static final double FIRST_LOSS_FACTOR = 3;

  private Preflight() {}

  /**
   * Returns the training batch size: the one set, or the one the dataset was built with.
   *
   * @throws IllegalArgumentException if neither says one, or the training data is empty
   */
  static int batchSize(RunSettings s) {
    int batchSize = s.batchSize() > 0 ? s.batchSize() : OrderedBatches.batchSizeOf(s.train());
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "batch size unknown: the training dataset was built without setSampling(batchSize, ...);"
              + " call batchSize(n)");
    }
    if (s.train().size() == 0) {
      throw new IllegalArgumentException("training data is empty (0 rows)");
    }
    return batchSize;
  }

  /**
   * Initializes the block from the data if needed, or again when the settings ask to reinitialize
   * (seeded, so the seed fixes the initial weights as well as the data order), then runs one
   * forward pass, the loss and the metrics on a batch of each part of the data.
   *
   * @param s the settings
   * @param devices the run's devices; the first holds the model's parameters
   * @param manager the run's manager, on the first device
   * @param parameterStore the run's parameter store
   * @param batchSize the training batch size
   * @return true when the model kept the weights it had before the fit
   * @throws IllegalArgumentException naming the part, the shapes and the first line of the error
   */
  static boolean modelFitsData(
      RunSettings s,
      List<Device> devices,
      NDManager manager,
      ParameterStore parameterStore,
      int batchSize) {
    Block block = s.model().getBlock();
    Engine engine = s.model().getNDManager().getEngine();
    Device device = devices.get(0);
    try (NDManager probe = manager.newSubManager()) {
      Batch first = OrderedBatches.first(s.train(), probe, batchSize, "training");
      NDList data = Devices.onto(first.getData(), device);
      NDList labels = Devices.onto(first.getLabels(), device);
      NDManager owner = s.model().getNDManager();
      boolean hadWeights = block.isInitialized();
      if (hadWeights && s.reinitialize()) {
        engine.setRandomSeed((int) s.seed());
        drawAfresh(block);
      } else if (!hadWeights) {
        engine.setRandomSeed((int) s.seed());
        Shape[] shapes = data.stream().map(NDArray::getShape).toArray(Shape[]::new);
        // the parameters live as long as the model, on the run's first device
        block.initialize(
            device.equals(owner.getDevice()) ? owner : owner.newSubManager(device),
            DataType.FLOAT32,
            shapes);
      }
      parametersOnFirstDevice(block, devices);
      NDList predictions = tryForward(s, parameterStore, "training", data, labels);
      if (classIndices(s, predictions, labels)) {
        outputsCoverClasses(predictions, trainingLabelSample(s, probe, labels), "training");
        firstLossOfClassifier(s, predictions, labels);
      }
      if (s.validation() != null) {
        Batch v = OrderedBatches.first(s.validation(), probe, batchSize, "validation");
        checkPart(s, parameterStore, device, v, "validation");
      }
      if (s.test() != null) {
        Batch t = OrderedBatches.first(s.test(), probe, batchSize, "test");
        checkPart(s, parameterStore, device, t, "test");
      }
      return hadWeights && !s.reinitialize();
    }
  }

  /**
   * Draws every parameter afresh with its initializer, in the order of initialization, into the
   * arrays it has (which keeps their gradients attached).
   */
  private static void drawAfresh(Block block) {
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      NDArray a = p.getArray();
      try (NDArray fresh =
          p.getInitializer().initialize(a.getManager(), a.getShape(), a.getDataType())) {
        fresh.copyTo(a);
      }
    }
  }

  /**
   * Checks that the monitored metric is measured.
   *
   * @throws IllegalArgumentException naming the measured ones and the nearest
   */
  static void monitorMeasured(Monitor monitor, List<Metric> metrics) {
    List<String> measured = new ArrayList<>(List.of("loss"));
    metrics.forEach(m -> measured.add(m.name()));
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
  }

  /** The first device holds the model's own parameters (replica 0), so they must live there. */
  private static void parametersOnFirstDevice(Block block, List<Device> devices) {
    if (block.getParameters().isEmpty()) {
      return;
    }
    Device at = block.getParameters().valueAt(0).getArray().getDevice();
    Device first = devices.get(0);
    if (!at.equals(first)) {
      throw new IllegalArgumentException(
          "the model's parameters are on "
              + at
              + ", but the run's devices "
              + Devices.names(devices)
              + " start with "
              + first
              + "; the first device holds the model's own parameters: list "
              + Devices.names(List.of(at)).get(0)
              + " first");
    }
  }

  private static void checkPart(
      RunSettings s, ParameterStore parameterStore, Device device, Batch batch, String what) {
    NDList labels = Devices.onto(batch.getLabels(), device);
    NDList predictions =
        tryForward(s, parameterStore, what, Devices.onto(batch.getData(), device), labels);
    if (classIndices(s, predictions, labels)) {
      outputsCoverClasses(predictions, labels.head(), what);
    }
  }

  /** Runs the model, the loss and the metrics on one batch; returns the model's output. */
  private static NDList tryForward(
      RunSettings s, ParameterStore parameterStore, String what, NDList data, NDList labels) {
    Block block = s.model().getBlock();
    NDList predictions;
    try {
      predictions = block.forward(parameterStore, data, false);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          what
              + " data does not fit the model: data shapes "
              + shapes(data)
              + ", model input "
              + describe(block.describeInput())
              + ": "
              + firstLine(e),
          e);
    }
    try {
      outputsFitTargets(s, predictions, labels);
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
    return predictions;
  }

  /**
   * A classifier trained with softmax cross-entropy on class indices must have an output per class:
   * MXNet picks a label past the last output as the last one and trains on without a word. The
   * labels looked at are a batch, or rows spread over the training data (see {@link
   * #trainingLabelSample}).
   */
  private static void outputsCoverClasses(NDList predictions, NDArray labels, String what) {
    long width = width(predictions);
    long top = (long) labels.max().toType(DataType.FLOAT64, false).getDouble();
    if (top >= width) {
      throw new IllegalArgumentException(
          "the model gives "
              + outputs(width)
              + " per example (shape "
              + oneExample(predictions)
              + " for one example), but the "
              + what
              + " labels hold class "
              + top
              + ", so there are at least "
              + (top + 1)
              + " classes; build the model with "
              + (top + 1)
              + " outputs (e.g. Mlp.outputs("
              + (top + 1)
              + "))");
    }
  }

  /**
   * DJL's L1 and L2 losses compare outputs with targets element by element: the model must give as
   * many values per example as the targets hold (the loss's own error says only that a reshape
   * failed).
   */
  private static void outputsFitTargets(RunSettings s, NDList predictions, NDList labels) {
    if (!(s.loss() instanceof L1Loss || s.loss() instanceof L2Loss)) {
      return;
    }
    long rows = predictions.head().getShape().get(0);
    if (rows == 0 || labels.head().getShape().get(0) != rows) {
      return;
    }
    long given = predictions.head().size() / rows;
    long wanted = labels.head().size() / rows;
    if (given != wanted) {
      throw new IllegalArgumentException(
          "the model gives "
              + outputs(given)
              + " per example, but the targets hold "
              + wanted
              + " value"
              + (wanted == 1 ? "" : "s")
              + " per example; build the model with "
              + outputs(wanted));
    }
  }

  /**
   * Warns when a classifier's loss on its first batch, before any training, lies far above the
   * {@code ln(classes)} of an untrained classifier that spreads its guesses: the sign of features
   * on very different scales, which slows training or stalls it at chance.
   */
  private static void firstLossOfClassifier(RunSettings s, NDList predictions, NDList labels) {
    long classes = width(predictions);
    double expected = Math.log(classes);
    double first =
        s.loss().evaluate(labels, predictions).toType(DataType.FLOAT64, false).getDouble();
    if (classes > 1 && first > FIRST_LOSS_FACTOR * expected) {
      LOG.warn(
          String.format(
              Locale.ROOT,
              "the loss on the first training batch is %.3g, far above ln(%d) = %.3g, the loss of"
                  + " an untrained classifier that spreads its guesses: features on very different"
                  + " scales do this; standardise them (mean 0, standard deviation 1) before"
                  + " training",
              first,
              classes,
              expected));
    }
  }

  /** Tells whether the loss is softmax cross-entropy over class indices, one per example. */
  private static boolean classIndices(RunSettings s, NDList predictions, NDList labels) {
    Shape out = predictions.head().getShape();
    long rows = out.get(0);
    return s.loss() instanceof SoftmaxCrossEntropyLoss
        && out.dimension() >= 2
        && rows > 0
        && labels.head().size() == rows;
  }

  /**
   * Returns the training labels of up to {@value #LABEL_SAMPLE} rows spread evenly over the
   * training data when it is one of DJL's in-memory datasets (whose rows are cheap to read), so
   * that data sorted by class is seen whole; the first batch's labels otherwise.
   */
  private static NDArray trainingLabelSample(RunSettings s, NDManager into, NDList firstBatch) {
    RandomAccessDataset train = s.train();
    if (!train.getClass().getPackageName().equals(ArrayDataset.class.getPackageName())) {
      return firstBatch.head();
    }
    long n = train.size();
    int k = (int) Math.min(n, LABEL_SAMPLE);
    NDList labels = new NDList(k);
    try {
      for (int i = 0; i < k; i++) {
        labels.add(train.get(into, i * n / k).getLabels().head());
      }
      return NDArrays.stack(labels).toDevice(firstBatch.head().getDevice(), false);
    } catch (IOException | RuntimeException e) {
      return firstBatch.head();
    }
  }

  private static long width(NDList predictions) {
    Shape shape = predictions.head().getShape();
    return shape.get(shape.dimension() - 1);
  }

  private static String outputs(long n) {
    return n + " output" + (n == 1 ? "" : "s");
  }

  private static Shape oneExample(NDList predictions) {
    long[] dims = predictions.head().getShape().getShape().clone();
    dims[0] = 1;
    return new Shape(dims);
  }

  /** The model's inputs as {@code [name (shape), ...]} (DJL's PairList prints as an object id). */
  private static String describe(PairList<String, Shape> inputs) {
    return inputs.stream().map(p -> p.getKey() + " " + p.getValue()).toList().toString();
  }

  private static String shapes(NDList list) {
    return list.stream().map(a -> a.getShape().toString()).toList().toString();
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
