package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code StepLR}: the learning rate is multiplied by {@code gamma} every {@code step_size}
 * steps, {@code lr(t) = base * gamma^floor(t / step_size)}.
 *
 * <p>Parameters: {@code step_size} (required, {@code >= 1}), {@code gamma} (default 0.1, {@code >
 * 0}; PyTorch does not check it, RunKit rejects 0 and negative values).
 */
public final class StepLR extends FactorSchedule {

  private final long stepSize;
  private final double gamma;

  private StepLR(double baseLr, long stepSize, double gamma) {
    super(baseLr);
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  static StepLR create(Params p, double baseLr) {
    long stepSize = p.requiredLong("step_size");
    p.check("step_size", stepSize, stepSize >= 1, ">= 1");
    return new StepLR(
        baseLr, stepSize, PyTorchSchedules.positive(p, "gamma", p.optionalDouble("gamma", 0.1)));
  }

  @Override
  double factor(long step) {
    return Math.pow(gamma, (double) (step / stepSize));
  }

  @Override
  public String toString() {
    return "StepLR(step_size=" + stepSize + ", gamma=" + gamma + ", base_lr=" + baseLr + ")";
  }
}
