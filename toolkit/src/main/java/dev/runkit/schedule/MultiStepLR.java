package dev.runkit.schedule;

import dev.runkit.registry.Params;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch {@code MultiStepLR}: the learning rate is multiplied by {@code gamma} at each milestone,
 * {@code lr(t) = base * gamma^(number of milestones <= t)}.
 *
 * <p>Parameters: {@code milestones} (required, non-empty list of integers {@code >= 0}), {@code
 * gamma} (default 0.1, {@code > 0}). As PyTorch keeps the milestones in a {@code Counter}, their
 * order does not matter and a repeated milestone compounds ({@code [10, 10]} multiplies by {@code
 * gamma^2} at step 10); RunKit therefore accepts unsorted milestones and sorts them.
 */
public final class MultiStepLR extends FactorSchedule {

  private final long[] milestones;
  private final double gamma;

  private MultiStepLR(double baseLr, long[] milestones, double gamma) {
    super(baseLr);
    this.milestones = milestones;
    this.gamma = gamma;
  }

  static MultiStepLR create(Params p, double baseLr) {
    List<Long> given = p.requiredLongList("milestones");
    long[] milestones = new long[given.size()];
    for (int i = 0; i < milestones.length; i++) {
      milestones[i] = given.get(i);
      p.check("milestones[" + i + "]", milestones[i], milestones[i] >= 0, ">= 0");
    }
    Arrays.sort(milestones);
    return new MultiStepLR(
        baseLr, milestones, PyTorchSchedules.positive(p, "gamma", p.optionalDouble("gamma", 0.1)));
  }

  @Override
  double factor(long step) {
    return Math.pow(gamma, Anneal.bisectRight(milestones, step));
  }

  @Override
  public String toString() {
    return "MultiStepLR(milestones="
        + Arrays.toString(milestones)
        + ", gamma="
        + gamma
        + ", base_lr="
        + baseLr
        + ")";
  }
}
