package dev.runkit.schedule;

/**
 * The warm-up pieces that the Hugging Face style families and the warm-up decorator share (the
 * two-value interpolations are in {@link Anneal}).
 */
final class Ramps {

  private Ramps() {}

  /**
   * Returns the Hugging Face linear warm-up factor {@code step / max(1, warmupSteps)}.
   *
   * @param step the step, {@code < warmupSteps} when called from a warm-up branch
   * @param warmupSteps the warm-up length
   * @return the factor, 0 at step 0 and approaching 1
   */
  static double linearWarmup(long step, long warmupSteps) {
    return (double) step / (double) Math.max(1L, warmupSteps);
  }

  /**
   * Returns {@code 0.5 * (1 + cos(pi * x))}: 1 at {@code x = 0}, 0 at {@code x = 1}, periodic with
   * period 2.
   *
   * @param x the position in half-periods
   * @return the factor in [0, 1]
   */
  static double halfCosine(double x) {
    return Anneal.cosine(1.0, 0.0, x);
  }

  /**
   * Moves from {@code from} to {@code to} geometrically (a straight line in log space).
   *
   * @param from the value at fraction 0, {@code > 0} unless {@code to} is 0 too
   * @param to the value at fraction 1
   * @param fraction the position
   * @return the value
   */
  static double exponentialBetween(double from, double to, double fraction) {
    if (from == to) {
      return from;
    }
    return from * Math.pow(to / from, fraction);
  }
}
