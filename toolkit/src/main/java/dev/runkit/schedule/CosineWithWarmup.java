package dev.runkit.schedule;

/**
 * Hugging Face {@code cosine} and {@code cosine_with_min_lr}, BasicTS {@code CosineWarmup}: a
 * linear warm-up from 0, then {@code num_cycles} cosine waves over the rest of the run, floored at
 * {@code min_lr_rate} times the base learning rate.
 *
 * <p>As upstream, the cosine is not clamped at {@code num_training_steps}: past the run it keeps
 * waving (with the default half wave it rises again).
 *
 * @param baseLr the base learning rate
 * @param warmupSteps the warm-up length, {@code >= 0}
 * @param trainingSteps the run length, {@code >= warmupSteps}
 * @param cycles the number of cosine waves ({@code 0.5}: one decay to the floor), {@code > 0}
 * @param minLrRate the floor as a fraction of the base learning rate, in [0, 1]
 */
record CosineWithWarmup(
    double baseLr, long warmupSteps, long trainingSteps, double cycles, double minLrRate)
    implements Schedule {

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupSteps) {
      return baseLr * Ramps.linearWarmup(step, warmupSteps);
    }
    double progress =
        (double) (step - warmupSteps) / (double) Math.max(1L, trainingSteps - warmupSteps);
    double factor = Ramps.halfCosine(cycles * 2.0 * progress);
    return baseLr * Math.max(0.0, factor * (1.0 - minLrRate) + minLrRate);
  }
}
