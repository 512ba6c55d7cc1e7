package dev.runkit.schedule;

/**
 * Hugging Face {@code constant} and {@code constant_with_warmup}: a linear warm-up from 0 over
 * {@code num_warmup_steps}, then the base learning rate.
 */
final class ConstantWithWarmup implements Schedule {

  private final double baseLr;
  private final long warmupSteps;

  /**
   * Creates the schedule.
   *
   * @param baseLr the base learning rate
   * @param warmupSteps the warm-up length, {@code >= 0} (0: constant)
   */
  ConstantWithWarmup(double baseLr, long warmupSteps) {
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
  }

  @Override
  public double lr(long step) {
    return Anneal.checkStep(step) < warmupSteps
        ? baseLr * Ramps.linearWarmup(step, warmupSteps)
        : baseLr;
  }
}
