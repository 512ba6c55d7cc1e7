package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private double value(Metric metric, float[] labels, float[] predictions, Shape predShape) {
    NDList c =
        metric.contribution(
            new NDList(manager.create(labels)), new NDList(manager.create(predictions, predShape)));
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
}
