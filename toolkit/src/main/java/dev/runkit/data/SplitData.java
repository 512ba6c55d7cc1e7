package dev.runkit.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A data set split into training, validation and test parts, with the shape a model must fit.
 *
 * <pre>{@code
 * SplitData d = SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.8, 0.2, 0), 42);
 * RunResult r = Runner.with(model).loss(loss).data(d, 32)...fit();   // datasets owned by the model
 * ArrayDataset train = d.train().toDataset(manager, 32);              // or one in a manager of yours
 * }</pre>
 *
 * @param info the example shape and outputs
 * @param train the training part
 * @param validation the validation part, or null when the ratio gives it nothing
 * @param test the test part, or null when the ratio gives it nothing
 * @param scaler the normalisation applied to the values ({@link Scaler#identity()} when none), to
 *     turn predictions and errors back into the data's units
 * @param normalizer the standardisation of the feature columns of tabular rows, fitted on the
 *     training part ({@link #normalized()}), or null when the features are as they were read
 * @param targetNormalizer the standardisation of regression targets, fitted on the training part
 *     ({@link #normalized()}), or null when the targets are in their units
 */
public record SplitData(
    DataInfo info,
    Examples train,
    Examples validation,
    Examples test,
    Scaler scaler,
    Normalizer normalizer,
    Normalizer targetNormalizer) {

  /**
   * Checks that there is training data and a scaler, and that the normalizers fit the examples.
   *
   * @throws NullPointerException if info, train or scaler is null
   * @throws IllegalArgumentException if the normalizer has another number of columns than an
   *     example has values, or the target normalizer another than there are outputs
   */
  public SplitData {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(scaler, "scaler");
    if (normalizer != null && normalizer.size() != info.features()) {
      throw new IllegalArgumentException(
          "the normalizer has "
              + normalizer.size()
              + " columns, but an example of "
              + info.name()
              + " has "
              + info.features()
              + " values");
    }
    if (targetNormalizer != null && targetNormalizer.size() != info.outputs()) {
      throw new IllegalArgumentException(
          "the target normalizer has "
              + targetNormalizer.size()
              + " columns, but "
              + info.name()
              + " has "
              + info.outputs()
              + " targets");
    }
  }

  /**
   * Makes a split whose targets are in their units.
   *
   * @param info the example shape and outputs
   * @param train the training part
   * @param validation the validation part, or null
   * @param test the test part, or null
   * @param scaler the normalisation applied to the values
   * @param normalizer the standardisation of the feature columns, or null
   * @throws NullPointerException if info, train or scaler is null
   */
  public SplitData(
      DataInfo info,
      Examples train,
      Examples validation,
      Examples test,
      Scaler scaler,
      Normalizer normalizer) {
    this(info, train, validation, test, scaler, normalizer, null);
  }

  /**
   * Makes a split whose features were not standardised.
   *
   * @param info the example shape and outputs
   * @param train the training part
   * @param validation the validation part, or null
   * @param test the test part, or null
   * @param scaler the normalisation applied to the values
   * @throws NullPointerException if info, train or scaler is null
   */
  public SplitData(
      DataInfo info, Examples train, Examples validation, Examples test, Scaler scaler) {
    this(info, train, validation, test, scaler, null);
  }

  /**
   * Makes a split of values that were not normalised.
   *
   * @param info the example shape and outputs
   * @param train the training part
   * @param validation the validation part, or null
   * @param test the test part, or null
   * @throws NullPointerException if info or train is null
   */
  public SplitData(DataInfo info, Examples train, Examples validation, Examples test) {
    this(info, train, validation, test, Scaler.identity());
  }

  /**
   * Splits labelled rows after a seeded shuffle: the first rows train, the next validate, the rest
   * test. The classes keep the rows' names ({@link LabeledData#classes()}), or their numbers.
   *
   * @param name the data set name
   * @param all the rows
   * @param ratio the train / validation / test shares
   * @param seed the shuffle seed
   * @return the split
   * @throws IllegalArgumentException if a part with a non-zero share would be empty
   */
  public static SplitData classification(String name, LabeledData all, Ratio ratio, long seed) {
    int classes = all.classes().size();
    for (int label : all.labels()) {
      classes = Math.max(classes, label + 1);
    }
    long[] shape = {all.columns()};
    DataInfo info =
        all.classes().isEmpty()
            ? new DataInfo(name, DataInfo.Task.CLASSIFICATION, shape, classes)
            : new DataInfo(name, DataInfo.Task.CLASSIFICATION, shape, classes, all.classes());
    return split(info, all, ratio, seed);
  }

  /**
   * Splits regression rows after a seeded shuffle, as {@link #classification} does.
   *
   * <pre>{@code
   * SplitData d = SplitData.regression("houses", table.regression(3), Ratio.of(0.8, 0.2, 0), 42);
   * }</pre>
   *
   * @param name the data set name
   * @param all the rows
   * @param ratio the train / validation / test shares
   * @param seed the shuffle seed
   * @return the split, one output per target
   * @throws IllegalArgumentException if a part with a non-zero share would be empty
   */
  public static SplitData regression(String name, RegressionData all, Ratio ratio, long seed) {
    DataInfo info =
        new DataInfo(name, DataInfo.Task.REGRESSION, new long[] {all.columns()}, all.outputs());
    return split(info, all, ratio, seed);
  }

  private static <T extends TabularRows<T>> SplitData split(
      DataInfo info, T all, Ratio ratio, long seed) {
    T shuffled = all.shuffled(seed);
    int[] sizes = ratio.sizes(all.size(), info.name());
    int a = sizes[0];
    int b = a + sizes[1];
    return new SplitData(
        info,
        shuffled.rows(0, a),
        sizes[1] == 0 ? null : shuffled.rows(a, b),
        sizes[2] == 0 ? null : shuffled.rows(b, all.size()));
  }

  /**
   * Standardises the feature columns, and the targets of regression rows: mean and deviation of
   * each column fitted on the training part only, then applied to every part, so validation and
   * test stay unseen (fastai's {@code Normalize}). A model trained on the result keeps the
   * statistics ({@link #properties()}), and {@code RunResult.predict(float[][])} then takes rows in
   * the data's units and answers in the targets' units. With standardised targets a model starts
   * near the answer's scale (house prices of 10⁵ are out of reach of a freshly initialised network
   * in any sensible number of steps); the loss is in standardised units, while a runner given this
   * split measures its metrics (MAE, RMSE, R²) in the targets' units. The parts hold the
   * standardised targets: {@code targetNormalizer().denormalize(...)} turns them back. The {@code
   * csv} data set of a config does this unless {@code DATA.PARAM.normalize} is false.
   *
   * <pre>{@code
   * SplitData d = SplitData.classification("flowers", rows, Ratio.of(0.8, 0.2, 0), 42).normalized();
   * }</pre>
   *
   * @return a new split with normalised features and its {@link #normalizer()}, and for regression
   *     rows normalised targets and their {@link #targetNormalizer()}
   * @throws IllegalStateException if this split is normalised already
   * @throws IllegalArgumentException if the examples are not tabular rows ({@link LabeledData},
   *     {@link RegressionData}): series windows are normalised by {@link Series#split}
   */
  public SplitData normalized() {
    if (normalizer != null) {
      throw new IllegalStateException(info.name() + " is normalised already");
    }
    if (!(train instanceof TabularRows<?> rows)) {
      throw new IllegalArgumentException(
          "normalized() standardises the columns of tabular rows (LabeledData, RegressionData),"
              + " but the examples of "
              + info.name()
              + " are "
              + train.getClass().getSimpleName()
              + "; a series is normalised by Series.split(window, horizon, ratio, true)");
    }
    Normalizer n = Normalizer.fit(rows.features(), rows.columns());
    Normalizer t =
        train instanceof RegressionData r ? Normalizer.fit(r.targets(), r.outputs()) : null;
    return new SplitData(
        info, apply(n, t, train), apply(n, t, validation), apply(n, t, test), scaler, n, t);
  }

  private static Examples apply(Normalizer features, Normalizer targets, Examples part) {
    if (part == null) {
      return null;
    }
    TabularRows<?> rows = (TabularRows<?>) part;
    Examples out = rows.withFeatures(features.normalize(rows.features()));
    return out instanceof RegressionData r && targets != null
        ? r.withTargets(targets.normalize(r.targets()))
        : out;
  }

  /**
   * Returns the mean of each target over the training part, in the targets' units: the baseline
   * that {@code Metrics.r2(...)} compares a model with.
   *
   * @return one mean per output (regression target or forecast step), NaN targets left out
   * @throws IllegalStateException for classification data, which has classes, not targets
   */
  public double[] targetMeans() {
    if (targetNormalizer != null) {
      return targetNormalizer.columns().stream().mapToDouble(Scaler::mean).toArray();
    }
    float[] targets;
    int width;
    if (train instanceof RegressionData r) {
      targets = r.targets();
      width = r.outputs();
    } else if (train instanceof Windows w) {
      targets = w.targets();
      width = w.horizon();
    } else {
      throw new IllegalStateException(info.name() + " has classes, not numeric targets");
    }
    double[] means = new double[width];
    for (int j = 0; j < width; j++) {
      means[j] = Scaler.fit(targets, j, targets.length, width).mean();
    }
    return means;
  }

  /**
   * Returns what a model trained on this split keeps of it, as string properties (DJL's {@code
   * Model.setProperty}, saved with the model): the info ({@link DataInfo#toProperties()}: task,
   * shape, outputs, class names) and the normalizers ({@link Normalizer#toProperties(String)}) when
   * there are. {@code Runner.data(SplitData, int)} writes them into the model.
   *
   * @return the properties, every key starting with {@link DataInfo#PROPERTY_PREFIX}
   */
  public Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>(info.toProperties());
    if (normalizer != null) {
      p.putAll(normalizer.toProperties());
    }
    if (targetNormalizer != null) {
      p.putAll(targetNormalizer.toProperties(Normalizer.TARGETS));
    }
    return p;
  }

  /**
   * Returns the parts present, in order train, validation, test.
   *
   * @return the non-null parts
   */
  public List<Examples> parts() {
    return java.util.stream.Stream.of(train, validation, test).filter(Objects::nonNull).toList();
  }
}
