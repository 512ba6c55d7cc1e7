package dev.runkit.schedule;

/**
 * Hugging Face {@code constant} and {@code constant_with_warmup}: a linear warm-up from 0 over
 * {@code num_warmup_steps}, then the base learning rate.
 *
 * @param baseLr the base learning rate
 * @param warmupSteps the warm-up length, {@code >= 0} (0: constant)
 */
record ConstantWithWarmup(double baseLr, long warmupSteps) implements Schedule {

  @Override
  public double lr(long step) {
    return Anneal.checkStep(step) < warmupSteps
        ? baseLr * Ramps.linearWarmup(step, warmupSteps)
        : baseLr;
  }
}
