package dev.runkit.data;

/**
 * Rows of numeric features, one example per row, with their labels or targets: what {@link
 * SplitData} shuffles, splits and normalises alike for classification and regression.
 *
 * @param <T> the kind of rows
 */
interface TabularRows<T extends TabularRows<T>> extends Examples {

  /** The features, row-major, {@code size() * columns()} values. */
  float[] features();

  /** The number of features per row. */
  int columns();

  /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
  T rows(int from, int to);

  /** The rows in a random order fixed by the seed. */
  T shuffled(long seed);

  /** These rows with other features of the same shape (normalised ones). */
  T withFeatures(float[] features);
}
