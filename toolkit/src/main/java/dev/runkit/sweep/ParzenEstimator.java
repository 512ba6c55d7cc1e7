package dev.runkit.sweep;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The Parzen estimator of one dimension that TPE fits to a group of trials (Bergstra et al. 2011,
 * in the form of Optuna's {@code _ParzenEstimator}): a mixture with one kernel per observed value
 * plus a prior kernel. A numeric dimension gets truncated normal kernels on its range (in log space
 * for log scales; a whole number widened by half a step each side and read as the mass of its unit
 * interval); a categorical one gets, per kernel, the prior spread over every value plus one on the
 * observed value.
 *
 * <p>Bandwidths: with the observed values sorted between the range's ends, each kernel's sigma is
 * the larger gap to its neighbours; without {@code considerEndpoints} the first and last kernel
 * (from two observations on) take the gap to their inner neighbour only. Sigmas are clipped to
 * {@code [range / min(100, kernels + 1), range]} with the magic clip (kernels = observations + 1),
 * to {@code [1e-12, range]} without. The prior kernel sits at the middle of the range with sigma
 * equal to the range. Weights: the given ones, then the prior weight, normalised.
 */
final class ParzenEstimator {

  private static final double EPS = 1e-12;

  private final double[] weights;
  // numeric dimensions: kernel centres and widths in the transformed space, and the range there
  private final double[] mus;
  private final double[] sigmas;
  private final double low;
  private final double high;
  private final boolean log;
  private final boolean discrete;
  private final long intLow;
  private final long intHigh;
  // categorical dimensions: one row of value probabilities per kernel
  private final double[][] probabilities;

  /**
   * Fits the estimator.
   *
   * @param param the dimension
   * @param observed the observed values (a categorical one as the index of its value)
   * @param observedWeights one weight per observation, before the prior's is added
   * @param priorWeight the prior kernel's weight
   * @param considerEndpoints whether the outer kernels also look at the range's ends
   * @param magicClip whether to raise small sigmas to the range over {@code min(100, kernels + 1)}
   */
  ParzenEstimator(
      Param param,
      double[] observed,
      double[] observedWeights,
      double priorWeight,
      boolean considerEndpoints,
      boolean magicClip) {
    int n = observed.length;
    if (n == 0) {
      weights = new double[] {1.0};
    } else {
      weights = Arrays.copyOf(observedWeights, n + 1);
      weights[n] = priorWeight;
      double sum = Arrays.stream(weights).sum();
      for (int i = 0; i <= n; i++) {
        weights[i] /= sum;
      }
    }
    List<Object> choices = RandomSampler.choices(param);
    if (choices != null) {
      int m = choices.size();
      int kernels = n + 1;
      probabilities = new double[kernels][m];
      for (int k = 0; k < kernels; k++) {
        // the prior row (the last) and an unobserved mixture hold the prior alone: uniform
        double base = n == 0 ? 1.0 / m : priorWeight / kernels;
        Arrays.fill(probabilities[k], base);
        if (k < n) {
          probabilities[k][(int) observed[k]] += 1;
        }
        double row = Arrays.stream(probabilities[k]).sum();
        for (int j = 0; j < m; j++) {
          probabilities[k][j] /= row == 0 ? 1 : row;
        }
      }
      mus = sigmas = null;
      low = high = 0;
      log = discrete = false;
      intLow = intHigh = 0;
      return;
    }
    probabilities = null;
    double lo;
    double hi;
    if (param instanceof Param.Int p) {
      discrete = true;
      log = p.log();
      intLow = p.low();
      intHigh = p.high();
      lo = p.low() - 0.5;
      hi = p.high() + 0.5;
    } else {
      Param.Uniform p = (Param.Uniform) param;
      discrete = false;
      log = p.log();
      intLow = intHigh = 0;
      lo = p.low();
      hi = p.high();
    }
    low = log ? Math.log(lo) : lo;
    high = log ? Math.log(hi) : hi;
    mus = new double[n + 1];
    sigmas = new double[n + 1];
    for (int i = 0; i < n; i++) {
      mus[i] = log ? Math.log(observed[i]) : observed[i];
    }
    bandwidths(n, considerEndpoints, magicClip);
    mus[n] = 0.5 * (low + high);
    sigmas[n] = high - low;
  }

  private void bandwidths(int n, boolean considerEndpoints, boolean magicClip) {
    if (n == 0) {
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(mus[x], mus[y]));
    double[] withEnds = new double[n + 2];
    withEnds[0] = low;
    withEnds[n + 1] = high;
    for (int i = 0; i < n; i++) {
      withEnds[i + 1] = mus[order[i]];
    }
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
    }
    if (!considerEndpoints && n + 2 >= 4) {
      sorted[0] = withEnds[2] - withEnds[1];
      sorted[n - 1] = withEnds[n] - withEnds[n - 1];
    }
    double max = high - low;
    double min = magicClip ? (high - low) / Math.min(100.0, 1.0 + (n + 1)) : EPS;
    for (int i = 0; i < n; i++) {
      sigmas[order[i]] = Math.max(min, Math.min(max, sorted[i]));
    }
  }

  /**
   * Draws values from the mixture: a kernel by weight, then a value from it.
   *
   * @param random the generator
   * @param count how many
   * @return the values (a numeric value as the dimension takes it, a categorical one as its index)
   */
  double[] sample(Random random, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      int k = pick(weights, random.nextDouble());
      if (probabilities != null) {
        out[i] = pick(probabilities[k], random.nextDouble());
        continue;
      }
      double z = Gauss.truncated((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k], random);
      double x = mus[k] + sigmas[k] * z;
      if (log) {
        x = Math.exp(x);
      }
      if (discrete) {
        x = Math.max(intLow, Math.min(intHigh, intLow + Math.rint(x - intLow)));
      }
      out[i] = x;
    }
    return out;
  }

  /** The first index whose cumulative weight reaches u (the last one for rounding errors). */
  private static int pick(double[] weights, double u) {
    double cumulative = 0;
    for (int i = 0; i < weights.length - 1; i++) {
      cumulative += weights[i];
      if (u <= cumulative) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /**
   * Returns the log density of a value under the mixture (for a whole number, the log of the mass
   * of its unit interval; for a categorical value given as its index, the log probability).
   *
   * @param x the value
   * @return the log density
   */
  double logPdf(double x) {
    double[] terms = new double[weights.length];
    for (int k = 0; k < weights.length; k++) {
      double t;
      if (probabilities != null) {
        t = Math.log(probabilities[k][(int) x]);
      } else if (discrete) {
        double left = log ? Math.log(x - 0.5) : x - 0.5;
        double right = log ? Math.log(x + 0.5) : x + 0.5;
        t =
            Gauss.logMass((left - mus[k]) / sigmas[k], (right - mus[k]) / sigmas[k])
                - Gauss.logMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
      } else {
        double xt = log ? Math.log(x) : x;
        t =
            Gauss.logPdf((xt - mus[k]) / sigmas[k])
                - Math.log(sigmas[k])
                - Gauss.logMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
      }
      terms[k] = t + Math.log(weights[k]);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double t : terms) {
      max = Math.max(max, t);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    return max + Math.log(sum);
  }

  /** The mixture weights, the prior's last (for tests against Optuna). */
  double[] weights() {
    return weights.clone();
  }

  /** The kernel centres in the transformed space, the prior's last. */
  double[] mus() {
    return mus.clone();
  }

  /** The kernel widths in the transformed space, the prior's last. */
  double[] sigmas() {
    return sigmas.clone();
  }
}
