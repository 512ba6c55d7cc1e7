package dev.runkit.sweep;

import java.util.Random;
import org.apache.commons.math3.special.Erf;

/**
 * The standard normal distribution where the Parzen estimator needs it: its CDF and log-CDF
 * accurate far into the tails, the log of its mass between two points, its inverse CDF, and draws
 * truncated to an interval.
 */
final class Gauss {

  private static final double SQRT2 = Math.sqrt(2);
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  private Gauss() {}

  /** Returns Φ(z). */
  static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** Returns log φ(z), the log density. */
  static double logPdf(double z) {
    return -0.5 * z * z - LOG_SQRT_2PI;
  }

  /** Returns log Φ(z), accurate where Φ(z) underflows (z below about -38). */
  static double logCdf(double z) {
    if (z > 6) {
      return Math.log1p(-cdf(-z));
    }
    if (z > -20) {
      return Math.log(cdf(z));
    }
    // the asymptotic series of Mills' ratio: Φ(z) ~ φ(z)/(-z) (1 - 1/z² + 3/z⁴ - 15/z⁶ ...)
    double sum = 1;
    double term = 1;
    double zz = 1 / (z * z);
    for (int k = 1; k < 50; k++) {
      double next = -term * (2 * k - 1) * zz;
      if (Math.abs(next) >= Math.abs(term)) {
        break;
      }
      term = next;
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return logPdf(z) - Math.log(-z) + Math.log(sum);
  }

  /** Returns log(Φ(b) - Φ(a)) for {@code a < b}, accurate when both lie far in one tail. */
  static double logMass(double a, double b) {
    if (b <= 0) {
      return logDiff(logCdf(b), logCdf(a));
    }
    if (a > 0) {
      return logDiff(logCdf(-a), logCdf(-b));
    }
    return Math.log1p(-cdf(a) - cdf(-b));
  }

  /** Returns log(exp(p) - exp(q)) for {@code p >= q}. */
  private static double logDiff(double p, double q) {
    if (q == Double.NEGATIVE_INFINITY) {
      return p;
    }
    return p + Math.log1p(-Math.exp(q - p));
  }

  // Acklam's coefficients: numerator and denominator of the central and the tail approximation
  private static final double[] CENTRAL_NUM = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] CENTRAL_DEN = {
    -5.447609879822406e+01,
    1.615858368580409e+02,
    -1.556989798598866e+02,
    6.680131188771972e+01,
    -1.328068155288572e+01,
    1
  };
  private static final double[] TAIL_NUM = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] TAIL_DEN = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00, 1
  };

  /**
   * Returns Φ⁻¹(p): Acklam's rational approximation refined by one Halley step against {@link
   * #cdf}, which leaves it accurate to about 1e-15 relative.
   */
  static double inverseCdf(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double low = 0.02425;
    double x;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = horner(TAIL_NUM, q) / horner(TAIL_DEN, q);
    } else if (p <= 1 - low) {
      double q = p - 0.5;
      double r = q * q;
      x = q * horner(CENTRAL_NUM, r) / horner(CENTRAL_DEN, r);
    } else {
      double q = Math.sqrt(-2 * Math.log1p(-p));
      x = -horner(TAIL_NUM, q) / horner(TAIL_DEN, q);
    }
    // one Halley step on Φ(x) - p
    double e = x < 0 ? cdf(x) - p : (1 - p) - cdf(-x);
    double u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    return x - u / (1 + 0.5 * x * u);
  }

  /** Evaluates a polynomial, highest power first. */
  private static double horner(double[] coefficients, double x) {
    double y = 0;
    for (double c : coefficients) {
      y = y * x + c;
    }
    return y;
  }

  /**
   * Draws a standard normal value truncated to {@code [a, b]}, by the inverse CDF of a uniform
   * draw; an interval on the right is mirrored to the left, where Φ keeps its precision.
   */
  static double truncated(double a, double b, Random random) {
    if (a >= 0) {
      return -truncated(-b, -a, random);
    }
    double pa = cdf(a);
    double pb = cdf(b);
    double u = random.nextDouble();
    if (!(pb > pa)) {
      // an interval so far in the tail that Φ cannot tell its ends apart: nearly flat there
      return a + u * (b - a);
    }
    double z = inverseCdf(pa + u * (pb - pa));
    return Math.max(a, Math.min(b, z));
  }
}
