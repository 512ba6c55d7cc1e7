package dev.runkit.run;

/**
 * Stops a run when a validation metric has not improved for {@code patience} validations.
 * Immutable; each setter returns a new instance and checks its value at once.
 *
 * <pre>{@code
 * EarlyStopping.on(Monitor.max("accuracy")).patience(5).minDelta(1e-3).restoreBest()
 * }</pre>
 *
 * @param monitor the watched metric and direction
 * @param patience how many validations without improvement end the run
 * @param minDelta the smallest change that counts as an improvement
 * @param restoresBest whether the model ends with the parameters of its best validation
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoresBest) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for patience below 1 or a negative or non-finite minDelta
   */
  public EarlyStopping {
    java.util.Objects.requireNonNull(monitor, "monitor");
    if (patience < 1) {
      throw new IllegalArgumentException("earlyStopping.patience must be >= 1, got " + patience);
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException(
          "earlyStopping.minDelta must be finite and >= 0, got " + minDelta);
    }
  }

  /**
   * Starts early stopping on a metric with patience 10, min_delta 0 and no restore.
   *
   * @param monitor the metric and direction
   * @return the settings
   */
  public static EarlyStopping on(Monitor monitor) {
    return new EarlyStopping(monitor, 10, 0, false);
  }

  /**
   * Sets the patience.
   *
   * @param patience validations without improvement before stopping, {@code >= 1}
   * @return new settings
   */
  public EarlyStopping patience(int patience) {
    return new EarlyStopping(monitor, patience, minDelta, restoresBest);
  }

  /**
   * Sets the smallest change that counts as an improvement.
   *
   * @param minDelta the threshold, {@code >= 0}
   * @return new settings
   */
  public EarlyStopping minDelta(double minDelta) {
    return new EarlyStopping(monitor, patience, minDelta, restoresBest);
  }

  /**
   * Makes the run end with the parameters of its best validation.
   *
   * @return new settings
   */
  public EarlyStopping restoreBest() {
    return new EarlyStopping(monitor, patience, minDelta, true);
  }
}
