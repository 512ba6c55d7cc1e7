package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code ConstantLR}: the learning rate is {@code base * factor} for the first {@code
 * total_iters} steps and {@code base} from then on.
 *
 * <p>Parameters: {@code factor} (default 1/3, in {@code (0, 1]}; PyTorch accepts 0 but then divides
 * by it at {@code total_iters}), {@code total_iters} (default 5, {@code >= 1}).
 */
public final class ConstantLR extends FactorSchedule {

  private final double factor;
  private final long totalIters;

  private ConstantLR(double baseLr, double factor, long totalIters) {
    super(baseLr);
    this.factor = factor;
    this.totalIters = totalIters;
  }

  static ConstantLR create(Params p, double baseLr) {
    double factor = p.optionalDouble("factor", 1.0 / 3);
    p.check("factor", factor, factor > 0 && factor <= 1, "in (0, 1]");
    long totalIters = p.optionalLong("total_iters", 5);
    p.check("total_iters", totalIters, totalIters >= 1, ">= 1");
    return new ConstantLR(baseLr, factor, totalIters);
  }

  @Override
  double factor(long step) {
    return step >= totalIters ? 1.0 : factor;
  }

  @Override
  public String toString() {
    return "ConstantLR(factor="
        + factor
        + ", total_iters="
        + totalIters
        + ", base_lr="
        + baseLr
        + ")";
  }
}
