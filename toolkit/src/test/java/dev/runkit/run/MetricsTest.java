package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.runkit.data.Normalizer;
import dev.runkit.data.Scaler;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTest {

  @RegisterExtension final ManagerPerTest perTest = new ManagerPerTest();

  private double value(Metric metric, float[] labels, float[] predictions, Shape predShape) {
    NDList c =
        metric.contribution(
            new NDList(perTest.manager().create(labels)),
            new NDList(perTest.manager().create(predictions, predShape)));
    double count = c.size() > 1 ? c.get(1).getFloat() : labels.length;
    return metric.value(c.get(0).getFloat(), count);
  }

  private static final float[] SCORES = {
    0.1f, 0.7f, 0.2f, // argmax 1, second 2
    0.5f, 0.1f, 0.4f, // argmax 0, second 2
    0.2f, 0.3f, 0.5f, // argmax 2, second 1
    0.6f, 0.3f, 0.1f // argmax 0, second 1
  };

  @Test
  void accuracy_twoOfFourRight_isHalf() {
    double acc = value(Metrics.accuracy(), new float[] {1, 2, 2, 1}, SCORES, new Shape(4, 3));
    assertThat(acc).isEqualTo(0.5);
  }

  @Test
  void topTwo_labelsAmongTwoBest_countsThem() {
    double top2 = value(Metrics.topK(2), new float[] {1, 2, 0, 1}, SCORES, new Shape(4, 3));
    assertThat(top2).isEqualTo(0.75);
    assertThat(Metrics.topK(2).name()).isEqualTo("top2_accuracy");
  }

  @Test
  void topK_zero_throws() {
    assertThatThrownBy(() -> Metrics.topK(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topK k must be >= 1, got 0");
  }

  @Test
  void maskedErrors_nanTargets_areLeftOut() {
    float[] target = {1, Float.NaN, 4, -2};
    float[] pred = {2, 100, 2, -2};
    // kept: errors 1, 2, 0
    assertThat(value(Metrics.mae(), target, pred, new Shape(4, 1))).isCloseTo(1.0, within(1e-6));
    assertThat(value(Metrics.rmse(), target, pred, new Shape(4)))
        .isCloseTo(Math.sqrt(5.0 / 3), within(1e-6));
    assertThat(value(Metrics.mape(), target, pred, new Shape(4)))
        .isCloseTo((1.0 + 0.5 + 0) / 3, within(1e-6));
  }

  @Test
  void maskedErrors_nullValueZero_leavesZerosOut() {
    float[] target = {0, 2, 0, 4};
    float[] pred = {5, 1, 5, 5};
    assertThat(value(Metrics.mae(0f), target, pred, new Shape(4))).isCloseTo(1.0, within(1e-6));
    assertThat(value(Metrics.mape(0f), target, pred, new Shape(4)))
        .isCloseTo((0.5 + 0.25) / 2, within(1e-6));
  }

  @Test
  void mape_zeroTargets_areLeftOutEvenWithoutNullValue() {
    float[] target = {0, 2};
    float[] pred = {1, 3};
    assertThat(value(Metrics.mape(), target, pred, new Shape(2))).isCloseTo(0.5, within(1e-6));
  }

  // z-scored with mean 10, std 2: raw targets 11, 8, NaN, 13, 10, 0; raw predictions 10, 9.5, 14,
  // 14, 12, 1; raw absolute errors 1, 1.5, -, 1, 2, 1
  private static final float[] TARGETS = {0.5f, -1f, Float.NaN, 1.5f, 0f, -5f};
  private static final float[] PREDICTIONS = {0f, -0.25f, 2f, 2f, 1f, -4.5f};

  private double denormalized(Metric metric) {
    return value(Metrics.denormalized(metric, 10, 2), TARGETS, PREDICTIONS, new Shape(6));
  }

  @Test
  void denormalized_maeAndRmse_areInTheDataUnits() {
    assertThat(denormalized(Metrics.mae())).isCloseTo(6.5 / 5, within(1e-6));
    assertThat(denormalized(Metrics.rmse())).isCloseTo(Math.sqrt(9.25 / 5), within(1e-6));
    // MAE and RMSE are the normalised ones times std
    assertThat(denormalized(Metrics.mae()))
        .isCloseTo(2 * value(Metrics.mae(), TARGETS, PREDICTIONS, new Shape(6)), within(1e-6));
    assertThat(Metrics.denormalized(Metrics.rmse(), 10, 2).name()).isEqualTo("rmse");
  }

  @Test
  void denormalized_mape_dividesByTheRawTargetAndMasksRawZeros() {
    // raw 0 is left out (normalised -5), raw 10 is kept (normalised 0, which plain mape leaves out)
    double expected = (1 / 11.0 + 1.5 / 8 + 1 / 13.0 + 2 / 10.0) / 4;
    assertThat(denormalized(Metrics.mape())).isCloseTo(expected, within(1e-6));
    double normalised = (0.5 / 0.5 + 0.75 / 1 + 0.5 / 1.5 + 0.5 / 5) / 4;
    assertThat(value(Metrics.mape(), TARGETS, PREDICTIONS, new Shape(6)))
        .isCloseTo(normalised, within(1e-6));
  }

  @Test
  void denormalized_nullValue_isMatchedAgainstRawTargets() {
    // raw target 8 is the null value: left out with the NaN
    assertThat(denormalized(Metrics.mae(8f))).isCloseTo(5.0 / 4, within(1e-6));
    assertThat(denormalized(Metrics.rmse(8f))).isCloseTo(Math.sqrt(7.0 / 4), within(1e-6));
  }

  @Test
  void denormalized_accuracy_throwsNamingTheAllowed() {
    assertThatThrownBy(() -> Metrics.denormalized(Metrics.accuracy(), 10, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "metric \"accuracy\" cannot be de-normalised; only Metrics.mae(), rmse() and mape() can");
  }

  @Test
  void denormalized_zeroStd_throws() {
    assertThatThrownBy(() -> Metrics.denormalized(Metrics.mae(), 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "denormalized(mae) needs a finite mean and a finite std > 0, got mean 10.0 and std 0.0");
  }

  @Test
  void denormalized_twice_throws() {
    Metric once = Metrics.denormalized(Metrics.mape(), 10, 2);
    assertThatThrownBy(() -> Metrics.denormalized(once, 10, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("metric \"mape\" is de-normalised already (mean 10.0, std 2.0)");
  }

  @Test
  void r2_againstTheBaselineMean_isOneMinusErrorOverDeviation() {
    float[] target = {1, 2, 3, 4};
    float[] pred = {1.5f, 2, 2.5f, 4.5f};
    // squared errors 0.25 + 0 + 0.25 + 0.25; deviations from 2.5: 2.25 + 0.25 + 0.25 + 2.25
    assertThat(value(Metrics.r2(2.5), target, pred, new Shape(4, 1)))
        .isCloseTo(1 - 0.75 / 5, within(1e-6));
    // another baseline (the training mean, say) changes only the denominator
    assertThat(value(Metrics.r2(2), target, pred, new Shape(4)))
        .isCloseTo(1 - 0.75 / 6, within(1e-6));
    assertThat(Metrics.r2(0).name()).isEqualTo("r2");
    assertThat(Metrics.r2(0).higherIsBetter()).isTrue();
  }

  @Test
  void r2_nanTargetsLeftOut_severalOutputsPooledAroundTheirOwnBaselines() {
    NDList c =
        Metrics.r2(0, 10)
            .contribution(
                new NDList(
                    perTest.manager().create(new float[] {1, 12, Float.NaN, 8}, new Shape(2, 2))),
                new NDList(perTest.manager().create(new float[] {2, 11, 50, 8}, new Shape(2, 2))));
    // kept: (1 vs 2, base 0), (12 vs 11, base 10), (8 vs 8, base 10)
    assertThat(c.get(0).getFloat()).isCloseTo(2f, within(1e-6f));
    assertThat(c.get(1).getFloat()).isCloseTo(1 + 4 + 4f, within(1e-6f));
    assertThat(Metrics.r2(0, 10).value(2, 9)).isCloseTo(1 - 2.0 / 9, within(1e-12));
  }

  @Test
  void inTargetUnits_twoStandardisedTargets_measuredEachInItsOwnUnits() {
    // targets standardised with means (10, 1000) and deviations (2, 100)
    Normalizer units = new Normalizer(List.of(new Scaler(10, 2), new Scaler(1000, 100)));
    float[] z = {0, 1, -1, 0.5f};
    float[] zPred = {0.5f, 1, -1, 0};
    NDList labels = new NDList(perTest.manager().create(z, new Shape(2, 2)));
    NDList preds = new NDList(perTest.manager().create(zPred, new Shape(2, 2)));
    Metric mae = Metrics.inTargetUnits(Metrics.mae(), units);
    NDList c = mae.contribution(labels, preds);
    // errors in units: 0.5 * 2 = 1 (first target), 0, 0, 0.5 * 100 = 50 (second target)
    assertThat(mae.value(c.get(0).getFloat(), c.get(1).getFloat()))
        .isCloseTo(51 / 4.0, within(1e-4));
    assertThat(mae.name()).isEqualTo("mae");
    assertThat(mae.higherIsBetter()).isFalse();
    // R² with baselines in units pools the squared errors in units, as without standardising
    Metric r2 = Metrics.inTargetUnits(Metrics.r2(10, 1000), units);
    NDList r = r2.contribution(labels, preds);
    // targets in units (10, 1100), (8, 1050): errors² 1 + 2500; deviations² from the baselines
    // 0 + 100² + 2² + 50²
    assertThat(r.get(0).getFloat()).isCloseTo(2501f, within(1e-2f));
    assertThat(r.get(1).getFloat()).isCloseTo(12504f, within(1e-2f));
    assertThat(r2.higherIsBetter()).isTrue();
  }

  @Test
  void r2_baselinesNotOnePerOutput_throwsNamingBoth() {
    Metric r2 = Metrics.r2(1, 2, 3);
    NDList labels = new NDList(perTest.manager().zeros(new Shape(4, 2)));
    assertThatThrownBy(() -> r2.contribution(labels, labels))
        .hasMessage("r2 has 3 baseline means, but the targets have 2 values per example");
    assertThatThrownBy(() -> Metrics.r2())
        .hasMessage("r2 needs one finite baseline mean per output, got []");
  }
}
