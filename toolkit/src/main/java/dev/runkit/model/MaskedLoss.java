package dev.runkit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * A regression loss that leaves out missing targets (NaN), as BasicTS's {@code masked_mae} and
 * {@code masked_mse}: the mean error over the targets that are present.
 */
public final class MaskedLoss extends Loss {

  private final boolean squared;

  private MaskedLoss(String name, boolean squared) {
    super(name);
    this.squared = squared;
  }

  /**
   * Returns the mean absolute error over present targets.
   *
   * @return the loss {@code masked_mae}
   */
  public static MaskedLoss mae() {
    return new MaskedLoss("masked_mae", false);
  }

  /**
   * Returns the mean squared error over present targets.
   *
   * @return the loss {@code masked_mse}
   */
  public static MaskedLoss mse() {
    return new MaskedLoss("masked_mse", true);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.head();
    NDArray pred = predictions.head();
    if (pred.size() != target.size()) {
      // broadcasting one output over several targets would train without a word
      long rows = Math.max(1, target.getShape().get(0));
      throw new IllegalArgumentException(
          getName()
              + " compares each output with its target, but the model gives "
              + pred.size() / rows
              + " value(s) per example and the targets hold "
              + target.size() / rows
              + "; build the model with "
              + target.size() / rows
              + " outputs");
    }
    if (!pred.getShape().equals(target.getShape())) {
      pred = pred.reshape(target.getShape());
    }
    NDArray keep = target.isNaN().logicalNot();
    // a missing target is replaced by the prediction, so its error and gradient are exactly zero
    NDArray safeTarget = NDArrays.where(keep, target, pred);
    NDArray diff = pred.sub(safeTarget);
    NDArray err = squared ? diff.square() : diff.abs();
    NDArray count = keep.toType(DataType.FLOAT32, false).sum().maximum(1f);
    return err.sum().div(count);
  }
}
