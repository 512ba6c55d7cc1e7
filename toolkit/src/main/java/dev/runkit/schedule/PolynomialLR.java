package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code PolynomialLR}: {@code lr(t) = base * (1 - min(t, total_iters) /
 * total_iters)^power}, reaching 0 at {@code total_iters} and staying there.
 *
 * <p>Parameters: {@code total_iters} (default 5, {@code >= 1}), {@code power} (default 1, {@code >=
 * 0}).
 */
public final class PolynomialLR extends FactorSchedule {

  private final long totalIters;
  private final double power;

  private PolynomialLR(double baseLr, long totalIters, double power) {
    super(baseLr);
    this.totalIters = totalIters;
    this.power = power;
  }

  static PolynomialLR create(Params p, double baseLr) {
    long totalIters = p.optionalLong("total_iters", 5);
    p.check("total_iters", totalIters, totalIters >= 1, ">= 1");
    double power = p.optionalDouble("power", 1.0);
    p.check("power", power, power >= 0 && Double.isFinite(power), "a finite number >= 0");
    return new PolynomialLR(baseLr, totalIters, power);
  }

  @Override
  double factor(long step) {
    return Math.pow(1.0 - (double) Math.min(totalIters, step) / totalIters, power);
  }

  @Override
  public String toString() {
    return "PolynomialLR(total_iters="
        + totalIters
        + ", power="
        + power
        + ", base_lr="
        + baseLr
        + ")";
  }
}
