package dev.runkit.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;

/**
 * A small table of float features with one or more numeric targets per row, held on the Java heap
 * (fastai's {@code RegressionBlock}); {@link CsvTable#regression(int...)} reads it from a CSV file
 * and {@link SplitData#regression} splits it.
 *
 * <pre>{@code
 * RegressionData rows = table.regression(table.column("price", "price"));
 * SplitData d = SplitData.regression("houses", rows, Ratio.of(0.8, 0.2, 0), 42).normalized();
 * }</pre>
 *
 * @param features the features, row-major, {@code rows * columns} values
 * @param targets the targets, row-major, {@code rows * outputs} values
 * @param columns the number of features per row
 * @param outputs the number of targets per row
 */
public record RegressionData(float[] features, float[] targets, int columns, int outputs)
    implements TabularRows<RegressionData> {

  /**
   * Checks that features and targets fill the same number of whole rows.
   *
   * @throws IllegalArgumentException if the sizes disagree
   */
  public RegressionData {
    if (columns < 1
        || outputs < 1
        || features.length % columns != 0
        || (long) features.length / columns * outputs != targets.length) {
      throw new IllegalArgumentException(
          "features and targets must fill whole rows: "
              + features.length
              + " features / "
              + columns
              + ", "
              + targets.length
              + " targets / "
              + outputs);
    }
  }

  /**
   * Returns the number of rows.
   *
   * @return the row count
   */
  @Override
  public int size() {
    return features.length / columns;
  }

  /**
   * Returns rows {@code from} (inclusive) to {@code to} (exclusive).
   *
   * @param from the first row
   * @param to one past the last row
   * @return a copy of those rows
   * @throws IllegalArgumentException if the range is empty or outside the data
   */
  @Override
  public RegressionData rows(int from, int to) {
    if (from < 0 || to > size() || from >= to) {
      throw new IllegalArgumentException(
          "rows(" + from + ", " + to + ") must satisfy 0 <= from < to <= " + size());
    }
    float[] x = new float[(to - from) * columns];
    System.arraycopy(features, from * columns, x, 0, x.length);
    float[] y = new float[(to - from) * outputs];
    System.arraycopy(targets, from * outputs, y, 0, y.length);
    return new RegressionData(x, y, columns, outputs);
  }

  /**
   * Returns the rows in a random order fixed by the seed (the order {@link LabeledData#shuffled}
   * gives as many rows).
   *
   * @param seed the seed
   * @return a shuffled copy
   */
  @Override
  public RegressionData shuffled(long seed) {
    int[] order = RowOrder.shuffled(size(), seed);
    return new RegressionData(
        RowOrder.gather(features, columns, order),
        RowOrder.gather(targets, outputs, order),
        columns,
        outputs);
  }

  /**
   * Returns these rows with other features of the same shape, such as normalised ones.
   *
   * @param features the new features, row-major
   * @return the rows, same targets
   * @throws IllegalArgumentException if the features do not fill the same rows
   */
  @Override
  public RegressionData withFeatures(float[] features) {
    return new RegressionData(features, targets, columns, outputs);
  }

  /**
   * Returns these rows with other targets of the same shape, such as standardised ones.
   *
   * @param targets the new targets, row-major
   * @return the rows, same features
   * @throws IllegalArgumentException if the targets do not fill the same rows
   */
  public RegressionData withTargets(float[] targets) {
    return new RegressionData(features, targets, columns, outputs);
  }

  /**
   * Makes a DJL dataset: data of shape {@code (rows, columns)}, labels of shape {@code (rows,
   * outputs)}, both float32.
   *
   * @param manager the manager that owns the arrays
   * @param batchSize the batch size the dataset reports
   * @return the dataset
   */
  @Override
  public ArrayDataset toDataset(NDManager manager, int batchSize) {
    return new ArrayDataset.Builder()
        .setData(manager.create(features, new Shape(size(), columns)))
        .optLabels(manager.create(targets, new Shape(size(), outputs)))
        .setSampling(batchSize, false)
        .build();
  }
}
