package dev.runkit.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Averages one quantity over an interval: the sum lives on the device and grows by in-place adds,
 * so nothing is read back until {@link #read()}; the count is kept on the host when it is the row
 * count, on the device when the metric counts its own elements.
 */
final class Meter implements AutoCloseable {

  private final String name;
  private final Metric metric;
  private final NDArray sum;
  private final NDArray deviceCount;
  private double hostCount;
  private boolean countsOnDevice;
  private final NDArray heldSum;
  private final NDArray heldCount;
  private double heldHostCount;

  /** A meter of a plain mean (the loss, the gradient norm). */
  Meter(String name, NDManager manager) {
    this(name, null, manager);
  }

  /** A meter of a metric, which turns sum and count into its value. */
  Meter(Metric metric, NDManager manager) {
    this(metric.name(), metric, manager);
  }

  private Meter(String name, Metric metric, NDManager manager) {
    this.name = name;
    this.metric = metric;
    this.sum = manager.zeros(new Shape(), DataType.FLOAT32);
    this.deviceCount = manager.zeros(new Shape(), DataType.FLOAT32);
    this.heldSum = manager.zeros(new Shape(), DataType.FLOAT32);
    this.heldCount = manager.zeros(new Shape(), DataType.FLOAT32);
  }

  String name() {
    return name;
  }

  /** Adds a summed contribution over {@code rows} rows ({@code [sum]} or {@code [sum, count]}). */
  void add(NDList contribution, long rows) {
    sum.addi(contribution.get(0));
    if (contribution.size() > 1) {
      deviceCount.addi(contribution.get(1));
      countsOnDevice = true;
    } else {
      hostCount += rows;
    }
  }

  /** Adds a batch mean with weight {@code weight} (1 per training batch, rows in validation). */
  void addMean(NDArray mean, long weight) {
    if (weight == 1) {
      sum.addi(mean);
    } else {
      sum.addi(mean.mul(weight));
    }
    hostCount += weight;
  }

  /** Returns the metric this meter measures, or null for a plain mean. */
  Metric metric() {
    return metric;
  }

  /** Turns a {@code [sum, count]} read from this meter into the reported value. */
  double value(double[] sumAndCount) {
    return metric == null
        ? sumAndCount[0] / sumAndCount[1]
        : metric.value(sumAndCount[0], sumAndCount[1]);
  }

  /** Reads {@code [sum, count]} back to the host: the one synchronisation point of a meter. */
  double[] read() {
    double count = countsOnDevice ? deviceCount.getFloat() : hostCount;
    return new double[] {sum.getFloat(), count};
  }

  /**
   * Moves the interval's sum and count aside on the device and starts a new interval, without
   * waiting: {@link #readHeld()} reads them later, once more work has been queued behind them.
   */
  void hold() {
    sum.copyTo(heldSum);
    deviceCount.copyTo(heldCount);
    heldHostCount = hostCount;
    // a non-finite sum stops the run when it is read, so multiplying by zero is a safe reset here
    sum.muli(0);
    deviceCount.muli(0);
    hostCount = 0;
  }

  /** Reads {@code [sum, count]} moved aside by {@link #hold()}. */
  double[] readHeld() {
    double count = countsOnDevice ? heldCount.getFloat() : heldHostCount;
    return new double[] {heldSum.getFloat(), count};
  }

  boolean isEmpty() {
    return !countsOnDevice && hostCount == 0;
  }

  /** Restores a state read by {@link #read()} (resume mid-interval). */
  void restore(double[] state) {
    sum.set(new float[] {(float) state[0]});
    if (countsOnDevice) {
      deviceCount.set(new float[] {(float) state[1]});
      hostCount = 0;
    } else {
      hostCount = state[1];
    }
  }

  void restoreCountsOnDevice(boolean onDevice) {
    countsOnDevice = onDevice;
  }

  boolean countsOnDevice() {
    return countsOnDevice;
  }

  void reset() {
    // set() rather than muli(0): a NaN sum times zero stays NaN
    sum.set(new float[] {0f});
    deviceCount.set(new float[] {0f});
    hostCount = 0;
  }

  @Override
  public void close() {
    sum.close();
    deviceCount.close();
    heldSum.close();
    heldCount.close();
  }
}
