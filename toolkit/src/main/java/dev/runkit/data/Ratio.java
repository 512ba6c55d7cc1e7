package dev.runkit.data;

import java.util.List;

/**
 * The shares of a data set given to training, validation and test (BasicTS's {@code
 * TRAIN_VAL_TEST_RATIO}).
 *
 * @param train the training share, {@code > 0}
 * @param validation the validation share, {@code >= 0}
 * @param test the test share, {@code >= 0}
 */
public record Ratio(double train, double validation, double test) {

  /**
   * Checks that the shares are non-negative, training is positive, and they sum to 1.
   *
   * @throws IllegalArgumentException naming the shares otherwise
   */
  public Ratio {
    double sum = train + validation + test;
    if (!(train > 0) || !(validation >= 0) || !(test >= 0) || Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException(
          "train_val_test_ratio must be three shares >= 0 (train > 0) summing to 1, got "
              + List.of(train, validation, test));
    }
  }

  /**
   * Makes a ratio.
   *
   * @param train the training share
   * @param validation the validation share
   * @param test the test share
   * @return the ratio
   */
  public static Ratio of(double train, double validation, double test) {
    return new Ratio(train, validation, test);
  }

  /**
   * Returns the number of rows of each part for {@code n} rows; validation and test are rounded,
   * training takes the rest.
   *
   * @param n the row count
   * @param name the data set name, for messages
   * @return three sizes summing to n
   * @throws IllegalArgumentException if a part with a non-zero share would be empty
   */
  public int[] sizes(int n, String name) {
    int v = (int) Math.round(n * validation);
    int t = (int) Math.round(n * test);
    int[] sizes = {n - v - t, v, t};
    String[] parts = {"training", "validation", "test"};
    double[] shares = {train, validation, test};
    for (int i = 0; i < 3; i++) {
      if (shares[i] > 0 && sizes[i] < 1) {
        throw new IllegalArgumentException(
            name
                + " has "
                + n
                + " examples; a "
                + parts[i]
                + " share of "
                + shares[i]
                + " leaves it none");
      }
    }
    return sizes;
  }

  /**
   * Returns the shares as a list, as written in configs.
   *
   * @return {@code [train, validation, test]}
   */
  public List<Double> toList() {
    return List.of(train, validation, test);
  }
}
