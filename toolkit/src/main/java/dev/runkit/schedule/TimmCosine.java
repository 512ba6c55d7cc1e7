package dev.runkit.schedule;

/**
 * timm {@code CosineLRScheduler}, stepped per update: an optional linear warm-up from {@code
 * warmup_lr_init}, then cosine cycles from the (decayed) base learning rate to {@code lr_min}, the
 * first {@code t_initial} steps long and each next one {@code cycle_mul} times longer with a peak
 * {@code cycle_decay} times lower, optionally bent by {@code k_decay}; {@code lr_min} once {@code
 * cycle_limit} cycles are done.
 *
 * <p>Without {@code warmup_prefix} the warm-up overlays the first cycle (the cycles count from step
 * 0); with it the cycles start when the warm-up ends. Noise ({@code noise_range_t}) is not
 * supported: it would make the schedule random.
 */
final class TimmCosine implements Schedule {

  private final double baseLr;
  private final long tInitial;
  private final double lrMin;
  private final double cycleMul;
  private final double cycleDecay;
  private final long cycleLimit;
  private final long warmupT;
  private final double warmupLrInit;
  private final boolean warmupPrefix;
  private final double kDecay;
  private final double warmupStep;

  /**
   * Creates the schedule.
   *
   * @param baseLr the base learning rate
   * @param tInitial the first cycle's length, {@code >= 1}
   * @param lrMin the floor, {@code >= 0}
   * @param cycleMul the growth of each next cycle's length, {@code >= 1}
   * @param cycleDecay the factor on each next cycle's peak, {@code > 0}
   * @param cycleLimit how many cycles run before the rate stays at the floor, {@code >= 1}
   * @param warmupT the warm-up length, {@code >= 0}
   * @param warmupLrInit the learning rate at step 0 when warming up, {@code >= 0}
   * @param warmupPrefix whether the cycles start after the warm-up
   * @param kDecay the k-decay exponent, {@code > 0} (1: plain cosine)
   */
  TimmCosine(
      double baseLr,
      long tInitial,
      double lrMin,
      double cycleMul,
      double cycleDecay,
      long cycleLimit,
      long warmupT,
      double warmupLrInit,
      boolean warmupPrefix,
      double kDecay) {
    this.baseLr = baseLr;
    this.tInitial = tInitial;
    this.lrMin = lrMin;
    this.cycleMul = cycleMul;
    this.cycleDecay = cycleDecay;
    this.cycleLimit = cycleLimit;
    this.warmupT = warmupT;
    this.warmupLrInit = warmupLrInit;
    this.warmupPrefix = warmupPrefix;
    this.kDecay = kDecay;
    this.warmupStep = warmupT > 0 ? (baseLr - warmupLrInit) / warmupT : 1.0;
  }

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupT) {
      return warmupLrInit + step * warmupStep;
    }
    long t = warmupPrefix ? step - warmupT : step;
    double cycle;
    double cycleLength;
    double inCycle;
    if (cycleMul != 1.0) {
      // the cycle index as timm computes it (a floating log), so boundaries round the same way
      cycle =
          Math.floor(Math.log(1.0 - (double) t / tInitial * (1.0 - cycleMul)) / Math.log(cycleMul));
      cycleLength = Math.pow(cycleMul, cycle) * tInitial;
      inCycle = t - (1.0 - Math.pow(cycleMul, cycle)) / (1.0 - cycleMul) * tInitial;
    } else {
      cycle = t / tInitial;
      cycleLength = tInitial;
      inCycle = t - tInitial * (long) cycle;
    }
    if (cycle >= cycleLimit) {
      return lrMin;
    }
    double peak = baseLr * Math.pow(cycleDecay, cycle);
    return Anneal.cosine(peak, lrMin, Math.pow(inCycle, kDecay) / Math.pow(cycleLength, kDecay));
  }
}
