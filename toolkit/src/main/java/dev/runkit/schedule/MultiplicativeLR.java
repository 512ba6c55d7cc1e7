package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code MultiplicativeLR} with a constant factor: every step multiplies the learning rate
 * it finds by {@code factor}, so alone {@code lr(t) = base * factor^t}.
 *
 * <p>Parameters: {@code factor} (required, {@code > 0}); it stands for PyTorch's {@code lr_lambda}
 * returning the same number at every epoch (a config cannot carry a function).
 *
 * <p>Unlike the closed-form families it continues from the rate it finds: as a later part of a
 * {@code SequentialLR} it starts from the rate the previous part left, multiplied by {@code factor}
 * at the milestone itself. That is current PyTorch ({@code _update_lr(0)} multiplies because the
 * step is not the constructor's initial one); PyTorch 1.13 left the rate unchanged at the milestone
 * and multiplied one step later.
 */
public final class MultiplicativeLR extends FactorSchedule {

  private final double factor;

  private MultiplicativeLR(double baseLr, double factor) {
    super(baseLr);
    this.factor = factor;
  }

  static MultiplicativeLR create(Params p, double baseLr) {
    double factor = PyTorchSchedules.positive(p, "factor", p.requiredDouble("factor"));
    return new MultiplicativeLR(baseLr, factor);
  }

  @Override
  double factor(long step) {
    return Math.pow(factor, step);
  }

  @Override
  public String toString() {
    return "MultiplicativeLR(factor=" + factor + ", base_lr=" + baseLr + ")";
  }
}
