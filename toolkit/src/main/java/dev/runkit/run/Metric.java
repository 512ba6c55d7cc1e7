package dev.runkit.run;

import ai.djl.ndarray.NDList;

/**
 * A quantity measured on batches and averaged over an interval (a logging interval, a validation
 * pass). Each batch contributes a sum and a count computed on the device, so measuring forces no
 * host synchronisation; the average is read back only when it is reported.
 *
 * <p>Ready-made metrics are in {@link Metrics}; a user's own metric implements this interface.
 */
public interface Metric {

  /**
   * Returns the name used in the history and by early stopping (e.g. {@code accuracy}).
   *
   * @return the name
   */
  String name();

  /**
   * Says whether a larger value is better (accuracy) or a smaller one (errors).
   *
   * @return true when higher is better
   */
  boolean higherIsBetter();

  /**
   * Returns a batch's contribution as on-device scalars: {@code [sum]}, when the count is the
   * number of rows in the batch, or {@code [sum, count]} when the metric counts its own elements
   * (masked metrics).
   *
   * @param labels the batch labels
   * @param predictions the model outputs
   * @return one or two scalar arrays
   */
  NDList contribution(NDList labels, NDList predictions);

  /**
   * Turns the accumulated sum and count into the reported value; the mean unless overridden (RMSE
   * takes the square root).
   *
   * @param sum the accumulated sum
   * @param count the accumulated count
   * @return the value, NaN when the count is 0
   */
  default double value(double sum, double count) {
    return count == 0 ? Double.NaN : sum / count;
  }
}
