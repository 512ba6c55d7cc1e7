package dev.runkit.schedule;

/**
 * Hugging Face {@code cosine_warmup_with_min_lr}: like {@code cosine_with_min_lr} but counted one
 * step later, so the warm-up reaches the base learning rate on its last step ({@code (step + 1) /
 * num_warmup_steps}, or a line from {@code warmup_lr_rate} to 1 over {@code num_warmup_steps - 1}
 * steps) and the cosine has already moved one step when the warm-up ends.
 */
final class CosineWarmupWithMinLr implements Schedule {

  private final double baseLr;
  private final double warmupSteps;
  private final double trainingSteps;
  private final double cycles;
  private final double minLrRate;
  private final double warmupLrRate;

  /**
   * Creates the schedule.
   *
   * @param baseLr the base learning rate
   * @param warmupSteps the warm-up length, {@code >= 0}
   * @param trainingSteps the run length, {@code >= warmupSteps}
   * @param cycles the number of cosine waves, {@code > 0}
   * @param minLrRate the floor as a fraction of the base learning rate, in [0, 1]
   * @param warmupLrRate the first warm-up factor, in [0, 1], or NaN for {@code (step + 1) /
   *     num_warmup_steps}
   */
  CosineWarmupWithMinLr(
      double baseLr,
      long warmupSteps,
      long trainingSteps,
      double cycles,
      double minLrRate,
      double warmupLrRate) {
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
    this.trainingSteps = trainingSteps;
    this.cycles = cycles;
    this.minLrRate = minLrRate;
    this.warmupLrRate = warmupLrRate;
  }

  @Override
  public double lr(long step) {
    double s = Anneal.checkStep(step);
    if (s < warmupSteps) {
      if (Double.isNaN(warmupLrRate)) {
        return baseLr * ((s + 1.0) / Math.max(1.0, warmupSteps));
      }
      return baseLr * (warmupLrRate + (1.0 - warmupLrRate) * s / Math.max(1.0, warmupSteps - 1.0));
    }
    double progress = (s - warmupSteps + 1.0) / Math.max(1.0, trainingSteps - warmupSteps);
    double factor = Ramps.halfCosine(cycles * 2.0 * progress);
    return baseLr * Math.max(0.0, factor * (1.0 - minLrRate) + minLrRate);
  }
}
