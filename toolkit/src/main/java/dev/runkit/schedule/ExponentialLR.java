package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code ExponentialLR}: the learning rate is multiplied by {@code gamma} every step,
 * {@code lr(t) = base * gamma^t}.
 *
 * <p>Parameters: {@code gamma} (required, {@code > 0}).
 */
public final class ExponentialLR extends FactorSchedule {

  private final double gamma;

  private ExponentialLR(double baseLr, double gamma) {
    super(baseLr);
    this.gamma = gamma;
  }

  static ExponentialLR create(Params p, double baseLr) {
    return new ExponentialLR(
        baseLr, PyTorchSchedules.positive(p, "gamma", p.requiredDouble("gamma")));
  }

  @Override
  double factor(long step) {
    return Math.pow(gamma, step);
  }

  @Override
  public String toString() {
    return "ExponentialLR(gamma=" + gamma + ", base_lr=" + baseLr + ")";
  }
}
