package dev.runkit.schedule;

import dev.runkit.registry.Params;
import java.util.OptionalDouble;

/**
 * PyTorch {@code OneCycleLR} (the 1cycle policy): the rate rises from {@code max_lr / div_factor}
 * to {@code max_lr} over the first {@code pct_start} of {@code total_steps}, then falls to {@code
 * initial_lr / final_div_factor}; with {@code three_phase} it first falls back to the initial rate
 * symmetrically, then anneals to the minimum. Momentum moves inversely between {@code max_momentum}
 * and {@code base_momentum} when {@code cycle_momentum} is true; for Adam-type optimizers the
 * momentum is beta1 (PyTorch's {@code use_beta1}).
 *
 * <p>The optimizer's own rate is ignored, as in PyTorch, which sets {@code initial_lr} itself.
 * Steps {@code 0 .. total_steps} are defined (PyTorch allows exactly {@code total_steps} calls to
 * {@code step()}, the last of which extrapolates the final phase a little); a later step throws, as
 * PyTorch does.
 *
 * <p>Parameters: {@code max_lr} (required, {@code > 0}); either {@code total_steps} or both {@code
 * epochs} and {@code steps_per_epoch} (integers {@code >= 1}); {@code pct_start} (0.3, in {@code
 * [0, 1]}, and every phase must span more than 0 steps), {@code anneal_strategy} ({@code cos} or
 * {@code linear}), {@code cycle_momentum} (true), {@code base_momentum} (0.85), {@code
 * max_momentum} (0.95), {@code div_factor} (25), {@code final_div_factor} (1e4), {@code
 * three_phase} (false).
 */
public final class OneCycleLR implements Schedule {

  private final long totalSteps;
  private final boolean cosine;
  private final boolean cycleMomentum;
  private final double[] phaseEnd;
  private final double[] startLr;
  private final double[] endLr;
  private final double[] startMomentum;
  private final double[] endMomentum;

  private OneCycleLR(
      long totalSteps,
      boolean cosine,
      boolean cycleMomentum,
      double[] phaseEnd,
      double[][] lrs,
      double[][] momenta) {
    this.totalSteps = totalSteps;
    this.cosine = cosine;
    this.cycleMomentum = cycleMomentum;
    this.phaseEnd = phaseEnd;
    this.startLr = lrs[0];
    this.endLr = lrs[1];
    this.startMomentum = momenta[0];
    this.endMomentum = momenta[1];
  }

  static OneCycleLR create(Params p, double baseLr) {
    double maxLr = PyTorchSchedules.positive(p, "max_lr", p.requiredDouble("max_lr"));
    long totalSteps = totalSteps(p);
    double pctStart = p.optionalDouble("pct_start", 0.3);
    p.check("pct_start", pctStart, pctStart >= 0 && pctStart <= 1, "in [0, 1]");
    String strategy = p.optionalChoice("anneal_strategy", "cos", "cos", "linear");
    boolean cycleMomentum = p.optionalBoolean("cycle_momentum", true);
    double baseMomentum = PyTorchSchedules.momentum(p, "base_momentum", 0.85);
    double maxMomentum = PyTorchSchedules.momentum(p, "max_momentum", 0.95);
    double divFactor =
        PyTorchSchedules.positive(p, "div_factor", p.optionalDouble("div_factor", 25));
    double finalDiv =
        PyTorchSchedules.positive(p, "final_div_factor", p.optionalDouble("final_div_factor", 1e4));
    boolean threePhase = p.optionalBoolean("three_phase", false);

    double initialLr = maxLr / divFactor;
    double minLr = initialLr / finalDiv;
    double warmEnd = pctStart * totalSteps - 1;
    double[] phaseEnd;
    double[][] lrs;
    double[][] momenta;
    if (threePhase) {
      phaseEnd = new double[] {warmEnd, 2 * pctStart * totalSteps - 2, totalSteps - 1};
      lrs = new double[][] {{initialLr, maxLr, initialLr}, {maxLr, initialLr, minLr}};
      momenta =
          new double[][] {
            {maxMomentum, baseMomentum, maxMomentum}, {baseMomentum, maxMomentum, maxMomentum}
          };
    } else {
      phaseEnd = new double[] {warmEnd, totalSteps - 1};
      lrs = new double[][] {{initialLr, maxLr}, {maxLr, minLr}};
      momenta = new double[][] {{maxMomentum, baseMomentum}, {baseMomentum, maxMomentum}};
    }
    double previous = 0;
    for (double end : phaseEnd) {
      if (!(end > previous)) {
        throw new IllegalArgumentException(
            p.path("pct_start")
                + " gives a phase of no length: with pct_start="
                + pctStart
                + ", total_steps="
                + totalSteps
                + (threePhase ? " and three_phase" : "")
                + " the phases end at steps "
                + java.util.Arrays.toString(phaseEnd)
                + ", which must increase from 0 (PyTorch would divide by zero)");
      }
      previous = end;
    }
    return new OneCycleLR(
        totalSteps, strategy.equals("cos"), cycleMomentum, phaseEnd, lrs, momenta);
  }

