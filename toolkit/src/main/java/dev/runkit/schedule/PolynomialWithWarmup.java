package dev.runkit.schedule;

/**
 * Hugging Face {@code polynomial}: a linear warm-up from 0, then a polynomial decay of power {@code
 * power} from the base learning rate to the absolute {@code lr_end} at {@code num_training_steps},
 * and {@code lr_end} after it.
 *
 * @param baseLr the base learning rate, {@code > lrEnd}
 * @param warmupSteps the warm-up length, {@code >= 0}
 * @param trainingSteps the run length, {@code > warmupSteps}
 * @param lrEnd the final learning rate (absolute, not a factor), {@code >= 0}
 * @param power the polynomial power, {@code > 0}
 */
record PolynomialWithWarmup(
    double baseLr, long warmupSteps, long trainingSteps, double lrEnd, double power)
    implements Schedule {

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupSteps) {
      return baseLr * Ramps.linearWarmup(step, warmupSteps);
    }
    // upstream returns a factor of the base lr that LambdaLR multiplies back; keep that rounding
    if (step > trainingSteps) {
      return baseLr * (lrEnd / baseLr);
    }
    double remaining = 1.0 - (double) (step - warmupSteps) / (double) (trainingSteps - warmupSteps);
    double decayed = (baseLr - lrEnd) * Math.pow(remaining, power) + lrEnd;
    return baseLr * (decayed / baseLr);
  }
}
