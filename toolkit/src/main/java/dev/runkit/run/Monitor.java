package dev.runkit.run;

import java.util.Objects;

/**
 * A validation metric to watch and which direction is better; it decides the best checkpoint and
 * drives early stopping.
 *
 * @param metric the metric name ({@code loss}, {@code accuracy}, ...)
 * @param higherIsBetter true to maximise, false to minimise
 */
public record Monitor(String metric, boolean higherIsBetter) {

  /**
   * Checks the metric name.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public Monitor {
    Objects.requireNonNull(metric, "metric");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("monitored metric must be a name, got \"" + metric + "\"");
    }
  }

  /**
   * Watches a metric that should fall (loss, errors).
   *
   * @param metric the metric name
   * @return the monitor
   */
  public static Monitor min(String metric) {
    return new Monitor(metric, false);
  }

  /**
   * Watches a metric that should rise (accuracy).
   *
   * @param metric the metric name
   * @return the monitor
   */
  public static Monitor max(String metric) {
    return new Monitor(metric, true);
  }

  /**
   * Says whether {@code candidate} beats {@code best} by more than {@code minDelta}.
   *
   * @param candidate the new value
   * @param best the best so far (NaN when none)
   * @param minDelta the smallest change that counts, {@code >= 0}
   * @return true for an improvement
   */
  public boolean improves(double candidate, double best, double minDelta) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
  }
}
