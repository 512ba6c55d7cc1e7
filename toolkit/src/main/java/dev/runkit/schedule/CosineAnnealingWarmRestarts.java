package dev.runkit.schedule;

import dev.runkit.registry.Params;

/**
 * PyTorch {@code CosineAnnealingWarmRestarts} (SGDR): cosine annealing from the base rate to {@code
 * eta_min} over a period that starts at {@code T_0} steps and is multiplied by {@code T_mult} after
 * each restart.
 *
 * <p>{@code lr(t)} is closed form: the cycle holding step {@code t} is found from {@code T_0 *
 * (T_mult^n - 1) / (T_mult - 1) <= t} by a logarithm, then corrected in exact integer arithmetic
 * (the float logarithm alone misplaces steps at cycle boundaries).
 *
 * <p>Parameters: {@code T_0} (required, integer {@code >= 1}), {@code T_mult} (default 1, integer
 * {@code >= 1}), {@code eta_min} (default 0, {@code >= 0}).
 */
public final class CosineAnnealingWarmRestarts implements Chainable {

  private final double baseLr;
  private final long t0;
  private final long tMult;
  private final double etaMin;

  private CosineAnnealingWarmRestarts(double baseLr, long t0, long tMult, double etaMin) {
    this.baseLr = baseLr;
    this.t0 = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
  }

  static CosineAnnealingWarmRestarts create(Params p, double baseLr) {
    long t0 = p.requiredLong("T_0");
    p.check("T_0", t0, t0 >= 1, "an integer >= 1");
    long tMult = p.optionalLong("T_mult", 1);
    p.check("T_mult", tMult, tMult >= 1, "an integer >= 1");
    return new CosineAnnealingWarmRestarts(baseLr, t0, tMult, PyTorchSchedules.etaMin(p));
  }

  @Override
  public double lr(long step) {
    Anneal.checkStep(step);
    long cycleStart;
    long cycleLength;
    if (tMult == 1) {
      cycleLength = t0;
      cycleStart = step - step % t0;
    } else {
      int n = (int) Math.floor(Math.log((double) step / t0 * (tMult - 1) + 1) / Math.log(tMult));
      n = Math.max(0, n);
      while (n > 0 && start(n) > step) {
        n--;
      }
      while (start(n + 1) <= step) {
        n++;
      }
      cycleStart = start(n);
      cycleLength = t0 * pow(tMult, n);
    }
    return Anneal.cosine(baseLr, etaMin, (double) (step - cycleStart) / cycleLength);
  }

  /** Absolute: PyTorch computes it from the base rate, ignoring the rate it finds. */
  @Override
  public double chain(long step, double found) {
    return lr(step);
  }

  /** First step of cycle {@code n}: {@code T_0 * (T_mult^n - 1) / (T_mult - 1)}, saturating. */
  private long start(int n) {
    long power = pow(tMult, n);
    if (power == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    double exact = (double) t0 * (power - 1) / (tMult - 1);
    return exact >= 9.0e18 ? Long.MAX_VALUE : t0 * ((power - 1) / (tMult - 1));
  }

  private static long pow(long base, int exponent) {
    long result = 1;
    for (int i = 0; i < exponent; i++) {
      if (result > Long.MAX_VALUE / base) {
        return Long.MAX_VALUE;
      }
      result *= base;
    }
    return result;
  }

  @Override
  public String toString() {
    return "CosineAnnealingWarmRestarts(T_0="
        + t0
        + ", T_mult="
        + tMult
        + ", eta_min="
        + etaMin
        + ", base_lr="
        + baseLr
        + ")";
  }
}
