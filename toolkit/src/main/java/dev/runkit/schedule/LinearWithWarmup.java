package dev.runkit.schedule;

/**
 * Hugging Face {@code linear}: a linear warm-up from 0, then a linear decay to 0 at {@code
 * num_training_steps}, and 0 after it.
 *
 * @param baseLr the base learning rate
 * @param warmupSteps the warm-up length, {@code >= 0}
 * @param trainingSteps the run length, {@code >= warmupSteps}
 */
record LinearWithWarmup(double baseLr, long warmupSteps, long trainingSteps) implements Schedule {

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupSteps) {
      return baseLr * Ramps.linearWarmup(step, warmupSteps);
    }
    double remaining =
        (double) (trainingSteps - step) / (double) Math.max(1L, trainingSteps - warmupSteps);
    return baseLr * Math.max(0.0, remaining);
  }
}
