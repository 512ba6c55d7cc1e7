package dev.runkit.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.runkit.data.Normalizer;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Ready-made metrics: accuracy and top-k accuracy for classification; MAE, RMSE, MAPE and R² for
 * regression and forecasting, masked as in BasicTS (targets equal to the null value, NaN by
 * default, are left out, and MAPE also leaves out targets near zero), in normalised units or, with
 * {@link #denormalized(Metric, double, double)}, in the data's units.
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
   * @throws IllegalArgumentException if k is below 1; its measurement throws it when the model
   *     gives fewer than k scores per example (reported before the first step by {@code fit()})
   */
  public static Metric topK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("topK k must be >= 1, got " + k);
    }
    return new Named(
        "top" + k + "_accuracy",
        true,
        (label, pred) -> {
          long classes = pred.getShape().get(pred.getShape().dimension() - 1);
          if (k > classes) {
            // the slice below would take every class: each row a hit, a metric stuck at 1
            throw new IllegalArgumentException(
                "top"
                    + k
                    + "_accuracy needs at least "
                    + k
                    + " classes, but the model gives "
                    + classes
                    + " scores per example");
          }
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

  /**
   * Returns the coefficient of determination {@code R² = 1 - Σ(y - ŷ)² / Σ(y - baseline)²} over
   * targets that are not NaN: 1 for perfect predictions, 0 for predictions no better than always
   * giving the baseline, negative for worse. The baseline is the mean of each target over the
   * training data ({@code SplitData.targetMeans()}), the constant a model must beat; measured
   * against the evaluated rows' own mean it would be scikit-learn's {@code r2_score}, which needs
   * the whole set before the first row is scored. Several outputs are pooled, as scikit-learn's
   * {@code multioutput="variance_weighted"}. R² has no units, so it needs no de-normalising.
   *
   * <pre>{@code
   * runner.metrics(Metrics.mae(), Metrics.rmse(), Metrics.r2(data.targetMeans()));
   * }</pre>
   *
   * @param baseline the mean of each target (one value per output, or one for all)
   * @return the metric {@code r2}; higher is better
   * @throws IllegalArgumentException if no baseline is given or one is not finite; its measurement
   *     throws it when the targets have another number of outputs (reported before the first step
   *     by {@code fit()})
   */
  public static Metric r2(double... baseline) {
    if (baseline.length == 0 || !Arrays.stream(baseline).allMatch(Double::isFinite)) {
      throw new IllegalArgumentException(
          "r2 needs one finite baseline mean per output, got " + Arrays.toString(baseline));
    }
    return new R2(baseline.clone());
  }

  /**
   * Returns an error metric that reports in the data's units when the model's outputs and targets
   * are z-score normalised ({@code normalised = (raw - mean) / std}, as {@code Series.split} does;
   * its {@code SplitData.scaler()} holds the two numbers): predictions and targets are both turned
   * back into the data's units before the error is taken, so MAE and RMSE come out multiplied by
   * {@code std} and MAPE is relative to the raw target. The null value and MAPE's near-zero mask
   * apply to the raw targets, as in BasicTS, whose metrics see de-normalised data. The loss is
   * unaffected and stays in normalised units.
   *
   * <pre>{@code
   * Scaler s = data.scaler();
   * runner.metrics(Metrics.denormalized(Metrics.mae(), s.mean(), s.std()));   // MAE in ppm
   * }</pre>
   *
   * @param metric {@link #mae()}, {@link #rmse()} or {@link #mape()} (with any null value)
   * @param mean the mean that was subtracted
   * @param std the deviation that was divided by, {@code > 0}
   * @return the metric, under the same name
   * @throws IllegalArgumentException if the metric is not one of those three, or mean or std is not
   *     finite, or std is not positive
   * @throws IllegalStateException if the metric is de-normalised already
   */
  public static Metric denormalized(Metric metric, double mean, double std) {
    Metric inner = metric instanceof InTargetUnits u ? u.metric() : metric;
    if (!(inner instanceof Masked m)) {
      throw new IllegalArgumentException(
          "metric \""
              + metric.name()
              + "\" cannot be de-normalised; only Metrics.mae(), rmse() and mape() can");
    }
    if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
      throw new IllegalArgumentException(
          "denormalized("
              + m.name()
              + ") needs a finite mean and a finite std > 0, got mean "
              + mean
              + " and std "
              + std);
    }
    if (metric instanceof InTargetUnits u) {
      throw new IllegalStateException(
          "metric \""
              + m.name()
              + "\" is de-normalised already (mean "
              + u.mean()[0]
              + ", std "
              + u.std()[0]
              + ")");
    }
    return new InTargetUnits(m, new float[] {(float) mean}, new float[] {(float) std});
  }

  /**
   * Returns a metric measured in the targets' units when a split standardised its regression
   * targets ({@code SplitData.normalized()}): targets and predictions are turned back with each
   * target's training mean and deviation before the metric sees them, so MAE is in the targets'
   * units and R² takes a baseline in them ({@code SplitData.targetMeans()}). A runner given such a
   * split ({@code Runner.data(SplitData, int)} or {@code describe}) does this for every metric by
   * itself; the loss stays in standardised units.
   *
   * @param metric any metric of targets (not one de-normalised already with {@link
   *     #denormalized(Metric, double, double)})
   * @param targets the split's {@code targetNormalizer()}
   * @return the metric, under the same name
   */
  public static Metric inTargetUnits(Metric metric, Normalizer targets) {
    return new InTargetUnits(metric, targets.means(), targets.stds());
  }

  /**
   * A metric of targets and predictions turned back into the targets' units, per target ({@link
   * #inTargetUnits}) or with one mean and deviation for all ({@link #denormalized}).
   */
  private record InTargetUnits(Metric metric, float[] mean, float[] std) implements Metric {

    @Override
    public String name() {
      return metric.name();
    }

    @Override
    public boolean higherIsBetter() {
      return metric.higherIsBetter();
    }

    @Override
    public NDList contribution(NDList labels, NDList predictions) {
      NDArray target = labels.head();
      NDArray pred = shapedLike(predictions.head(), target);
      NDArray m = target.getManager().create(mean).toDevice(target.getDevice(), false);
      NDArray s = target.getManager().create(std).toDevice(target.getDevice(), false);
      return metric.contribution(new NDList(target.mul(s).add(m)), new NDList(pred.mul(s).add(m)));
    }

    @Override
    public double value(double sum, double count) {
      return metric.value(sum, count);
    }
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

  /** R² as a sum (squared errors) and a count (squared deviations from the baseline). */
  private record R2(double[] baseline) implements Metric {

    @Override
    public String name() {
      return "r2";
    }

    @Override
    public boolean higherIsBetter() {
      return true;
    }

    @Override
    public NDList contribution(NDList labels, NDList predictions) {
      NDArray target = labels.head();
      NDArray pred = shapedLike(predictions.head(), target);
      long outputs = target.getShape().dimension() < 2 ? 1 : target.getShape().tail();
      if (baseline.length != 1 && baseline.length != outputs) {
        throw new IllegalArgumentException(
            "r2 has "
                + baseline.length
                + " baseline means, but the targets have "
                + outputs
                + " values per example");
      }
      float[] centre = new float[baseline.length];
      for (int i = 0; i < centre.length; i++) {
        centre[i] = (float) baseline[i];
      }
      NDArray keep = target.isNaN().logicalNot();
      // missing targets become the baseline: both their error and their deviation are then zero
      NDArray mean = target.getManager().create(centre).toDevice(target.getDevice(), false);
      NDArray safeTarget = NDArrays.where(keep, target, mean.broadcast(target.getShape()));
      NDArray safePred = NDArrays.where(keep, pred, safeTarget);
      NDArray sse = safePred.sub(safeTarget).square().sum();
      NDArray sst = safeTarget.sub(mean).square().sum();
      return new NDList(sse, sst);
    }

    @Override
    public double value(double sum, double count) {
      return count == 0 ? Double.NaN : 1 - sum / count;
    }
  }

  /**
   * A BasicTS-style masked error: sum of the error over kept targets, count of kept targets ({@link
   * InTargetUnits} turns predictions and targets into the data's units first, {@code x * std +
   * mean}).
   */
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
      NDArray pred = shapedLike(predictions.head(), target);
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

  /**
   * Returns the predictions in the target's shape when they hold as many values in another shape (a
   * model's {@code [n, 1]} output for {@code [n]} targets), else as they are.
   */
  private static NDArray shapedLike(NDArray pred, NDArray target) {
    if (!pred.getShape().equals(target.getShape()) && pred.size() == target.size()) {
      return pred.reshape(target.getShape());
    }
    return pred;
  }
}
