package dev.runkit.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import dev.runkit.registry.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks before the first step, each throwing {@link IllegalArgumentException} with what was
 * found and what would fit: the batch size, the data against the model (one forward pass and the
 * loss on a batch of each part, which also initializes an uninitialized block), the device of the
 * parameters, and the monitored metric.
 */
final class Preflight {

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
   * Initializes the block from the data if needed (seeded, so the seed fixes the initial weights as
   * well as the data order), then runs one forward pass, the loss and the metrics on a batch of
   * each part of the data.
   *
   * @param s the settings
   * @param devices the run's devices; the first holds the model's parameters
   * @param manager the run's manager, on the first device
   * @param parameterStore the run's parameter store
   * @param batchSize the training batch size
   * @throws IllegalArgumentException naming the part, the shapes and the first line of the error
   */
  static void modelFitsData(
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
      if (!block.isInitialized()) {
        engine.setRandomSeed((int) s.seed());
        Shape[] shapes = data.stream().map(NDArray::getShape).toArray(Shape[]::new);
        // the parameters live as long as the model, on the run's first device
        block.initialize(
            device.equals(owner.getDevice()) ? owner : owner.newSubManager(device),
            DataType.FLOAT32,
            shapes);
      }
      parametersOnFirstDevice(block, devices);
      tryForward(s, parameterStore, "training", data, labels);
      if (s.validation() != null) {
        Batch v = OrderedBatches.first(s.validation(), probe, batchSize, "validation");
        tryForward(
            s,
            parameterStore,
            "validation",
            Devices.onto(v.getData(), device),
            Devices.onto(v.getLabels(), device));
      }
      if (s.test() != null) {
        Batch t = OrderedBatches.first(s.test(), probe, batchSize, "test");
        tryForward(
            s,
            parameterStore,
            "test",
            Devices.onto(t.getData(), device),
            Devices.onto(t.getLabels(), device));
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

  private static void tryForward(
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
}
