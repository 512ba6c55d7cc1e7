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
