package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The suggestions on curves with known answers. */
class LrFinderResultTest {

  /** A curve flat, then falling, then rising. */
  private static LrFinderResult dip(int n) {
    double[] lrs = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      lrs[i] = 1e-5 * Math.pow(10, i / 10.0);
      // flat, then a cosine descent from 2 to 0.5 over 30..50 (steepest at 40), then rising
      loss[i] =
          i < 30
              ? 2.0
              : i <= 50
                  ? 2.0 - 0.75 * (1 - Math.cos(Math.PI * (i - 30) / 20))
                  : 0.5 + (i - 50) * 0.1;
    }
    return LrFinderResult.of(LrFinder.range(1e-5, 1).steps(n), lrs, loss, loss, false, "done");
  }

  @Test
  void steepest_knownCurve_isWhereTheLossFallsFastest() {
    LrFinderResult r = dip(60);
    assertThat(r.steepestIndex()).hasValue(40);
    assertThat(r.steepest().getAsDouble()).isEqualTo(r.lrs()[40]);
  }

  @Test
  void valley_knownCurve_liesInsideTheDescent() {
    LrFinderResult r = dip(60);
    // window 6..54; longest strictly decreasing run: one flat point, then 31..50 (21 points);
    // fastai: max_start = 44 - 21 = 23, sections = 7, index 23 + 7 + 3 = 33, i.e. 39 overall
    assertThat(r.valleyIndex()).hasValue(39);
  }

  @Test
  void suggestions_fewerThanThreePoints_areEmpty() {
    LrFinderResult r =
        LrFinderResult.of(
            LrFinder.defaults(),
            new double[] {1e-7, 1e-6},
            new double[] {2, Double.NaN},
            new double[] {2, Double.NaN},
            true,
            "diverged");
    assertThat(r.valley()).isEmpty();
    assertThat(r.steepest()).isEmpty();
    assertThat(r.toString()).contains("valley none");
  }

  @Test
  void of_differentLengths_throws() {
    assertThatThrownBy(
            () ->
                LrFinderResult.of(
                    LrFinder.defaults(), new double[2], new double[3], new double[2], false, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lrs, losses and smoothed must have one length, got 2, 3 and 2");
  }
}
