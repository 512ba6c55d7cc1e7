package dev.runkit.data;

/**
 * The z-score normalisation a split applied to its values, {@code normalised = (raw - mean) / std},
 * kept so that predictions, targets and errors can be turned back into the data's units (BasicTS's
 * {@code ZScoreScaler}).
 *
 * <pre>{@code
 * SplitData d = Series.co2().split(52, 4, Ratio.of(0.7, 0.1, 0.2), true);
 * double ppm = d.scaler().denormalize(prediction);          // back into ppm
 * Metric mae = Metrics.denormalized(Metrics.mae(), d.scaler().mean(), d.scaler().std());
 * }</pre>
 *
 * @param mean the mean subtracted (of the steps the training windows touch)
 * @param std the deviation divided by; 1 when the training part's deviation is 0
 */
public record Scaler(double mean, double std) {

  private static final Scaler IDENTITY = new Scaler(0, 1);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if mean is not finite or std is not finite and positive
   */
  public Scaler {
    if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
      throw new IllegalArgumentException(
          "a scaler needs a finite mean and a finite std > 0, got mean "
              + mean
              + " and std "
              + std);
    }
  }

  /**
   * Returns the scaler of data left as it was (mean 0, std 1).
   *
   * @return the identity
   */
  public static Scaler identity() {
    return IDENTITY;
  }

  /**
   * Fits a scaler to every {@code step}-th value from {@code from} (inclusive) to {@code to}
   * (exclusive), NaN left out: their mean, and their population deviation, or 1 when that is 0 (a
   * constant column is then only centred) or no value is present (the identity).
   *
   * @param values the values
   * @param from the first index
   * @param to one past the last index
   * @param step the distance between values ({@code 1} for a series, the row width for a column of
   *     row-major rows)
   * @return the scaler
   * @throws IllegalArgumentException if the range is outside the values or step is below 1
   */
  public static Scaler fit(float[] values, int from, int to, int step) {
    if (from < 0 || to > values.length || from > to || step < 1) {
      throw new IllegalArgumentException(
          "Scaler.fit needs 0 <= from <= to <= "
              + values.length
              + " and step >= 1, got from "
              + from
              + ", to "
              + to
              + ", step "
              + step);
    }
    double sum = 0;
    int n = 0;
    for (int i = from; i < to; i += step) {
      if (!Float.isNaN(values[i])) {
        sum += values[i];
        n++;
      }
    }
    if (n == 0) {
      return IDENTITY;
    }
    double mean = sum / n;
    // two passes: one pass (sum of squares minus squared mean) loses the deviation of a column
    // whose values are large next to their spread
    double sq = 0;
    for (int i = from; i < to; i += step) {
      if (!Float.isNaN(values[i])) {
        double d = values[i] - mean;
        sq += d * d;
      }
    }
    double std = Math.sqrt(sq / n);
    return new Scaler(mean, std > 0 ? std : 1);
  }

  /**
   * Tells whether this scaler leaves values as they are.
   *
   * @return true for mean 0 and std 1
   */
  public boolean isIdentity() {
    return mean == 0 && std == 1;
  }

  /**
   * Normalises a value in the data's units.
   *
   * @param raw the value in the data's units
   * @return {@code (raw - mean) / std}
   */
  public double normalize(double raw) {
    return (raw - mean) / std;
  }

  /**
   * Turns a normalised value back into the data's units.
   *
   * @param normalized the normalised value
   * @return {@code normalized * std + mean}
   */
  public double denormalize(double normalized) {
    return normalized * std + mean;
  }
}
