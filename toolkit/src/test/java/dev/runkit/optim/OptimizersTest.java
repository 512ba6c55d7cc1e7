package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizersTest {

  static List<String> names() {
    return Optimizers.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void build_everyName_withDefaults_isScheduledAtItsLr(String name) {
    ScheduledOptimizer opt = Optimizers.build(name, Map.of());
    assertThat(opt.type()).isEqualTo(name);
    assertThat(opt.schedule().lr(0)).isEqualTo(opt.baseLr());
    assertThat(opt.schedule().lr(1234)).isEqualTo(opt.baseLr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void build_nameInOtherCase_findsSameType(String name) {
    assertThat(Optimizers.build(name.toUpperCase(java.util.Locale.ROOT), null).type())
        .isEqualTo(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void build_everyName_negativeLr_throws(String name) {
    assertThatThrownBy(() -> Optimizers.build(name, Map.of("lr", -0.001)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.lr must be > 0, got -0.001");
  }

  @Test
  void defaults_followPyTorch() {
    assertThat(Optimizers.build("SGD", null).baseLr()).isEqualTo(1e-3);
    assertThat(Optimizers.build("Adagrad", null).baseLr()).isEqualTo(1e-2);
    assertThat(Optimizers.build("Adadelta", null).baseLr()).isEqualTo(1.0);
    assertThat(Optimizers.build("NAdam", null).baseLr()).isEqualTo(2e-3);
    assertThat(Optimizers.build("Lion", null).baseLr()).isEqualTo(1e-4);
    assertThat(Optimizers.build("AdamW", null).weightDecay()).isEqualTo(1e-2);
    assertThat(Optimizers.build("Adam", null).weightDecay()).isEqualTo(0.0);
    assertThat(Optimizers.build("Lamb", null).weightDecay()).isEqualTo(0.01);
  }

  @Test
  void build_unknownName_suggestsNearest() {
    assertThatThrownBy(() -> Optimizers.build("Adm", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown optimizer \"Adm\" at optimizer.TYPE; expected one of "
                + Optimizers.names()
                + ". Did you mean \"Adam\"?");
  }

  @Test
  void build_configMap_unknownType_namesKeyPath() {
    Map<String, Object> spec = Map.of("TYPE", "Adamm", "PARAM", Map.of("lr", 0.002));
    assertThatThrownBy(() -> Optimizers.build(spec, "TRAIN.OPTIM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown optimizer \"Adamm\" at TRAIN.OPTIM.TYPE; expected one of")
        .hasMessageEndingWith("Did you mean \"Adam\"?");
  }

  @Test
  void build_configMap_basicTsShape_readsParams() {
    Map<String, Object> spec =
        Map.of("TYPE", "Adam", "PARAM", Map.of("lr", 0.002, "weight_decay", 0.0001));
    ScheduledOptimizer opt = Optimizers.build(spec, "TRAIN.OPTIM");
    assertThat(opt.type()).isEqualTo("Adam");
    assertThat(opt.baseLr()).isEqualTo(0.002);
    assertThat(opt.weightDecay()).isEqualTo(0.0001);
  }

  @Test
  void build_configMap_unknownParam_namesPathAndNearest() {
    Map<String, Object> spec = Map.of("TYPE", "Adam", "PARAM", Map.of("lrr", 0.002));
    assertThatThrownBy(() -> Optimizers.build(spec, "TRAIN.OPTIM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter \"lrr\" at TRAIN.OPTIM.PARAM.lrr; accepted are [lr,"
                + " weight_decay, maximize, param_groups, betas, eps, amsgrad]. Did you mean"
                + " \"lr\"?");
  }

  @Test
  void build_configMap_missingType_throws() {
    assertThatThrownBy(() -> Optimizers.build(Map.of("PARAM", Map.of()), "TRAIN.OPTIM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Missing required parameter TRAIN.OPTIM.TYPE; expected one of " + Optimizers.names());
  }

  @Test
  void build_unknownKey_suggestsNearest() {
    assertThatThrownBy(() -> Optimizers.build("Adam", Map.of("betas1", List.of(0.9, 0.99))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter \"betas1\" at optimizer.betas1; accepted are [lr, weight_decay,"
                + " maximize, param_groups, betas, eps, amsgrad]. Did you mean \"betas\"?");
  }

  @Test
  void fluent_negativeLr_throwsAtOnce() {
    assertThatThrownBy(() -> Optimizers.adamW().lr(-0.001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.lr must be > 0, got -0.001");
  }

  @Test
  void fluent_betaOfOne_throws() {
    assertThatThrownBy(() -> Optimizers.adam().betas(0.9, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.betas[1] must be in [0, 1), got 1.0");
  }

  @Test
  void fluent_negativeBeta_throws() {
    assertThatThrownBy(() -> Optimizers.lion().betas(-0.1, 0.99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.betas[0] must be in [0, 1), got -0.1");
  }

  @Test
  void config_betasOfThree_throws() {
    assertThatThrownBy(() -> Optimizers.build("Adam", Map.of("betas", List.of(0.9, 0.99, 0.5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.betas must be a list of two numbers, got [0.9, 0.99, 0.5]");
  }

  @Test
  void fluent_negativeWeightDecay_throws() {
    assertThatThrownBy(() -> Optimizers.sgd().weightDecay(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.weight_decay must be >= 0, got -0.1");
  }

  @Test
  void fluent_nesterovWithDampening_throwsAtBuild() {
    OptimizerSpec spec = Optimizers.sgd().nesterov(true).momentum(0.9).dampening(0.1);
    assertThatThrownBy(spec::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "optimizer.nesterov needs momentum > 0 and dampening = 0, got momentum 0.9 and"
                + " dampening 0.1");
  }

  @Test
  void config_nesterovWithoutMomentum_throws() {
    assertThatThrownBy(() -> Optimizers.build("SGD", Map.of("nesterov", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "optimizer.nesterov needs momentum > 0 and dampening = 0, got momentum 0.0 and"
                + " dampening 0.0");
  }

  @Test
  void fluent_optionOfOtherType_throwsAtOnce() {
    assertThatThrownBy(() -> Optimizers.sgd().betas(0.9, 0.99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter \"betas\" at optimizer.betas; accepted are [lr, weight_decay,"
                + " maximize, param_groups, momentum, dampening, nesterov].");
  }

  @Test
  void config_lrAsWord_throwsWrongType() {
    assertThatThrownBy(() -> Optimizers.build("Adam", Map.of("lr", "fast")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.lr must be a number, got \"fast\" (text)");
  }

  @Test
  void config_amsgradAsNumber_throwsWrongType() {
    assertThatThrownBy(() -> Optimizers.build("Adam", Map.of("amsgrad", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.amsgrad must be true or false, got 1 (an integer)");
  }

  @Test
  void config_numbersAsText_accepted() {
    ScheduledOptimizer opt = Optimizers.build("AdamW", Map.of("lr", "1e-3", "amsgrad", "true"));
    assertThat(opt.baseLr()).isEqualTo(1e-3);
  }

  @Test
  void config_paramGroupTypo_suggestsNearest() {
    Map<String, Object> params = Map.of("param_groups", List.of(Map.of("patern", "*bias")));
    assertThatThrownBy(() -> Optimizers.build("SGD", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter \"patern\" at optimizer.param_groups[0].patern; accepted are"
                + " [pattern, regex, min_ndim, max_ndim, lr_mult, weight_decay]. Did you mean"
                + " \"pattern\"?");
  }

  @Test
  void config_paramGroupNegativeMultiplier_throws() {
    Map<String, Object> params =
        Map.of("param_groups", List.of(Map.of("pattern", "*bias", "lr_mult", -1)));
    assertThatThrownBy(() -> Optimizers.build("SGD", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.param_groups[0].lr_mult must be >= 0, got -1.0");
  }

  @Test
  void fluent_andConfig_reachSameSettings() {
    OptimizerSpec spec = Optimizers.adamW().lr(1e-3).weightDecay(0.05).betas(0.9, 0.95);
    ScheduledOptimizer fromCode = spec.build();
    ScheduledOptimizer fromConfig = Optimizers.build(spec.toConfig(), "TRAIN.OPTIM");
    assertThat(fromConfig.getClass()).isEqualTo(fromCode.getClass());
    assertThat(fromConfig.params()).isEqualTo(fromCode.params());
    assertThat(fromConfig.baseLr()).isEqualTo(1e-3);
    assertThat(fromConfig.weightDecay()).isEqualTo(0.05);
  }

  @Test
  void withSchedule_keepsSettings_andUsesSchedule() {
    ScheduledOptimizer opt = Optimizers.sgd().lr(0.1).momentum(0.9).build();
    ScheduledOptimizer scheduled = opt.withSchedule(step -> 0.1 / (step + 1));
    assertThat(scheduled).isNotSameAs(opt);
    assertThat(scheduled.params()).isEqualTo(opt.params());
    assertThat(scheduled.schedule().lr(1)).isEqualTo(0.05);
  }

  @Test
  void aliasNanoGpt_hasNoDecayGroupForVectors() {
    ScheduledOptimizer opt = Optimizers.build("AdamWnanoGPT", Map.of("weight_decay", 0.1));
    assertThat(opt.groups()).hasSize(1);
    assertThat(opt.groups().get(0).matches("bias", 1)).isTrue();
    assertThat(opt.groups().get(0).matches("weight", 2)).isFalse();
    assertThat(opt.groups().get(0).weightDecay()).hasValue(0.0);
  }

  @Test
  void withSchedule_keepsGroupsGivenInCode() {
    ScheduledOptimizer opt =
        Optimizers.sgd().lr(0.1).groups(ParamGroup.glob("*bias").lrMult(0.5)).build();
    assertThat(opt.withSchedule(step -> 0.1).groups()).hasSize(1);
  }

  @Test
  void fluent_typeSpecificSetters_reachTheirKeys() {
    assertThat(Optimizers.lamb().trustClip(true).maxGradNorm(0.5).alwaysAdapt(true).params())
        .containsEntry("trust_clip", true)
        .containsEntry("max_grad_norm", 0.5)
        .containsEntry("always_adapt", true);
    assertThat(Optimizers.rmsprop().centered(true).alpha(0.9).build().params())
        .containsEntry("centered", true);
    assertThat(Optimizers.nadam().momentumDecay(0.01).decoupledWeightDecay(true).build().type())
        .isEqualTo("NAdam");
    assertThat(Optimizers.adagrad().lrDecay(0.1).initialAccumulatorValue(0.1).build().type())
        .isEqualTo("Adagrad");
    assertThat(Optimizers.adadelta().rho(0.5).build().baseLr()).isEqualTo(1.0);
  }

  @Test
  void fluent_rhoAboveOne_throws() {
    assertThatThrownBy(() -> Optimizers.adadelta().rho(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("optimizer.rho must be in [0, 1], got 1.5");
  }

  @Test
  void lamb_withoutBeginStep_throwsNamingTheFix() {
    ScheduledOptimizer opt = Optimizers.lamb().build();
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      ai.djl.ndarray.NDArray w = manager.ones(new ai.djl.ndarray.types.Shape(2));
      assertThatThrownBy(() -> opt.update("w", w, w))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Lamb with max_grad_norm 1.0 needs beginStep(gradients) before each step's updates"
                  + " (parameter \"w\"), or nameParameters(block.getParameters()) so it can read"
                  + " them; set max_grad_norm to 0 to turn the global pre-clipping off");
    }
  }
}
