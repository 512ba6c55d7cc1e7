package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code LinearLR}: the factor on the base learning rate moves linearly from {@code
 * start_factor} to {@code end_factor} over {@code total_iters} steps and then stays.
 *
 * <p>Parameters: {@code start_factor} (default 1/3, in {@code (0, 1]} as in current PyTorch; 1.13
 * accepted 0 and then divided by zero), {@code end_factor} (default 1, in {@code [0, 1]}), {@code
 * total_iters} (default 5, {@code >= 1}).
 */
public final class LinearLR extends FactorSchedule {

  private final double startFactor;
  private final double endFactor;
  private final long totalIters;

  private LinearLR(double baseLr, double startFactor, double endFactor, long totalIters) {
    super(baseLr);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
  }

  static LinearLR create(Params p, double baseLr) {
    double start = p.optionalDouble("start_factor", 1.0 / 3);
    p.check("start_factor", start, start > 0 && start <= 1, "in (0, 1]");
    double end = p.optionalDouble("end_factor", 1.0);
    p.check("end_factor", end, end >= 0 && end <= 1, "in [0, 1]");
    long totalIters = p.optionalLong("total_iters", 5);
    p.check("total_iters", totalIters, totalIters >= 1, ">= 1");
    return new LinearLR(baseLr, start, end, totalIters);
  }

  @Override
  double factor(long step) {
    return startFactor
        + (endFactor - startFactor) * (double) Math.min(totalIters, step) / totalIters;
  }

  @Override
  public String toString() {
    return "LinearLR(start_factor="
        + startFactor
        + ", end_factor="
        + endFactor
        + ", total_iters="
        + totalIters
        + ", base_lr="
        + baseLr
        + ")";
  }
}
