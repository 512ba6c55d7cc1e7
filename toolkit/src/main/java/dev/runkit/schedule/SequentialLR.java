package dev.runkit.schedule;

import dev.runkit.registry.Params;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch {@code SequentialLR}: runs one schedule after another, switching at the milestones; each
 * later schedule restarts from its own step 0 at its milestone, so {@code lr(t) =
 * schedulers[i].lr(t - milestones[i-1])}.
 *
 * <p>The exception is {@code MultiplicativeLR}, which has no closed form in PyTorch and so
 * continues from the rate the previous schedule left (see {@link MultiplicativeLR}).
 *
 * <p>Parameters: {@code schedulers} (required list of {@code {TYPE, PARAM}} maps, each a chainable
 * PyTorch family), {@code milestones} (required, one fewer than the schedulers, strictly increasing
 * integers {@code >= 1}; PyTorch does not check them but bisects them as sorted).
 *
 * <p>OneCycleLR, CyclicLR, ReduceLROnPlateau and nested SequentialLR / ChainedScheduler are
 * refused: PyTorch either cannot step them here (ReduceLROnPlateau needs a metric; a composite
 * cannot restart at a milestone, and as the first part its construction shifts it by a step,
 * pytorch#196243) or lets them change the other schedules' base rate (OneCycleLR sets {@code
 * initial_lr}, CyclicLR the optimizer's rate).
 */
public final class SequentialLR implements Schedule {

  private final Schedule[] schedulers;
  private final long[] milestones;

  private SequentialLR(Schedule[] schedulers, long[] milestones) {
    this.schedulers = schedulers;
    this.milestones = milestones;
  }

  static SequentialLR create(Params p, double baseLr) {
    Chainable[] schedulers = PyTorchSchedules.children(p, baseLr, "SequentialLR");
    List<Long> given = p.requiredLongList("milestones");
    if (given.size() != schedulers.length - 1) {
      throw new IllegalArgumentException(
          p.path("milestones")
              + " must have one entry fewer than schedulers ("
              + schedulers.length
              + " schedulers need "
              + (schedulers.length - 1)
              + " milestones), got "
              + given.size()
              + ": "
              + given);
    }
    long[] milestones = new long[given.size()];
    for (int i = 0; i < milestones.length; i++) {
      milestones[i] = given.get(i);
      long floor = i == 0 ? 1 : milestones[i - 1] + 1;
      p.check(
          "milestones[" + i + "]",
          milestones[i],
          milestones[i] >= floor,
          i == 0 ? ">= 1" : "> milestones[" + (i - 1) + "] (strictly increasing)");
    }
    return new SequentialLR(schedulers, milestones);
  }

  @Override
  public double lr(long step) {
    Anneal.checkStep(step);
    int i = Anneal.bisectRight(milestones, step);
    if (i == 0) {
      return schedulers[0].lr(step);
    }
    long milestone = milestones[i - 1];
    if (schedulers[i] instanceof MultiplicativeLR multiplicative) {
      return lr(milestone - 1) * multiplicative.factor(step - milestone + 1);
    }
    return schedulers[i].lr(step - milestone);
  }

  @Override
  public String toString() {
    return "SequentialLR(schedulers="
        + Arrays.toString(schedulers)
        + ", milestones="
        + Arrays.toString(milestones)
        + ")";
  }
}
