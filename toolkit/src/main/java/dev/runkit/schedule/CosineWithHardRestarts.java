package dev.runkit.schedule;

/**
 * Hugging Face {@code cosine_with_restarts}, BasicTS {@code CosineWarmupRestarts}: a linear warm-up
 * from 0, then {@code num_cycles} half-cosine decays from the base learning rate to 0, each
 * restarting at the top; 0 from {@code num_training_steps} on.
 *
 * @param baseLr the base learning rate
 * @param warmupSteps the warm-up length, {@code >= 0}
 * @param trainingSteps the run length, {@code >= warmupSteps}
 * @param cycles the number of decays, {@code >= 1}
 */
record CosineWithHardRestarts(double baseLr, long warmupSteps, long trainingSteps, long cycles)
    implements Schedule {

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupSteps) {
      return baseLr * Ramps.linearWarmup(step, warmupSteps);
    }
    double progress =
        (double) (step - warmupSteps) / (double) Math.max(1L, trainingSteps - warmupSteps);
    if (progress >= 1.0) {
      return 0.0;
    }
    return baseLr * Math.max(0.0, Ramps.halfCosine(((double) cycles * progress) % 1.0));
  }
}
