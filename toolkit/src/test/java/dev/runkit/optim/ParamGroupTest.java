package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamGroupTest {

  @Test
  void glob_matchesWholeName() {
    ParamGroup g = ParamGroup.glob("*bias");
    assertThat(g.matches("01Linear_bias", 1)).isTrue();
    assertThat(g.matches("bias_scale", 1)).isFalse();
  }

  @Test
  void regex_matchesAnywhere() {
    assertThat(ParamGroup.regex("norm|bias").matches("encoder.norm.gamma", 1)).isTrue();
    assertThat(ParamGroup.regex("^w").matches("bias", 1)).isFalse();
  }

  @Test
  void dims_selectByDimensionality() {
    assertThat(ParamGroup.maxDims(1).matches("anything", 1)).isTrue();
    assertThat(ParamGroup.maxDims(1).matches("anything", 2)).isFalse();
    assertThat(ParamGroup.minDims(2).matches("anything", 4)).isTrue();
    assertThat(ParamGroup.glob("*").andMinDims(2).matches("x", 1)).isFalse();
  }

  @Test
  void regex_invalid_throws() {
    assertThatThrownBy(() -> ParamGroup.regex("("))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("param group regex must be a valid regular expression, got \"(\"");
  }

  @Test
  void update_firstMatchingGroupWins_defaultGroupOtherwise() {
    ScheduledOptimizer opt =
        Optimizers.sgd()
            .lr(1.0)
            .groups(ParamGroup.glob("*bias").lrMult(0.5), ParamGroup.maxDims(1).lrMult(0.1))
            .build();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray bias = manager.zeros(new Shape(2));
      NDArray scale = manager.zeros(new Shape(2));
      NDArray weight = manager.zeros(new Shape(2, 1));
      NDArray grad = manager.ones(new Shape(2));
      opt.update("fc.bias", bias, grad);
      opt.update("norm.scale", scale, grad);
      opt.update("fc.weight", weight, manager.ones(new Shape(2, 1)));
      assertThat(bias.toFloatArray()).containsExactly(-0.5f, -0.5f);
      assertThat(scale.toFloatArray()).containsExactly(-0.1f, -0.1f);
      assertThat(weight.toFloatArray()).containsExactly(-1f, -1f);
    }
  }

  @Test
  void config_groupWeightDecay_overridesOptimizers() {
    ScheduledOptimizer opt =
        Optimizers.build(
            "SGD",
            Map.of(
                "lr",
                1.0,
                "weight_decay",
                0.5,
                "param_groups",
                List.of(Map.of("max_ndim", 1, "weight_decay", 0.0))));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray bias = manager.ones(new Shape(2));
      NDArray weight = manager.ones(new Shape(1, 2));
      opt.update("bias", bias, manager.zeros(new Shape(2)));
      opt.update("weight", weight, manager.zeros(new Shape(1, 2)));
      assertThat(bias.toFloatArray()).containsExactly(1f, 1f);
      assertThat(weight.toFloatArray()).containsExactly(0.5f, 0.5f);
    }
  }

  @Test
  void config_patternAndRegex_throws() {
    Map<String, Object> params =
        Map.of(
            "param_groups", List.of(new java.util.TreeMap<>(Map.of("pattern", "a", "regex", "b"))));
    assertThatThrownBy(() -> Optimizers.build("SGD", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "optimizer.param_groups[0] must give either pattern or regex, not both; got pattern"
                + " \"a\" and regex \"b\"");
  }
}
