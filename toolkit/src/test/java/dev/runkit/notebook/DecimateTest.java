package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DecimateTest {

  @Test
  void minMax_shortSeries_keepsEveryPoint() {
    assertThat(Decimate.minMax(new double[] {3, 1, 2}, 10)).containsExactly(0, 1, 2);
  }

  @Test
  void minMax_longSeries_keepsEachBucketsExtremesInOrder() {
    double[] y = new double[100_000];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(i / 50.0);
    }
    y[31_337] = 5; // a one-step spike must survive thinning
    y[77_777] = -5;

    int[] keep = Decimate.minMax(y, 100);

    assertThat(keep.length).isLessThanOrEqualTo(400);
    assertThat(keep).contains(0, 31_337, 77_777, 99_999);
    assertThat(keep).isSorted();
    assertThat(Arrays.stream(keep).distinct().count()).isEqualTo(keep.length);
  }

  @Test
  void minMax_nanInBucket_keepsOneNaNSoTheGapStays() {
    double[] y = new double[10_000];
    y[5_000] = Double.NaN;

    int[] keep = Decimate.minMax(y, 10);

    assertThat(keep).contains(5_000);
  }
}
