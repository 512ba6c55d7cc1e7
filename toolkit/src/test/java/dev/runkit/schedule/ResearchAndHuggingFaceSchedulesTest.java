package dev.runkit.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runkit.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the Hugging Face, BasicTS, EasyTorch and timm families and the warm-up decorator against
 * the tables of {@code generate_schedule_references_formulas.py} (tolerance 1e-12 absolute), and
 * their bad-input messages.
 */
class ResearchAndHuggingFaceSchedulesTest {

  private static final double TOLERANCE = 1e-12;
  private static final String TABLES = "/reference/schedules/formulas/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One row of a reference table. */
  record Case(String type, Map<String, Object> params, double baseLr, List<Double> lr) {
    @Override
    public String toString() {
      return type + params + " @ " + baseLr;
    }
  }

  static List<String> ownNames() {
    Registry<ScheduleFactory> own = new Registry<>("schedule");
    HuggingFaceSchedules.registerAll(own);
    ResearchSchedules.registerAll(own);
    return own.names();
  }

  static List<Case> cases(String name) {
    try (InputStream in =
        ResearchAndHuggingFaceSchedulesTest.class.getResourceAsStream(TABLES + name + ".json")) {
      if (in == null) {
        return List.of();
      }
      List<Map<String, Object>> rows = JSON.readValue(in, new TypeReference<>() {});
      List<Case> out = new ArrayList<>();
      for (Map<String, Object> row : rows) {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) row.get("params");
        @SuppressWarnings("unchecked")
        List<Number> lr = (List<Number>) row.get("lr");
        out.add(
            new Case(
                (String) row.get("type"),
                params,
                ((Number) row.get("base_lr")).doubleValue(),
                lr.stream().map(Number::doubleValue).toList()));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read table " + name, e);
    }
  }

  static Stream<Arguments> allCases() {
    return ownNames().stream().flatMap(n -> cases(n).stream()).map(Arguments::of);
  }

  static Stream<String> names() {
    return ownNames().stream();
  }

  @Test
  void registry_everyOwnName_isReachableThroughSchedules() {
    assertThat(Schedules.names()).containsAll(ownNames());
  }

  @ParameterizedTest
  @MethodSource("names")
  void referenceTable_everyRegisteredName_hasAtLeastThreeCases(String name) {
    List<Case> cases = cases(name);
    assertThat(cases).as("reference cases for %s", name).hasSizeGreaterThanOrEqualTo(3);
    assertThat(cases).allSatisfy(c -> assertThat(c.type()).isEqualTo(name));
    assertThat(cases).allSatisfy(c -> assertThat(c.lr()).hasSize(301));
  }

  @ParameterizedTest
  @MethodSource("allCases")
  void lr_sequential_matchesReference(Case c) {
    Schedule schedule = Schedules.build(c.type(), c.params(), c.baseLr());
    for (int step = 0; step < c.lr().size(); step++) {
      assertThat(schedule.lr(step))
          .as("step %d", step)
          .isCloseTo(c.lr().get(step), within(TOLERANCE));
    }
  }

  @ParameterizedTest
  @MethodSource("allCases")
  void lr_shuffledOrder_matchesReference(Case c) {
    Schedule schedule = Schedules.build(c.type(), c.params(), c.baseLr());
    List<Integer> steps = new ArrayList<>();
    for (int step = 0; step < c.lr().size(); step++) {
      steps.add(step);
    }
    Collections.shuffle(steps, new Random(42));
    for (int step : steps) {
      assertThat(schedule.lr(step))
          .as("step %d", step)
          .isCloseTo(c.lr().get(step), within(TOLERANCE));
    }
  }

