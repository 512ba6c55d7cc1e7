package dev.runkit.notebook;

import java.util.Arrays;

/**
 * Thins a long series for plotting while keeping its shape: the points are cut into buckets and
 * each keeps its first, lowest, highest and last point (and one NaN, so gaps stay gaps). A
 * 100,000-step schedule then draws as fast as a 2,000-step one and still shows every restart.
 */
final class Decimate {

  private Decimate() {}

  /**
   * Chooses the indices to keep.
   *
   * @param y the values
   * @param buckets how many buckets; series this short or shorter are kept whole
   * @return ascending indices into y
   */
  static int[] minMax(double[] y, int buckets) {
    int n = y.length;
    if (n <= 4L * buckets) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] keep = new int[5 * buckets];
    int count = 0;
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) b * n / buckets);
      int to = (int) ((long) (b + 1) * n / buckets);
      if (from >= to) {
        continue;
      }
      int lo = -1;
      int hi = -1;
      int nan = -1;
      for (int i = from; i < to; i++) {
        double v = y[i];
        if (Double.isNaN(v)) {
          if (nan < 0) {
            nan = i;
          }
        } else {
          if (lo < 0 || v < y[lo]) {
            lo = i;
          }
          if (hi < 0 || v > y[hi]) {
            hi = i;
          }
        }
      }
      int[] candidates = {from, lo, hi, nan, to - 1};
      Arrays.sort(candidates);
      int last = -1;
      for (int c : candidates) {
        if (c >= 0 && c != last) {
          keep[count++] = c;
          last = c;
        }
      }
    }
    return Arrays.copyOf(keep, count);
  }
}
