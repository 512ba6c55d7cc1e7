package dev.runkit.schedule;

/**
 * Interpolation between two values as a fraction goes from 0 to 1, shared by every family that
 * anneals (cosine, warm restarts, one-cycle), so the formula lives in one place.
 */
final class Anneal {

  private Anneal() {}

  /**
   * Cosine annealing from {@code start} to {@code end}: {@code end + (start - end) / 2 * (1 +
   * cos(pi * pct))}, as PyTorch writes it; {@code pct} beyond 1 continues the cosine.
   */
  static double cosine(double start, double end, double pct) {
    return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
  }

  /** Linear interpolation from {@code start} to {@code end}, as PyTorch writes it. */
  static double linear(double start, double end, double pct) {
    return (end - start) * pct + start;
  }

  /** Rejects a negative step, which no schedule defines. */
  static long checkStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    return step;
  }

  /** Returns how many of the sorted values are {@code <= key} (Python's {@code bisect_right}). */
  static int bisectRight(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
