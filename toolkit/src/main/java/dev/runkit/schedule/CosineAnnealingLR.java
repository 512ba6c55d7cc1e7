package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code CosineAnnealingLR}: {@code lr(t) = eta_min + (base - eta_min) * (1 + cos(pi * t /
 * T_max)) / 2}.
 *
 * <p>Past {@code T_max} the cosine continues, so the rate climbs back to the base rate at {@code 2
 * * T_max} and repeats with period {@code 2 * T_max}: that is what PyTorch's recursive form
 * produces (its special case at {@code t = T_max + 1 (mod 2 T_max)} restarts the climb from {@code
 * eta_min}). RunKit evaluates the closed form, which equals the recursion to rounding.
 *
 * <p>Parameters: {@code T_max} (required, integer {@code >= 1}), {@code eta_min} (default 0, {@code
 * >= 0}).
 */
public final class CosineAnnealingLR implements Chainable {

  private final double baseLr;
  private final long tMax;
  private final double etaMin;

  private CosineAnnealingLR(double baseLr, long tMax, double etaMin) {
    this.baseLr = baseLr;
    this.tMax = tMax;
    this.etaMin = etaMin;
  }

  static CosineAnnealingLR create(Params p, double baseLr) {
    long tMax = p.requiredLong("T_max");
    p.check("T_max", tMax, tMax >= 1, ">= 1");
    return new CosineAnnealingLR(baseLr, tMax, PyTorchSchedules.etaMin(p));
  }

  @Override
  public double lr(long step) {
    return Anneal.cosine(baseLr, etaMin, (double) Anneal.checkStep(step) / tMax);
  }

  /** PyTorch's recursive form, which acts on whatever rate the optimizer holds. */
  @Override
  public double chain(long step, double found) {
    if (step == 0) {
      return found;
    }
    if ((step - 1 - tMax) % (2 * tMax) == 0) {
      return found + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
    }
    return (1 + Math.cos(Math.PI * step / tMax))
            / (1 + Math.cos(Math.PI * (step - 1) / tMax))
            * (found - etaMin)
        + etaMin;
  }

  @Override
  public String toString() {
    return "CosineAnnealingLR(T_max=" + tMax + ", eta_min=" + etaMin + ", base_lr=" + baseLr + ")";
  }
}
