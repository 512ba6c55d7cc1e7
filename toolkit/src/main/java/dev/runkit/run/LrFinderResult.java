package dev.runkit.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What an {@link LrFinder} search saw: the learning rate, raw loss and smoothed loss of every
 * update, whether the loss diverged, and two suggested learning rates read off the smoothed curve:
 * the steepest descent (Lightning's suggestion) and the valley (fastai's default). Both skip the
 * first tenth of the planned steps and the last five points, where the curve says little (as fastai
 * does); the arrays themselves are kept whole.
 */
public final class LrFinderResult {

  private final LrFinder settings;
  private final double[] lrs;
  private final double[] losses;
  private final double[] smoothed;
  private final boolean diverged;
  private final String message;
  private final int steepest;
  private final int valley;

  private LrFinderResult(
      LrFinder settings,
      double[] lrs,
      double[] losses,
      double[] smoothed,
      boolean diverged,
      String message) {
    this.settings = settings;
    this.lrs = lrs;
    this.losses = losses;
    this.smoothed = smoothed;
    this.diverged = diverged;
    this.message = message;
    int[] window = window(settings.steps(), finiteCount(smoothed));
    this.steepest = window == null ? -1 : window[0] + steepest(smoothed, window[0], window[1]);
    this.valley = window == null ? -1 : window[0] + valley(smoothed, window[0], window[1]);
  }

  /**
   * Makes a result from recorded curves and computes the suggestions.
   *
   * @param settings the search settings
   * @param lrs the learning rate of each update
   * @param losses the training loss of each update
   * @param smoothed the smoothed loss of each update
   * @param diverged whether the search stopped on divergence
   * @param message how the search ended, in words
   * @return the result
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public static LrFinderResult of(
      LrFinder settings,
      double[] lrs,
      double[] losses,
      double[] smoothed,
      boolean diverged,
      String message) {
    if (lrs.length != losses.length || lrs.length != smoothed.length) {
      throw new IllegalArgumentException(
          "lrs, losses and smoothed must have one length, got "
              + lrs.length
              + ", "
              + losses.length
              + " and "
              + smoothed.length);
    }
    return new LrFinderResult(
        settings, lrs.clone(), losses.clone(), smoothed.clone(), diverged, message);
  }

  /** The points before the first non-finite smoothed value. */
  private static int finiteCount(double[] smoothed) {
    int n = 0;
    while (n < smoothed.length && Double.isFinite(smoothed[n])) {
      n++;
    }
    return n;
  }

  /**
   * The window [from, to) the suggestions read: fastai's {@code [steps / 10, n - 5)}, widened to
   * everything when that leaves fewer than three points; null when there are fewer than three.
   */
  private static int[] window(int steps, int n) {
    if (n < 3) {
      return null;
    }
    int from = steps / 10;
    int to = n - 5;
    return to - from >= 3 ? new int[] {from, to} : new int[] {0, n};
  }

  /** The index of the most negative slope (numpy.gradient: central differences inside). */
  static int steepest(double[] y, int from, int to) {
    int best = 0;
    double bestSlope = Double.POSITIVE_INFINITY;
    int n = to - from;
    for (int i = 0; i < n; i++) {
      double slope;
      if (i == 0) {
        slope = y[from + 1] - y[from];
      } else if (i == n - 1) {
        slope = y[from + i] - y[from + i - 1];
      } else {
        slope = (y[from + i + 1] - y[from + i - 1]) / 2;
      }
      if (slope < bestSlope) {
        bestSlope = slope;
        best = i;
      }
    }
    return best;
  }

  /**
   * fastai's valley: the longest strictly decreasing subsequence of the loss marks the valley; the
   * suggestion lies half way between its first and second third (so safely on the way down).
   */
  static int valley(double[] y, int from, int to) {
    int n = to - from;
    int[] length = new int[n];
    Arrays.fill(length, 1);
    int maxStart = 0;
    int maxEnd = 0;
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        if (y[from + i] < y[from + j] && length[i] < length[j] + 1) {
          length[i] = length[j] + 1;
        }
        if (length[maxEnd] < length[i]) {
          maxEnd = i;
          maxStart = maxEnd - length[maxEnd];
        }
      }
    }
    double sections = (maxEnd - maxStart) / 3.0;
    int idx = maxStart + (int) sections + (int) (sections / 2);
    return Math.max(0, Math.min(n - 1, idx));
  }

  /**
   * Returns the search settings.
   *
   * @return the settings
   */
  public LrFinder settings() {
    return settings;
  }

  /**
   * Returns the learning rate of each recorded update.
   *
   * @return a copy
   */
  public double[] lrs() {
    return lrs.clone();
  }

  /**
   * Returns the training loss of each recorded update.
   *
   * @return a copy
   */
  public double[] losses() {
    return losses.clone();
  }

  /**
   * Returns the smoothed loss of each recorded update.
   *
   * @return a copy
   */
  public double[] smoothed() {
    return smoothed.clone();
  }

  /**
   * Returns the number of recorded updates.
   *
   * @return the count (below {@code steps} when the loss diverged)
   */
  public int size() {
    return lrs.length;
  }

  /**
   * Returns whether the search stopped because the smoothed loss diverged.
   *
   * @return true on divergence
   */
  public boolean diverged() {
    return diverged;
  }

  /**
   * Returns how the search ended, in words.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * Returns the learning rate where the smoothed loss falls fastest.
   *
   * @return the learning rate, or empty with fewer than three finite points
   */
  public OptionalDouble steepest() {
    return steepest < 0 ? OptionalDouble.empty() : OptionalDouble.of(lrs[steepest]);
  }

  /**
   * Returns fastai's valley suggestion.
   *
   * @return the learning rate, or empty with fewer than three finite points
   */
  public OptionalDouble valley() {
    return valley < 0 ? OptionalDouble.empty() : OptionalDouble.of(lrs[valley]);
  }

  /**
   * Returns the index of the steepest-descent point.
   *
   * @return the index into {@link #lrs()}, or empty
   */
  public OptionalInt steepestIndex() {
    return steepest < 0 ? OptionalInt.empty() : OptionalInt.of(steepest);
  }

  /**
   * Returns the index of the valley point.
   *
   * @return the index into {@link #lrs()}, or empty
   */
  public OptionalInt valleyIndex() {
    return valley < 0 ? OptionalInt.empty() : OptionalInt.of(valley);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "LrFinderResult[%d points, valley %s, steepest %s; %s]",
        lrs.length,
        valley().isPresent() ? String.format(Locale.ROOT, "%.3g", valley().getAsDouble()) : "none",
        steepest().isPresent()
            ? String.format(Locale.ROOT, "%.3g", steepest().getAsDouble())
            : "none",
        message);
  }
}