  private static long totalSteps(Params p) {
    boolean hasTotal = p.has("total_steps");
    boolean hasEpochs = p.has("epochs");
    boolean hasPerEpoch = p.has("steps_per_epoch");
    if (hasTotal && (hasEpochs || hasPerEpoch)) {
      throw new IllegalArgumentException(
          p.path()
              + " gives total_steps and epochs/steps_per_epoch; give either total_steps or both"
              + " epochs and steps_per_epoch");
    }
    if (hasTotal) {
      long total = p.requiredLong("total_steps");
      p.check("total_steps", total, total >= 1, ">= 1");
      return total;
    }
    if (!hasEpochs && !hasPerEpoch) {
      throw new IllegalArgumentException(
          "Missing required parameter "
              + p.path("total_steps")
              + "; give total_steps, or both epochs and steps_per_epoch.");
    }
    long epochs = p.requiredLong("epochs");
    p.check("epochs", epochs, epochs >= 1, ">= 1");
    long perEpoch = p.requiredLong("steps_per_epoch");
    p.check("steps_per_epoch", perEpoch, perEpoch >= 1, ">= 1");
    return Math.multiplyExact(epochs, perEpoch);
  }

  @Override
  public double lr(long step) {
    int phase = phase(step);
    return anneal(startLr[phase], endLr[phase], pct(phase, step));
  }

  /** Returns the momentum (beta1 for Adam-type optimizers) when {@code cycle_momentum} is on. */
  @Override
  public OptionalDouble momentum(long step) {
    if (!cycleMomentum) {
      return OptionalDouble.empty();
    }
    int phase = phase(step);
    return OptionalDouble.of(anneal(startMomentum[phase], endMomentum[phase], pct(phase, step)));
  }

  /**
   * Returns the number of steps the cycle spans.
   *
   * @return {@code total_steps}
   */
  public long totalSteps() {
    return totalSteps;
  }

  private int phase(long step) {
    Anneal.checkStep(step);
    if (step > totalSteps) {
      throw new IllegalArgumentException(
          "OneCycleLR is defined for steps 0.."
              + totalSteps
              + " (total_steps), got step "
              + step
              + "; raise total_steps to train longer");
    }
    for (int i = 0; i < phaseEnd.length - 1; i++) {
      if (step <= phaseEnd[i]) {
        return i;
      }
    }
    return phaseEnd.length - 1;
  }

  private double pct(int phase, long step) {
    double start = phase == 0 ? 0 : phaseEnd[phase - 1];
    return (step - start) / (phaseEnd[phase] - start);
  }

  private double anneal(double start, double end, double pct) {
    return cosine ? Anneal.cosine(start, end, pct) : Anneal.linear(start, end, pct);
  }

  @Override
  public String toString() {
    return "OneCycleLR(max_lr=" + endLr[0] + ", total_steps=" + totalSteps + ")";
  }
}
