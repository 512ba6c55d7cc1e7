package dev.runkit.schedule;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * A warm-up in front of any schedule (the idea of DJL's {@code WarmUpTracker}): for {@code
 * warmup_steps} steps the learning rate ramps from {@code warmup_start_factor} times the target to
 * the target, where the target is the wrapped schedule's learning rate at the step it takes over.
 *
 * <p>With {@code shift} (the default) the wrapped schedule is delayed: it starts its own step 0
 * when the warm-up ends, so {@code lr(warmup_steps + k) == inner.lr(k)} and the target is {@code
 * inner.lr(0)}, as in DJL's {@code WarmUpTracker}. Without it the warm-up replaces the wrapped
 * schedule's first steps: {@code lr(k) == inner.lr(k)} from {@code warmup_steps} on, and the target
 * is {@code inner.lr(warmup_steps)}. Ramps: {@code linear}, {@code constant} (the start value
 * throughout, then a jump), {@code exponential} (geometric; needs a start factor {@code > 0}) and
 * {@code cosine} (half cosine). Momentum comes from the wrapped schedule, at the same step it takes
 * the learning rate from. A metric-driven schedule stays one: {@link #wrap} passes {@code observe},
 * {@code state} and {@code restore} through.
 */
class WarmupSchedule implements Schedule {

  /** The warm-up ramps, as written in config. */
  static final String[] TYPES = {"linear", "constant", "exponential", "cosine"};

  private final Schedule inner;
  private final long warmupSteps;
  private final String type;
  private final double startFactor;
  private final boolean shift;

  /**
   * Wraps a schedule, keeping a metric-driven one metric-driven.
   *
   * @param inner the wrapped schedule
   * @param warmupSteps the warm-up length, {@code >= 0} (0: the wrapped schedule as it is)
   * @param type one of {@link #TYPES}
   * @param startFactor the start as a fraction of the target, in [0, 1] ({@code > 0} for
   *     exponential)
   * @param shift whether the wrapped schedule starts after the warm-up
   * @return the decorator; a {@link MetricSchedule} when {@code inner} is one
   */
  static Schedule wrap(
      Schedule inner, long warmupSteps, String type, double startFactor, boolean shift) {
    if (inner instanceof MetricSchedule metric) {
      return new Metric(metric, warmupSteps, type, startFactor, shift);
    }
    return new WarmupSchedule(inner, warmupSteps, type, startFactor, shift);
  }

  /**
   * Creates the decorator.
   *
   * @param inner the wrapped schedule
   * @param warmupSteps the warm-up length, {@code >= 0} (0: the wrapped schedule as it is)
   * @param type one of {@link #TYPES}
   * @param startFactor the start as a fraction of the target, in [0, 1] ({@code > 0} for
   *     exponential)
   * @param shift whether the wrapped schedule starts after the warm-up
   */
  WarmupSchedule(Schedule inner, long warmupSteps, String type, double startFactor, boolean shift) {
    this.inner = inner;
    this.warmupSteps = warmupSteps;
    this.type = type;
    this.startFactor = startFactor;
    this.shift = shift;
  }

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) >= warmupSteps) {
      return inner.lr(innerStep(step));
    }
    double target = inner.lr(innerStep(warmupSteps));
    double start = startFactor * target;
    double fraction = (double) step / (double) warmupSteps;
    return switch (type) {
      case "constant" -> start;
      case "exponential" -> Ramps.exponentialBetween(start, target, fraction);
      case "cosine" -> Anneal.cosine(start, target, fraction);
      default -> Anneal.linear(start, target, fraction);
    };
  }

  @Override
  public OptionalDouble momentum(long step) {
    return inner.momentum(innerStep(Math.max(step, warmupSteps)));
  }

  private long innerStep(long step) {
    return shift ? step - warmupSteps : step;
  }

  /** The decorator around a metric-driven schedule, which still needs to be shown the metric. */
  private static final class Metric extends WarmupSchedule implements MetricSchedule {

    private final MetricSchedule metric;

    Metric(MetricSchedule inner, long warmupSteps, String type, double startFactor, boolean shift) {
      super(inner, warmupSteps, type, startFactor, shift);
      this.metric = inner;
    }

    @Override
    public void observe(double value) {
      metric.observe(value);
    }

    @Override
    public Map<String, Double> state() {
      return metric.state();
    }

    @Override
    public void restore(Map<String, Double> state) {
      metric.restore(state);
    }
  }
}
