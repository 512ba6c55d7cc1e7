package dev.runkit.data;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a model must accept and produce for a data set: the shape of one example and the number of
 * outputs (classes, or forecast steps), checked against a model before training starts.
 *
 * @param name the data set name, for messages
 * @param task classification or forecasting
 * @param exampleShape the shape of one example without the batch axis (e.g. {@code [64]} for
 *     digits, {@code [window, 1]} for a series)
 * @param outputs the number of classes (classification) or forecast steps (forecasting)
 */
public record DataInfo(String name, Task task, long[] exampleShape, int outputs) {

  /** The kind of prediction a data set asks for. */
  public enum Task {
    /** One class label per example; outputs are class scores. */
    CLASSIFICATION,
    /** A window of past values per example; outputs are the next values. */
    FORECASTING
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for an empty shape or fewer than one output
   */
  public DataInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    exampleShape = exampleShape.clone();
    if (exampleShape.length == 0 || outputs < 1) {
      throw new IllegalArgumentException(
          "data info needs a shape and >= 1 output, got "
              + Arrays.toString(exampleShape)
              + " and "
              + outputs);
    }
  }

  /**
   * Returns the number of values in one example.
   *
   * @return the product of the example shape
   */
  public long features() {
    long n = 1;
    for (long d : exampleShape) {
      n *= d;
    }
    return n;
  }

  /**
   * Returns the shape of a batch of examples, the batch axis first.
   *
   * @param rows the examples in the batch
   * @return {@code (rows, exampleShape...)}
   */
  public Shape batchShape(long rows) {
    return new Shape(rows).addAll(new Shape(exampleShape));
  }

  /**
   * Names what the outputs of a model for this data are, in the plural.
   *
   * @return {@code "classes"} or {@code "forecast steps"}
   */
  public String outputsNoun() {
    return task == Task.CLASSIFICATION ? "classes" : "forecast steps";
  }

  /**
   * Returns the shape of one example.
   *
   * @return a copy of the shape, without the batch axis
   */
  @Override
  public long[] exampleShape() {
    return exampleShape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataInfo other
        && name.equals(other.name)
        && task == other.task
        && Arrays.equals(exampleShape, other.exampleShape)
        && outputs == other.outputs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, task, Arrays.hashCode(exampleShape), outputs);
  }

  @Override
  public String toString() {
    return name
        + " ("
        + task
        + ", example "
        + Arrays.toString(exampleShape)
        + ", "
        + outputs
        + " outputs)";
  }
}
