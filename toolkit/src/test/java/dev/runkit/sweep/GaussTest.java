package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The normal distribution's tails, inverse and truncated draws, against SciPy's values. */
class GaussTest {

  @Test
  void logCdf_equalsScipyFarIntoTheTails() {
    // scipy.special.log_ndtr
    double[][] cases = {
      {-40, -804.6084420137539},
      {-25, -316.63940800802027},
      {-19.5, -194.01696577749752},
      {-5, -15.064998393988727},
      {0, -0.6931471805599453},
      {3, -0.0013508099647481925},
      {7, -1.2798125438866539e-12},
      {10, -7.61985302416047e-24},
    };
    for (double[] c : cases) {
      assertThat(Gauss.logCdf(c[0]))
          .as("logCdf(%s)", c[0])
          .isCloseTo(c[1], within(Math.abs(c[1]) * 1e-12));
    }
  }

  @Test
  void inverseCdf_equalsScipyNdtri() {
    double[][] cases = {
      {1e-300, -37.0470962993612},
      {1e-20, -9.262340089798409},
      {0.01, -2.3263478740408408},
      {0.3, -0.5244005127080409},
      {0.5, 0.0},
      {0.97, 1.8807936081512509},
      {1 - 1e-12, 7.0344869100478356},
    };
    for (double[] c : cases) {
      assertThat(Gauss.inverseCdf(c[0]))
          .as("inverseCdf(%s)", c[0])
          .isCloseTo(c[1], within(1e-9 * Math.max(1, Math.abs(c[1]))));
    }
  }

  @Test
  void logMass_farInOneTail_isFiniteAndMirrored() {
    // both ends past where the CDF underflows: the mass comes from log-space differences
    double left = Gauss.logMass(-41, -40);
    assertThat(left).isFinite().isCloseTo(Gauss.logCdf(-40), within(1e-3));
    assertThat(Gauss.logMass(40, 41)).isCloseTo(left, within(1e-12));
    assertThat(Gauss.logMass(-1, 1)).isCloseTo(Math.log(0.6826894921370859), within(1e-14));
  }

  @Test
  void truncated_staysInsideAndHasTheTruncatedMean() {
    Random random = new Random(3);
    // scipy.stats.truncnorm.mean(-0.5, 2.0) and (1.5, 4.0)
    double[][] cases = {{-0.5, 2.0, 0.4457437782725149}, {1.5, 4.0, 1.9375924891612766}};
    for (double[] c : cases) {
      double sum = 0;
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        double z = Gauss.truncated(c[0], c[1], random);
        assertThat(z).isBetween(c[0], c[1]);
        sum += z;
      }
      assertThat(sum / n).isCloseTo(c[2], within(0.01));
    }
  }
}
