package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void byNorm_overLimit_scalesAllGradientsTogether_andReturnsNormBefore() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new double[] {3, 0});
      NDArray b = manager.create(new double[] {0, 4});
      double norm = GradientClipping.byNorm(1.0).apply(List.of(a, b)).getDouble();
      assertThat(norm).isEqualTo(5.0);
      double coef = 1.0 / (5.0 + 1e-6);
      assertThat(a.toDoubleArray()).containsExactly(3 * coef, 0);
      assertThat(b.toDoubleArray()).containsExactly(0, 4 * coef);
    }
  }

  @Test
  void byNorm_underLimit_leavesGradients() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {0.3f, 0.4f});
      float norm = GradientClipping.byNorm(1.0).apply(List.of(a)).getFloat();
      assertThat(norm).isCloseTo(0.5f, offset(1e-7f));
      assertThat(a.toFloatArray()).containsExactly(0.3f, 0.4f);
    }
  }

  @Test
  void byInfNorm_usesLargestMagnitude() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new double[] {1, -8});
      NDArray b = manager.create(new double[] {2});
      double norm = GradientClipping.byInfNorm(2.0).apply(List.of(a, b)).getDouble();
      assertThat(norm).isEqualTo(8.0);
      assertThat(a.toDoubleArray()[1]).isCloseTo(-2.0, offset(1e-6));
    }
  }

  @Test
  void byValue_clampsElements_andReturnsL2NormBefore() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new double[] {3, -4, 0.01});
      double norm = GradientClipping.byValue(0.1).apply(List.of(a)).getDouble();
      assertThat(norm).isCloseTo(Math.sqrt(25.0001), offset(1e-12));
      assertThat(a.toDoubleArray()).containsExactly(0.1, -0.1, 0.01);
    }
  }

  @Test
  void from_torchNames_buildsEachKind() {
    assertThat(GradientClipping.from(Map.of("max_norm", 5.0), "TRAIN.CLIP_GRAD_PARAM"))
        .hasToString("GradientClipping[max_norm=5.0, norm_type=2.0]");
    assertThat(
            GradientClipping.from(
                Map.of("max_norm", 1, "norm_type", "inf"), "TRAIN.CLIP_GRAD_PARAM"))
        .hasToString("GradientClipping[max_norm=1.0, norm_type=Infinity]");
    assertThat(GradientClipping.from(Map.of("clip_value", 0.5), "TRAIN.CLIP_GRAD_PARAM"))
        .hasToString("GradientClipping[clip_value=0.5]");
  }

  @Test
  void from_unknownKey_suggestsNearest() {
    assertThatThrownBy(
            () ->
                GradientClipping.from(
                    Map.of("max_norm", 5.0, "norm_typ", 2), "TRAIN.CLIP_GRAD_PARAM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter \"norm_typ\" at TRAIN.CLIP_GRAD_PARAM.norm_typ; accepted are"
                + " [max_norm, clip_value, norm_type]. Did you mean \"norm_type\"?");
  }

  @Test
  void from_misspeltMaxNorm_namesTheNearestKey() {
    // it said "must give exactly one of max_norm and clip_value, got {max_nrom=5.0}"
    assertThatThrownBy(
            () -> GradientClipping.from(Map.of("max_nrom", 5.0), "TRAIN.CLIP_GRAD_PARAM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter \"max_nrom\" at TRAIN.CLIP_GRAD_PARAM.max_nrom; accepted are"
                + " [max_norm, clip_value, norm_type]. Did you mean \"max_norm\"?");
  }

  @Test
  void from_negativeMaxNorm_throws() {
    assertThatThrownBy(
            () -> GradientClipping.from(Map.of("max_norm", -1.0), "TRAIN.CLIP_GRAD_PARAM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TRAIN.CLIP_GRAD_PARAM.max_norm must be > 0, got -1.0");
  }

  @Test
  void from_bothKinds_throws() {
    assertThatThrownBy(
            () ->
                GradientClipping.from(
                    new java.util.TreeMap<>(Map.of("max_norm", 1.0, "clip_value", 0.5)),
                    "TRAIN.CLIP_GRAD_PARAM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TRAIN.CLIP_GRAD_PARAM must give exactly one of max_norm and clip_value, got"
                + " {clip_value=0.5, max_norm=1.0}");
  }

  @Test
  void byValue_zero_throws() {
    assertThatThrownBy(() -> GradientClipping.byValue(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clipping.clip_value must be > 0, got 0.0");
  }
}
