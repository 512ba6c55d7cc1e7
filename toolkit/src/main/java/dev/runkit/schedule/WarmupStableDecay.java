package dev.runkit.schedule;

/**
 * Hugging Face {@code warmup_stable_decay}: a warm-up from {@code min_lr_ratio} to 1 times the base
 * learning rate, a stable phase at the base learning rate, a decay back to {@code min_lr_ratio},
 * and {@code min_lr_ratio} after it; warm-up and decay each follow a {@code linear}, {@code cosine}
 * or {@code 1-sqrt} shape.
 */
final class WarmupStableDecay implements Schedule {

  /** The shapes a phase may follow, with the names Hugging Face gives them. */
  static final String[] SHAPES = {"linear", "cosine", "1-sqrt"};

  private final double baseLr;
  private final long warmupSteps;
  private final long stableSteps;
  private final long decaySteps;
  private final String warmupType;
  private final String decayType;
  private final double minLrRatio;
  private final double cycles;

  /**
   * Creates the schedule.
   *
   * @param baseLr the base learning rate
   * @param warmupSteps the warm-up length, {@code >= 0}
   * @param stableSteps the stable length, {@code >= 0}
   * @param decaySteps the decay length, {@code >= 0}
   * @param warmupType one of {@link #SHAPES}
   * @param decayType one of {@link #SHAPES}
   * @param minLrRatio the floor as a fraction of the base learning rate, in [0, 1]
   * @param cycles the number of cosine waves of a cosine decay, {@code > 0}
   */
  WarmupStableDecay(
      double baseLr,
      long warmupSteps,
      long stableSteps,
      long decaySteps,
      String warmupType,
      String decayType,
      double minLrRatio,
      double cycles) {
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
    this.stableSteps = stableSteps;
    this.decaySteps = decaySteps;
    this.warmupType = warmupType;
    this.decayType = decayType;
    this.minLrRatio = minLrRatio;
    this.cycles = cycles;
  }

  @Override
  public double lr(long step) {
    if (Anneal.checkStep(step) < warmupSteps) {
      double progress = Ramps.linearWarmup(step, warmupSteps);
      double factor =
          switch (warmupType) {
            case "linear" -> progress;
            case "cosine" -> 1.0 - Ramps.halfCosine(progress);
            default -> 1.0 - Math.sqrt(1.0 - progress);
          };
      return baseLr * floored(factor);
    }
    if (step < warmupSteps + stableSteps) {
      return baseLr;
    }
    if (step < warmupSteps + stableSteps + decaySteps) {
      double progress = Ramps.linearWarmup(step - warmupSteps - stableSteps, decaySteps);
      double factor =
          switch (decayType) {
            case "linear" -> 1.0 - progress;
            case "cosine" -> Ramps.halfCosine(cycles * 2.0 * progress);
            default -> 1.0 - Math.sqrt(progress);
          };
      return baseLr * floored(factor);
    }
    return baseLr * minLrRatio;
  }

  private double floored(double factor) {
    return Math.max(0.0, factor * (1.0 - minLrRatio) + minLrRatio);
  }
}