  @ParameterizedTest
  @MethodSource("allCases")
  void asTracker_updateN_isLrOfStepNMinusOne(Case c) {
    Schedule schedule = Schedules.build(c.type(), c.params(), c.baseLr());
    for (int update = 1; update <= 300; update++) {
      assertThat(schedule.asTracker().getNewValue(update))
          .as("update %d", update)
          .isEqualTo((float) schedule.lr(update - 1L));
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void build_typeInOtherCase_isAccepted(String name) {
    Case c = cases(name).get(0);
    Schedule schedule = Schedules.build(name.toUpperCase(), c.params(), c.baseLr());
    assertThat(schedule.lr(7)).isCloseTo(c.lr().get(7), within(TOLERANCE));
  }

  @ParameterizedTest
  @MethodSource("names")
  void lr_negativeStep_throws(String name) {
    Case c = cases(name).get(0);
    Schedule schedule = Schedules.build(name, c.params(), c.baseLr());
    assertThatThrownBy(() -> schedule.lr(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step must be >= 0, got -1");
  }

  // --- the spellings users type for the Hugging Face names ---------------------------------------

  static Stream<Arguments> aliases() {
    return Schedules.aliases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void aliases_coverTheWarmupSpellingsAndTransformersFunctionNames() {
    assertThat(Schedules.aliases())
        .containsEntry("cosine_with_warmup", "cosine")
        .containsEntry("linear_with_warmup", "linear")
        .containsEntry("get_cosine_schedule_with_warmup", "cosine")
        .containsEntry("get_constant_schedule_with_warmup", "constant_with_warmup")
        .containsEntry("wsd", "warmup_stable_decay")
        .containsEntry("reduce_lr_on_plateau", "ReduceLROnPlateau");
    assertThat(Schedules.names()).doesNotContainAnyElementsOf(Schedules.aliases().keySet());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("aliases")
  void build_alias_isItsFamilyInAnyCase(String alias, String name) {
    List<Case> cases = cases(name);
    Map<String, Object> params = cases.isEmpty() ? Map.of() : cases.get(0).params();
    double baseLr = cases.isEmpty() ? 0.1 : cases.get(0).baseLr();

    Schedule byAlias = Schedules.build(alias.toUpperCase(java.util.Locale.ROOT), params, baseLr);
    Schedule byName = Schedules.build(name, params, baseLr);

    assertThat(byAlias).hasSameClassAs(byName);
    for (long step = 0; step <= 300; step++) {
      assertThat(byAlias.lr(step)).as("step %d", step).isEqualTo(byName.lr(step));
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "cosin_with_warmup, cosine_with_warmup, cosine",
    "cosine_with_warmpu, cosine_with_warmup, cosine",
    "linar_with_warmup, linear_with_warmup, linear",
    "get_cosine_schedule_with_warmpu, get_cosine_schedule_with_warmup, cosine",
    "cosine_with_hard_restart, cosine_with_hard_restarts, cosine_with_restarts"
  })
  void build_typoOfAnAlias_suggestsThatAliasNotAnotherFamily(
      String typo, String alias, String name) {
    assertThatThrownBy(() -> Schedules.build(typo, Map.of(), 1e-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Unknown schedule \"" + typo + "\" at schedule.TYPE; expected one of [StepLR, ")
        .hasMessageEndingWith("]. Did you mean \"" + alias + "\" (an alias of \"" + name + "\")?");
  }

  @Test
  void build_typoOfAName_stillSuggestsTheName() {
    assertThatThrownBy(() -> Schedules.build("cosin", Map.of(), 1e-3))
        .hasMessageEndingWith("]. Did you mean \"cosine\"?");
    assertThatThrownBy(() -> Schedules.build("constant_with_warmpu", Map.of(), 1e-3))
        .hasMessageEndingWith("]. Did you mean \"constant_with_warmup\"?");
  }

  @Test
  void constant_fluent_holdsTheBaseRate() {
    ScheduleSpec spec = Schedules.constant();

    assertThat(spec.toConfig()).isEqualTo(Map.of("TYPE", "constant", "PARAM", Map.of()));
    Schedule s = spec.build(0.1);
    assertThat(List.of(s.lr(0), s.lr(1), s.lr(10_000))).containsOnly(0.1);
  }

  // --- fluent factories reach the same schedules as config ---------------------------------------

  @Test
  void cosineWithWarmup_fluent_equalsConfig() {
    ScheduleSpec spec = Schedules.cosineWithWarmup(100, 2_000);
    assertThat(spec.toConfig())
        .isEqualTo(
            Map.of(
                "TYPE",
                "cosine",
                "PARAM",
                Map.of("num_warmup_steps", 100L, "num_training_steps", 2_000L)));
    Schedule fromConfig = Schedules.build(spec.toConfig(), 1e-3, "LR_SCHEDULER");
    Schedule fluent = spec.build(1e-3);
    for (long step : new long[] {0, 50, 100, 1_000, 1_999, 2_500}) {
      assertThat(fluent.lr(step)).isEqualTo(fromConfig.lr(step));
    }
    assertThat(fluent.lr(50)).isCloseTo(0.5e-3, within(TOLERANCE));
    assertThat(fluent.lr(1_050)).isCloseTo(0.5e-3, within(TOLERANCE));
  }

  @Test
  void fluentFactories_eachMakesItsType() {
    assertThat(Schedules.linearWithWarmup(10, 100).type()).isEqualTo("linear");
    assertThat(Schedules.constantWithWarmup(10).type()).isEqualTo("constant_with_warmup");
    assertThat(Schedules.cosineWithRestarts(10, 100, 3).params()).containsEntry("num_cycles", 3L);
    assertThat(Schedules.cosineWithMinLr(10, 100, 0.1).type()).isEqualTo("cosine_with_min_lr");
    assertThat(Schedules.polynomialWithWarmup(10, 100, 1e-7, 2.0).type()).isEqualTo("polynomial");
    assertThat(Schedules.inverseSqrt(10).type()).isEqualTo("inverse_sqrt");
    assertThat(Schedules.warmupStableDecay(10, 80, 10).type()).isEqualTo("warmup_stable_decay");
    assertThat(Schedules.cosineWarmup(10, 100).type()).isEqualTo("CosineWarmup");
    assertThat(Schedules.cosineWarmupRestarts(10, 100, 2).type()).isEqualTo("CosineWarmupRestarts");
    assertThat(Schedules.multiCosineAnnealingWarmup(100, List.of(40L), List.of(0.5)).type())
        .isEqualTo("MultiCosineAnnealingWarmupLR");
    assertThat(Schedules.timmCosine(100).type()).isEqualTo("CosineLRScheduler");
  }

  @Test
  void warmupStableDecay_fluent_holdsThenDecays() {
    Schedule s = Schedules.warmupStableDecay(10, 80, 10).with("decay_type", "linear").build(0.1);
    assertThat(s.lr(5)).isCloseTo(0.05, within(TOLERANCE));
    assertThat(s.lr(50)).isEqualTo(0.1);
    assertThat(s.lr(95)).isCloseTo(0.05, within(TOLERANCE));
    assertThat(s.lr(100)).isEqualTo(0.0);
  }

  @Test
  void warmup_shifted_delaysTheWrappedSchedule() {
    ScheduleSpec inner = Schedules.timmCosine(100);
    Schedule wrapped = Schedules.warmup(inner, 20).build(0.1);
    Schedule plain = inner.build(0.1);
    assertThat(wrapped.lr(0)).isEqualTo(0.0);
    assertThat(wrapped.lr(10)).isCloseTo(0.05, within(TOLERANCE));
    for (long k = 0; k < 200; k++) {
      assertThat(wrapped.lr(20 + k)).isEqualTo(plain.lr(k));
    }
  }

  @Test
  void warmup_notShifted_joinsTheWrappedScheduleAtWarmupSteps() {
    ScheduleSpec inner = Schedules.timmCosine(100);
    Schedule wrapped = Schedules.warmup(inner, 20).with("shift", false).build(0.1);
    Schedule plain = inner.build(0.1);
    assertThat(wrapped.lr(10)).isCloseTo(plain.lr(20) / 2, within(TOLERANCE));
    for (long step = 20; step < 200; step++) {
      assertThat(wrapped.lr(step)).isEqualTo(plain.lr(step));
    }
  }

  /** The smallest metric-driven schedule: halves its rate whenever the metric exceeds 1. */
  private static final class Halving implements MetricSchedule {
    private double lr = 0.1;

    @Override
    public double lr(long step) {
      return lr;
    }

    @Override
    public void observe(double metric) {
      if (metric > 1) {
        lr /= 2;
      }
    }

    @Override
    public Map<String, Double> state() {
      return Map.of("lr", lr);
    }

    @Override
    public void restore(Map<String, Double> state) {
      lr = state.get("lr");
    }
  }

  @Test
  void warmup_aroundMetricSchedule_passesObserveStateAndRestoreThrough() {
    Schedule wrapped = WarmupSchedule.wrap(new Halving(), 10, "linear", 0.0, true);
    assertThat(wrapped).isInstanceOf(MetricSchedule.class);
    MetricSchedule metric = (MetricSchedule) wrapped;
    assertThat(wrapped.lr(5)).isCloseTo(0.05, within(TOLERANCE));
    metric.observe(2.0);
    assertThat(wrapped.lr(20)).isEqualTo(0.05);
    assertThat(metric.state()).containsEntry("lr", 0.05);
    metric.restore(Map.of("lr", 0.1));
    assertThat(wrapped.lr(20)).isEqualTo(0.1);
  }

  @Test
  void warmup_aroundPlainSchedule_isNotMetricDriven() {
    Schedule wrapped = Schedules.warmup(Schedules.inverseSqrt(10), 5).build(0.1);
    assertThat(wrapped).isNotInstanceOf(MetricSchedule.class);
  }

  // --- bad input: messages pinned
  // ------------------------------------------------------------------

  private static Map<String, Object> params(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void build_warmupLongerThanRun_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "cosine", params("num_warmup_steps", 200, "num_training_steps", 100), 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schedule.PARAM.num_warmup_steps must be <= num_training_steps (100), got 200");
  }

  @Test
  void build_negativeWarmup_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "linear", params("num_warmup_steps", -5, "num_training_steps", 100), 0.1))
        .hasMessage("schedule.PARAM.num_warmup_steps must be >= 0, got -5");
  }

  @Test
  void build_negativeBaseLr_throws() {
    assertThatThrownBy(() -> Schedules.build("constant", Map.of(), -1e-3))
        .hasMessage("base learning rate of schedule must be a finite number >= 0, got -0.001");
  }

  @Test
  void build_missingTrainingSteps_throws() {
    assertThatThrownBy(() -> Schedules.build("linear", params("num_warmup_steps", 10), 0.1))
        .hasMessage("Missing required parameter schedule.PARAM.num_training_steps.");
  }

  @Test
  void build_misspeltRequiredKey_suggestsIt() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "linear", params("num_warmup_steps", 10, "num_traning_steps", 100), 0.1))
        .hasMessage(
            "Missing required parameter schedule.PARAM.num_training_steps."
                + " Did you mean \"num_training_steps\" instead of \"num_traning_steps\"?");
  }

  @Test
  void build_unknownKey_throwsWithDidYouMean() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "cosine",
                    params("num_warmup_steps", 10, "num_training_steps", 100, "num_cycle", 0.5),
                    0.1))
        .hasMessage(
            "Unknown parameter \"num_cycle\" at schedule.PARAM.num_cycle; accepted are"
                + " [num_warmup_steps, num_training_steps, num_cycles]. Did you mean"
                + " \"num_cycles\"?");
  }

  @Test
  void build_cosineCyclesZero_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "cosine",
                    params("num_warmup_steps", 0, "num_training_steps", 100, "num_cycles", 0.0),
                    0.1))
        .hasMessage("schedule.PARAM.num_cycles must be > 0, got 0.0");
  }

  @Test
  void build_restartCyclesNegative_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "cosine_with_restarts",
                    params("num_training_steps", 100, "num_cycles", -1),
                    0.1))
        .hasMessage("schedule.PARAM.num_cycles must be >= 1, got -1");
  }

  @Test
  void build_restartCyclesFractional_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "CosineWarmupRestarts",
                    params("num_training_steps", 100, "num_cycles", 1.5),
                    0.1))
        .hasMessage("schedule.PARAM.num_cycles must be an integer, got 1.5 (a number)");
  }

  @Test
  void build_polynomialLrEndAtBaseLr_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "polynomial", params("num_training_steps", 100, "lr_end", 0.1), 0.1))
        .hasMessage(
            "schedule.PARAM.lr_end must be < the base learning rate (0.1); lr_end is absolute,"
                + " not a factor, got 0.1");
  }

  @Test
  void build_polynomialWarmupOnly_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "polynomial", params("num_warmup_steps", 100, "num_training_steps", 100), 0.1))
        .hasMessage("schedule.PARAM.num_warmup_steps must be < num_training_steps (100), got 100");
  }

  @Test
  void build_minLrAndMinLrRate_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "cosine_with_min_lr",
                    params("num_training_steps", 100, "min_lr", 1e-5, "min_lr_rate", 0.1),
                    0.1))
        .hasMessage(
            "Only one of schedule.PARAM.min_lr (absolute) and schedule.PARAM.min_lr_rate (a factor"
                + " of the base learning rate) may be given, got both.");
  }

  @Test
  void build_neitherMinLrNorRate_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "cosine_warmup_with_min_lr", params("num_training_steps", 100), 0.1))
        .hasMessage(
            "Missing required parameter: one of schedule.PARAM.min_lr (absolute) and"
                + " schedule.PARAM.min_lr_rate (a factor of the base learning rate) must be"
                + " given.");
  }

  @Test
  void build_wsdUnknownWarmupType_throwsWithDidYouMean() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "warmup_stable_decay",
                    params(
                        "num_training_steps", 100, "num_decay_steps", 10, "warmup_type", "cosin"),
                    0.1))
        .hasMessage(
            "schedule.PARAM.warmup_type must be one of [linear, cosine, 1-sqrt], got \"cosin\"."
                + " Did you mean \"cosine\"?");
  }

  @Test
  void build_wsdWithoutLength_throws() {
    assertThatThrownBy(
            () -> Schedules.build("warmup_stable_decay", params("num_decay_steps", 10), 0.1))
        .hasMessage(
            "Missing required parameter schedule.PARAM.num_training_steps or"
                + " schedule.PARAM.num_stable_steps.");
  }

  @Test
  void build_wsdPhasesLongerThanRun_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "warmup_stable_decay",
                    params(
                        "num_warmup_steps", 60, "num_training_steps", 100, "num_decay_steps", 50),
                    0.1))
        .hasMessage(
            "schedule.PARAM.num_training_steps must be >= num_warmup_steps + num_decay_steps (110),"
                + " got 100");
  }

  @Test
  void build_wsdContradictoryLengths_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "warmup_stable_decay",
                    params(
                        "num_warmup_steps",
                        10,
                        "num_stable_steps",
                        50,
                        "num_decay_steps",
                        20,
                        "num_training_steps",
                        100),
                    0.1))
        .hasMessage(
            "schedule.PARAM.num_training_steps must be num_warmup_steps + num_stable_steps +"
                + " num_decay_steps (80) when both are given, got 100");
  }

  @Test
  void build_warmupDecoratorUnknownType_throwsWithDidYouMean() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "warmup",
                    params(
                        "schedule",
                        Map.of("TYPE", "constant"),
                        "warmup_steps",
                        10,
                        "warmup_type",
                        "exponental"),
                    0.1))
        .hasMessage(
            "schedule.PARAM.warmup_type must be one of [linear, constant, exponential, cosine],"
                + " got \"exponental\". Did you mean \"exponential\"?");
  }

  @Test
  void build_exponentialWarmupFromZero_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "warmup",
                    params(
                        "schedule",
                        Map.of("TYPE", "constant"),
                        "warmup_steps",
                        10,
                        "warmup_type",
                        "exponential"),
                    0.1))
        .hasMessage(
            "schedule.PARAM.warmup_start_factor must be > 0 for warmup_type \"exponential\", got"
                + " 0.0");
  }

  @Test
  void build_warmupDecoratorBadInner_namesNestedPath() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    Map.of(
                        "TYPE",
                        "warmup",
                        "PARAM",
                        Map.of(
                            "schedule",
                            Map.of("TYPE", "cosine", "PARAM", Map.of("num_training_steps", -1)),
                            "warmup_steps",
                            10)),
                    0.1,
                    "TRAIN.LR_SCHEDULER"))
        .hasMessage(
            "TRAIN.LR_SCHEDULER.PARAM.schedule.PARAM.num_training_steps must be >= 1, got -1");
  }

  @Test
  void build_warmupDecoratorWithoutSchedule_throws() {
    assertThatThrownBy(() -> Schedules.build("warmup", params("warmup_steps", 10), 0.1))
        .hasMessage("Missing required parameter schedule.PARAM.schedule.");
  }

  @Test
  void build_easyTorchListsOfDifferentLength_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "MultiCosineAnnealingWarmupLR",
                    params("final_epoch", 100, "T_0", List.of(20, 50), "lr_mult", List.of(0.5)),
                    0.1))
        .hasMessage(
            "schedule.PARAM.lr_mult must be a list of 2 factors, one per T_0 restart, got [0.5]");
  }

  @Test
  void build_easyTorchRestartsWithoutMultipliers_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "MultiCosineAnnealingWarmupLR",
                    params("final_epoch", 100, "T_0", List.of(20, 50)),
                    0.1))
        .hasMessage(
            "Missing required parameter schedule.PARAM.lr_mult: T_0 and lr_mult go together, one"
                + " lr_mult factor per T_0 restart.");
  }

  @Test
  void build_easyTorchWarmupPastFirstRestart_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "MultiCosineAnnealingWarmupLR",
                    params(
                        "final_epoch",
                        100,
                        "T_0",
                        List.of(20, 50),
                        "lr_mult",
                        List.of(0.5, 0.2),
                        "warmup_begin",
                        30),
                    0.1))
        .hasMessage("schedule.PARAM.T_0[0] must be >= 32 (2 after warmup_begin), got 20");
  }

  @Test
  void build_easyTorchOneIterationSection_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "MultiCosineAnnealingWarmupLR",
                    params("final_epoch", 51, "T_0", List.of(20, 50), "lr_mult", List.of(0.5, 0.2)),
                    0.1))
        .hasMessage("schedule.PARAM.final_epoch must be >= 52 (2 after T_0[1]), got 51");
  }

  @Test
  void build_timmCycleMulBelowOne_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "CosineLRScheduler", params("t_initial", 100, "cycle_mul", 0.5), 0.1))
        .hasMessage("schedule.PARAM.cycle_mul must be >= 1, got 0.5");
  }

  @Test
  void build_timmNegativeWarmup_throws() {
    assertThatThrownBy(
            () ->
                Schedules.build("CosineLRScheduler", params("t_initial", 100, "warmup_t", -3), 0.1))
        .hasMessage("schedule.PARAM.warmup_t must be >= 0, got -3");
  }

  @Test
  void build_timmNoise_isRejectedNotIgnored() {
    assertThatThrownBy(
            () ->
                Schedules.build(
                    "CosineLRScheduler", params("t_initial", 100, "noise_range_t", 50), 0.1))
        .hasMessageStartingWith(
            "Unknown parameter \"noise_range_t\" at schedule.PARAM.noise_range_t");
  }

  @Test
  void build_unknownType_suggestsNearest() {
    assertThatThrownBy(() -> Schedules.build("cosine_with_restart", Map.of(), 0.1))
        .hasMessageStartingWith("Unknown schedule \"cosine_with_restart\" at schedule.TYPE;")
        .hasMessageEndingWith("Did you mean \"cosine_with_restarts\"?");
  }

  @Test
  void spec_badValue_failsWhereWritten() {
    assertThatThrownBy(() -> Schedules.cosineWithWarmup(300, 200))
        .hasMessage("schedule.PARAM.num_warmup_steps must be <= num_training_steps (200), got 300");
  }
}
