package dev.runkit.schedule;

import dev.runkit.registry.Params;
import java.util.Arrays;

/**
 * PyTorch {@code ChainedScheduler}: steps every child on the shared learning rate, in order, so
 * each child applies its recursive (chainable) form to the rate the previous one left.
 *
 * <p>When every child is a factor family (StepLR, MultiStepLR, ExponentialLR, MultiplicativeLR,
 * ConstantLR, LinearLR, PolynomialLR) this is the base rate times the product of their factors,
 * computed in closed form. With CosineAnnealingLR ({@code eta_min} makes its step affine, and past
 * {@code T_max} it adds rather than multiplies) or CosineAnnealingWarmRestarts (which overwrites
 * the rate) the result depends on the history, so it is computed step by step as PyTorch does and
 * cached: random access stays exact, the first call at step {@code t} costs {@code O(t)} and keeps
 * {@code 8 t} bytes.
 *
 * <p>Parameters: {@code schedulers} (required list of {@code {TYPE, PARAM}} maps). OneCycleLR,
 * CyclicLR, ReduceLROnPlateau and nested SequentialLR / ChainedScheduler are refused (PyTorch calls
 * OneCycleLR and CyclicLR not chainable; it cannot step ReduceLROnPlateau without a metric).
 */
public final class ChainedScheduler implements Schedule {

  private final double baseLr;
  private final Chainable[] schedulers;
  private final boolean allFactors;
  private double[] cache = new double[0];

  private ChainedScheduler(double baseLr, Chainable[] schedulers) {
    this.baseLr = baseLr;
    this.schedulers = schedulers;
    this.allFactors = Arrays.stream(schedulers).allMatch(s -> s instanceof FactorSchedule);
  }

  static ChainedScheduler create(Params p, double baseLr) {
    return new ChainedScheduler(baseLr, PyTorchSchedules.children(p, baseLr, "ChainedScheduler"));
  }

  @Override
  public double lr(long step) {
    Anneal.checkStep(step);
    if (allFactors) {
      double lr = baseLr;
      for (Chainable s : schedulers) {
        lr *= ((FactorSchedule) s).factor(step);
      }
      return lr;
    }
    return replayed(step);
  }

  private synchronized double replayed(long step) {
    if (step >= Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "ChainedScheduler with history-dependent children is limited to steps below "
              + (Integer.MAX_VALUE - 8)
              + ", got "
              + step);
    }
    int known = cache.length;
    if (step >= known) {
      double[] grown =
          Arrays.copyOf(
              cache, (int) Math.max(step + 1, Math.min(2L * known, Integer.MAX_VALUE - 8)));
      for (int t = known; t < grown.length; t++) {
        double lr = t == 0 ? baseLr : grown[t - 1];
        for (Chainable s : schedulers) {
          lr = s.chain(t, lr);
        }
        grown[t] = lr;
      }
      cache = grown;
    }
    return cache[(int) step];
  }

  @Override
  public String toString() {
    return "ChainedScheduler(schedulers=" + Arrays.toString(schedulers) + ")";
  }
}
