package dev.runkit.schedule;

import java.util.Arrays;

/**
 * EasyTorch {@code MultiCosineAnnealingWarmupLR}: a linear warm-up from {@code warmup_factor} times
 * the base learning rate over {@code warmup_begin} iterations, then cosine sections that restart at
 * each iteration in {@code T_0}, section {@code i} annealing from {@code lr_mult[i]} times the base
 * learning rate down to {@code eta_min}.
 *
 * <p>This is the formula the published class (easytorch/easyoptim/easy_lr_scheduler.py) computes
 * when stepped once per iteration, read as follows. Section boundaries are {@code b = [0, T_0...,
 * final_epoch]}; iteration {@code n} in {@code [b[i], b[i+1])} has {@code T_cur = n - b[i]} and
 * {@code T_i = b[i+1] - b[i] - 1}, so each section reaches {@code eta_min} exactly on its last
 * iteration and the next one restarts at {@code lr_mult[i] * base}; in the first section both are
 * reduced by {@code warmup_begin}, so the cosine starts where the warm-up ends ({@code n =
 * warmup_begin} gives the full base learning rate). Past {@code final_epoch} the last section's
 * cosine keeps going (it rises again), as the published arithmetic does. The published class cannot
 * be relied on to construct: it inserts into the caller's {@code T_0} and {@code lr_mult} lists, so
 * a second scheduler built from the same config fails its own warm-up check, and a one-iteration
 * section divides by zero; here the lists are copied and sections must be at least two iterations
 * long.
 */
final class MultiCosineAnnealingWarmup implements Schedule {

  private final double baseLr;
  private final long[] starts;
  private final long[] lengths;
  private final double[] multipliers;
  private final long warmupBegin;
  private final double warmupFactor;
  private final double etaMin;

  /**
   * Creates the schedule.
   *
   * @param baseLr the base learning rate
   * @param finalEpoch the run length in iterations
   * @param restarts the iterations where sections restart, increasing, each {@code >= 2} after the
   *     previous and {@code <= finalEpoch - 2}
   * @param multipliers the peak factor of each restarted section, as many as restarts
   * @param warmupBegin the warm-up length, {@code <} the first boundary
   * @param warmupFactor the factor of the base learning rate at iteration 0
   * @param etaMin the floor of every section
   */
  MultiCosineAnnealingWarmup(
      double baseLr,
      long finalEpoch,
      long[] restarts,
      double[] multipliers,
      long warmupBegin,
      double warmupFactor,
      double etaMin) {
    this.baseLr = baseLr;
    this.starts = new long[restarts.length + 1];
    this.lengths = new long[restarts.length + 1];
    this.multipliers = new double[restarts.length + 1];
    this.multipliers[0] = 1.0;
    System.arraycopy(restarts, 0, starts, 1, restarts.length);
    System.arraycopy(multipliers, 0, this.multipliers, 1, multipliers.length);
    for (int i = 0; i < starts.length; i++) {
      long end = i + 1 < starts.length ? starts[i + 1] : finalEpoch;
      lengths[i] = end - starts[i] - 1;
    }
    lengths[0] -= warmupBegin;
    this.warmupBegin = warmupBegin;
    this.warmupFactor = warmupFactor;
    this.etaMin = etaMin;
  }

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) <= warmupBegin) {
      if (warmupBegin == 0) {
        return baseLr;
      }
      return (baseLr - warmupFactor * baseLr) * ((double) step / (double) warmupBegin)
          + warmupFactor * baseLr;
    }
    int found = Arrays.binarySearch(starts, step);
    int section = found >= 0 ? found : -found - 2;
    long current = step - starts[section] - (section == 0 ? warmupBegin : 0L);
    return Anneal.cosine(
        multipliers[section] * baseLr, etaMin, (double) current / (double) lengths[section]);
  }
}
