package dev.runkit.data;

import java.util.List;
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
 */
public record SplitData(
    DataInfo info, Examples train, Examples validation, Examples test, Scaler scaler) {

  /**
   * Checks that there is training data and a scaler.
   *
   * @throws NullPointerException if info, train or scaler is null
   */
  public SplitData {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(scaler, "scaler");
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
   * test.
   *
   * @param name the data set name
   * @param all the rows
   * @param ratio the train / validation / test shares
   * @param seed the shuffle seed
   * @return the split
   * @throws IllegalArgumentException if a part with a non-zero share would be empty
   */
  public static SplitData classification(String name, LabeledData all, Ratio ratio, long seed) {
    LabeledData shuffled = all.shuffled(seed);
    int[] sizes = ratio.sizes(all.size(), name);
    int classes = 0;
    for (int label : all.labels()) {
      classes = Math.max(classes, label + 1);
    }
    DataInfo info =
        new DataInfo(name, DataInfo.Task.CLASSIFICATION, new long[] {all.columns()}, classes);
    int a = sizes[0];
    int b = a + sizes[1];
    return new SplitData(
        info,
        shuffled.rows(0, a),
        sizes[1] == 0 ? null : shuffled.rows(a, b),
        sizes[2] == 0 ? null : shuffled.rows(b, all.size()));
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
