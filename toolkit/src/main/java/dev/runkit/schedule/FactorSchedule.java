package dev.runkit.schedule;

/**
 * A PyTorch family whose learning rate is the base rate times a factor of the step (StepLR,
 * MultiStepLR, ExponentialLR, MultiplicativeLR, ConstantLR, LinearLR, PolynomialLR); chaining such
 * families multiplies their factors, which PyTorch's recursive forms do one step at a time.
 */
abstract class FactorSchedule implements Chainable {

  final double baseLr;

  FactorSchedule(double baseLr) {
    this.baseLr = baseLr;
  }

  /** Returns the factor applied to the base learning rate at {@code step} (closed form). */
  abstract double factor(long step);

  @Override
  public final double lr(long step) {
    return baseLr * factor(Anneal.checkStep(step));
  }

  @Override
  public double chain(long step, double found) {
    if (step == 0) {
      return found * factor(0);
    }
    // PyTorch multiplies by factor(step) / factor(step - 1); once a factor is 0 it stays 0 in
    // every family here (gamma > 0 is enforced), and PyTorch then leaves the rate alone
    double before = factor(step - 1);
    return before == 0 ? found : found * (factor(step) / before);
  }
}
