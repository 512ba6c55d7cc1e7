package dev.runkit.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.function.BiFunction;

/**
 * Ready-made metrics: accuracy and top-k accuracy for classification; MAE, RMSE and MAPE for
 * regression and forecasting, masked as in BasicTS (targets equal to the null value, NaN by
 * default, are left out, and MAPE also leaves out targets near zero).
 */
public final class Metrics {

  /** Targets closer than this to the null value (or, for MAPE, to zero) are masked out. */
  private static final float MASK_EPS = 5e-5f;

  private Metrics() {}

  /**
   * Returns classification accuracy: the share of rows whose highest-scoring class is the label.
   *
   * @return the metric {@code accuracy}
   */
  public static Metric accuracy() {
    return new Named(
        "accuracy",
        true,
        (label, pred) -> {
          NDArray predicted = pred.argMax(-1).toType(label.getDataType(), false);
          return new NDList(predicted.eq(label).toType(DataType.FLOAT32, false).sum());
        });
  }

  /**
   * Returns top-k accuracy: the share of rows whose label is among the k highest-scoring classes.
   *
   * @param k how many classes count, {@code >= 1}
   * @return the metric {@code top<k>_accuracy}
   * @throws IllegalArgumentException if k is below 1
   */
  public static Metric topK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("topK k must be >= 1, got " + k);
    }
    return new Named(
        "top" + k + "_accuracy",
        true,
        (label, pred) -> {
          NDArray best = pred.argSort(-1, false).get("..., :" + k);
          NDArray hits = best.toType(label.getDataType(), false).eq(label.expandDims(-1));
          return new NDList(hits.toType(DataType.FLOAT32, false).sum());
        });
  }

  /**
   * Returns the mean absolute error over targets that are not NaN.
   *
   * @return the metric {@code mae}
   */
  public static Metric mae() {
    return mae(Float.NaN);
  }

  /**
   * Returns the mean absolute error over targets that differ from a null value (BasicTS {@code
   * masked_mae}).
   *
   * @param nullValue the value marking missing targets (NaN for NaN)
   * @return the metric {@code mae}
   */
  public static Metric mae(float nullValue) {
    return new Masked("mae", nullValue, false, (err, target) -> err.abs(), false);
  }

  /**
   * Returns the root mean squared error over targets that are not NaN.
   *
   * @return the metric {@code rmse}
   */
  public static Metric rmse() {
    return rmse(Float.NaN);
  }

  /**
   * Returns the root mean squared error over targets that differ from a null value (BasicTS {@code
   * masked_rmse}).
   *
   * @param nullValue the value marking missing targets (NaN for NaN)
   * @return the metric {@code rmse}
   */
  public static Metric rmse(float nullValue) {
    return new Masked("rmse", nullValue, false, (err, target) -> err.square(), true);
  }

  /**
   * Returns the mean absolute percentage error (as a fraction) over targets that are not NaN and
   * not near zero.
   *
   * @return the metric {@code mape}
   */
  public static Metric mape() {
    return mape(Float.NaN);
  }

  /**
   * Returns the mean absolute percentage error (as a fraction) over targets that differ from a null
   * value and from zero (BasicTS {@code masked_mape}).
   *
   * @param nullValue the value marking missing targets (NaN for NaN)
   * @return the metric {@code mape}
   */
  public static Metric mape(float nullValue) {
    return new Masked("mape", nullValue, true, (err, target) -> err.abs().div(target.abs()), false);
  }

  /** A metric whose count is the number of rows; the label is flattened to one value per row. */
  private record Named(String name, boolean higherIsBetter, BiFunction<NDArray, NDArray, NDList> f)
      implements Metric {
    @Override
    public NDList contribution(NDList labels, NDList predictions) {
      NDArray label = labels.head();
      if (label.getShape().dimension() != 1) {
        label = label.reshape(-1);
      }
      return f.apply(label, predictions.head());
    }
  }

  /** A BasicTS-style masked error: sum of the error over kept targets, count of kept targets. */
  private record Masked(
      String name,
      float nullValue,
      boolean maskZeros,
      BiFunction<NDArray, NDArray, NDArray> error,
      boolean sqrt)
      implements Metric {

    @Override
    public boolean higherIsBetter() {
      return false;
    }

    @Override
    public NDList contribution(NDList labels, NDList predictions) {
      NDArray target = labels.head();
      NDArray pred = predictions.head();
      if (!pred.getShape().equals(target.getShape()) && pred.size() == target.size()) {
        pred = pred.reshape(target.getShape());
      }
      NDArray keep =
          Float.isNaN(nullValue)
              ? target.isNaN().logicalNot()
              : target.sub(nullValue).abs().gt(MASK_EPS);
      if (maskZeros) {
        keep = keep.logicalAnd(target.abs().gt(MASK_EPS));
      }
      // masked targets are replaced before the error so NaN never reaches the sum (NaN * 0 = NaN)
      NDArray safeTarget = NDArrays.where(keep, target, target.onesLike());
      NDArray err = error.apply(pred.sub(safeTarget), safeTarget);
      NDArray kept = NDArrays.where(keep, err, err.zerosLike());
      return new NDList(kept.sum(), keep.toType(DataType.FLOAT32, false).sum());
    }

    @Override
    public double value(double sum, double count) {
      double mean = count == 0 ? Double.NaN : sum / count;
      return sqrt ? Math.sqrt(mean) : mean;
    }
  }
}
