package dev.runkit.schedule;

/**
 * Hugging Face {@code inverse_sqrt}: a linear warm-up from 0, then the base learning rate times
 * {@code 1 / sqrt((step + timescale - num_warmup_steps) / timescale)}, which is 1 when the warm-up
 * ends.
 *
 * @param baseLr the base learning rate
 * @param warmupSteps the warm-up length, {@code >= 0}
 * @param timescale how slowly the rate decays, {@code >= 1}
 */
record InverseSqrt(double baseLr, long warmupSteps, long timescale) implements Schedule {

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupSteps) {
      return baseLr * Ramps.linearWarmup(step, warmupSteps);
    }
    long shift = timescale - warmupSteps;
    return baseLr * (1.0 / Math.sqrt((double) (step + shift) / (double) timescale));
  }
}
