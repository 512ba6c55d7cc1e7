package dev.runkit.schedule;

import dev.runkit.registry.Params;
import java.util.OptionalDouble;

/**
 * PyTorch {@code CyclicLR} (cyclical learning rates): the rate moves linearly from {@code base_lr}
 * up to {@code max_lr} in {@code step_size_up} steps and back in {@code step_size_down}, the
 * amplitude scaled per cycle ({@code triangular}: 1, {@code triangular2}: halved each cycle) or per
 * step ({@code exp_range}: {@code gamma^step}). Momentum moves inversely between {@code
 * max_momentum} and {@code base_momentum} when {@code cycle_momentum} is true (beta1 for Adam-type
 * optimizers, as current PyTorch supports).
 *
 * <p>As in PyTorch, {@code base_lr} replaces the optimizer's rate. Custom {@code scale_fn} cannot
 * come from a config, so {@code scale_mode} is fixed by the mode ({@code cycle} for the triangular
 * modes, {@code iterations} for {@code exp_range}); giving another value is an error rather than
 * silently ignored as in PyTorch.
 *
 * <p>Parameters: {@code base_lr}, {@code max_lr} (required, {@code >= 0}), {@code step_size_up}
 * (2000, {@code >= 1}), {@code step_size_down} (= up, {@code >= 1}), {@code mode}, {@code gamma}
 * (1, {@code > 0}), {@code scale_mode}, {@code cycle_momentum} (true), {@code base_momentum} (0.8),
 * {@code max_momentum} (0.9).
 */
public final class CyclicLR implements Schedule {

  private final double baseLr;
  private final double maxLr;
  private final double totalSize;
  private final double stepRatio;
  private final String mode;
  private final double gamma;
  private final boolean cycleMomentum;
  private final double baseMomentum;
  private final double maxMomentum;

  private CyclicLR(
      double[] lrs, long up, long down, String mode, double gamma, boolean cycle, double[] mom) {
    this.baseLr = lrs[0];
    this.maxLr = lrs[1];
    this.totalSize = (double) up + down;
    this.stepRatio = up / totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this.cycleMomentum = cycle;
    this.baseMomentum = mom[0];
    this.maxMomentum = mom[1];
  }

  static CyclicLR create(Params p, double optimizerLr) {
    double baseLr = PyTorchSchedules.nonNegative(p, "base_lr", p.requiredDouble("base_lr"));
    double maxLr = PyTorchSchedules.nonNegative(p, "max_lr", p.requiredDouble("max_lr"));
    long up = p.optionalLong("step_size_up", 2000);
    p.check("step_size_up", up, up >= 1, ">= 1");
    long down = p.optionalLong("step_size_down", up);
    p.check("step_size_down", down, down >= 1, ">= 1");
    String mode = p.optionalChoice("mode", "triangular", "triangular", "triangular2", "exp_range");
    double gamma = PyTorchSchedules.positive(p, "gamma", p.optionalDouble("gamma", 1.0));
    String fixedScaleMode = mode.equals("exp_range") ? "iterations" : "cycle";
    String scaleMode = p.optionalChoice("scale_mode", fixedScaleMode, "cycle", "iterations");
    if (!scaleMode.equals(fixedScaleMode)) {
      throw new IllegalArgumentException(
          p.path("scale_mode")
              + " must be \""
              + fixedScaleMode
              + "\" for mode \""
              + mode
              + "\" (PyTorch fixes it for the built-in modes; custom scale functions are not"
              + " supported), got \""
              + scaleMode
              + "\"");
    }
    boolean cycleMomentum = p.optionalBoolean("cycle_momentum", true);
    double baseMomentum = PyTorchSchedules.momentum(p, "base_momentum", 0.8);
    double maxMomentum = PyTorchSchedules.momentum(p, "max_momentum", 0.9);
    return new CyclicLR(
        new double[] {baseLr, maxLr},
        up,
        down,
        mode,
        gamma,
        cycleMomentum,
        new double[] {baseMomentum, maxMomentum});
  }

  @Override
  public double lr(long step) {
    Anneal.checkStep(step);
    return baseLr + (maxLr - baseLr) * scaleFactor(step) * scale(step);
  }

  /** Returns the momentum (beta1 for Adam-type optimizers) when {@code cycle_momentum} is on. */
  @Override
  public OptionalDouble momentum(long step) {
    Anneal.checkStep(step);
    if (!cycleMomentum) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        maxMomentum - (maxMomentum - baseMomentum) * scaleFactor(step) * scale(step));
  }

  private double cycle(long step) {
    return Math.floor(1 + step / totalSize);
  }

  /** Position within the cycle as a height in [0, 1] of the triangle. */
  private double scaleFactor(long step) {
    double x = 1.0 + step / totalSize - cycle(step);
    return x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
  }

  private double scale(long step) {
    return switch (mode) {
      case "triangular2" -> 1 / Math.pow(2.0, cycle(step) - 1);
      case "exp_range" -> Math.pow(gamma, step);
      default -> 1.0;
    };
  }

  @Override
  public String toString() {
    return "CyclicLR(base_lr=" + baseLr + ", max_lr=" + maxLr + ", mode=" + mode + ")";
  }
}
