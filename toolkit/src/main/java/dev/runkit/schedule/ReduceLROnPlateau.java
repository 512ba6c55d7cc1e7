package dev.runkit.schedule;

import dev.runkit.registry.Params;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch {@code ReduceLROnPlateau}: multiplies the learning rate by {@code factor} when the
 * monitored metric has not improved for more than {@code patience} observations, then waits {@code
 * cooldown} observations before counting again.
 *
 * <p>Call {@link #observe} once per scheduler step (PyTorch's {@code scheduler.step(metric)});
 * {@link #lr} returns the rate in force whatever the step, since the rate depends on the metrics
 * seen, not on the step. Improvement means {@code metric < best * (1 - threshold)} ({@code min},
 * {@code rel}), {@code metric < best - threshold} ({@code min}, {@code abs}), and the mirror images
 * for {@code max}. A reduction smaller than {@code eps} is skipped and the rate never goes below
 * {@code min_lr}. Not thread-safe for concurrent observers; reads are synchronized.
 *
 * <p>Parameters: {@code mode} ({@code min}|{@code max}), {@code factor} (0.1, in {@code [0, 1)}),
 * {@code patience} (10, {@code >= 0}), {@code threshold} (1e-4, {@code >= 0}), {@code
 * threshold_mode} ({@code rel}|{@code abs}), {@code cooldown} (0, {@code >= 0}), {@code min_lr} (0,
 * {@code >= 0}), {@code eps} (1e-8, {@code >= 0}).
 */
public final class ReduceLROnPlateau implements MetricSchedule {

  private static final String[] STATE_KEYS = {
    "lr", "best", "num_bad_epochs", "cooldown_counter", "last_epoch"
  };

  private final boolean maximize;
  private final boolean relative;
  private final double factor;
  private final long patience;
  private final double threshold;
  private final long cooldown;
  private final double minLr;
  private final double eps;

  private double lr;
  private double best;
  private long badEpochs;
  private long cooldownCounter;
  private long lastEpoch;

  private ReduceLROnPlateau(double baseLr, Params p) {
    this.maximize = p.optionalChoice("mode", "min", "min", "max").equals("max");
    this.factor = p.optionalDouble("factor", 0.1);
    p.check("factor", factor, factor >= 0 && factor < 1, "in [0, 1)");
    this.patience = nonNegative(p, "patience", p.optionalLong("patience", 10));
    this.threshold =
        PyTorchSchedules.nonNegative(p, "threshold", p.optionalDouble("threshold", 1e-4));
    this.relative = p.optionalChoice("threshold_mode", "rel", "rel", "abs").equals("rel");
    this.cooldown = nonNegative(p, "cooldown", p.optionalLong("cooldown", 0));
    this.minLr = PyTorchSchedules.nonNegative(p, "min_lr", p.optionalDouble("min_lr", 0));
    this.eps = PyTorchSchedules.nonNegative(p, "eps", p.optionalDouble("eps", 1e-8));
    this.lr = baseLr;
    this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  static ReduceLROnPlateau create(Params p, double baseLr) {
    return new ReduceLROnPlateau(baseLr, p);
  }

  private static long nonNegative(Params p, String key, long value) {
    p.check(key, value, value >= 0, ">= 0");
    return value;
  }

  /** Returns the learning rate in force after the metrics observed so far, whatever the step. */
  @Override
  public synchronized double lr(long step) {
    Anneal.checkStep(step);
    return lr;
  }

  @Override
  public synchronized void observe(double metric) {
    lastEpoch++;
    if (isBetter(metric)) {
      best = metric;
      badEpochs = 0;
    } else {
      badEpochs++;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      badEpochs = 0;
    }
    if (badEpochs > patience) {
      double reduced = Math.max(lr * factor, minLr);
      if (lr - reduced > eps) {
        lr = reduced;
      }
      cooldownCounter = cooldown;
      badEpochs = 0;
    }
  }

  private boolean isBetter(double metric) {
    if (maximize) {
      return relative ? metric > best * (threshold + 1) : metric > best + threshold;
    }
    return relative ? metric < best * (1 - threshold) : metric < best - threshold;
  }

  /**
   * Exports {@code lr}, {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code
   * last_epoch}.
   */
  @Override
  public synchronized Map<String, Double> state() {
    Map<String, Double> state = new LinkedHashMap<>();
    state.put("lr", lr);
    state.put("best", best);
    state.put("num_bad_epochs", (double) badEpochs);
    state.put("cooldown_counter", (double) cooldownCounter);
    state.put("last_epoch", (double) lastEpoch);
    return state;
  }

  @Override
  public synchronized void restore(Map<String, Double> state) {
    for (String key : STATE_KEYS) {
      if (state == null || state.get(key) == null) {
        throw new IllegalArgumentException(
            "ReduceLROnPlateau state lacks \""
                + key
                + "\"; expected keys "
                + java.util.List.of(STATE_KEYS));
      }
    }
    lr = state.get("lr");
    best = state.get("best");
    badEpochs = state.get("num_bad_epochs").longValue();
    cooldownCounter = state.get("cooldown_counter").longValue();
    lastEpoch = state.get("last_epoch").longValue();
  }

  @Override
  public String toString() {
    return "ReduceLROnPlateau(mode="
        + (maximize ? "max" : "min")
        + ", factor="
        + factor
        + ", patience="
        + patience
        + ", lr="
        + lr
        + ")";
  }
}
