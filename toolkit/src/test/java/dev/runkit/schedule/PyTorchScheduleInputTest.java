package dev.runkit.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input to the PyTorch families, with pinned messages; fluent factories; edge behaviour. */
class PyTorchScheduleInputTest {

  private static Schedule build(String type, Map<String, ?> params) {
    return Schedules.build(type, params, 0.1);
  }

  private static Map<String, Object> spec(String type, Map<String, ?> params) {
    return Map.of("TYPE", type, "PARAM", params);
  }

  @Test
  void build_typeInOtherCase_findsFamily() {
    assertThat(build("StepLr", Map.of("step_size", 10)).lr(10)).isCloseTo(0.01, within(1e-15));
    assertThat(build("cosineannealinglr", Map.of("T_max", 10)).lr(10)).isEqualTo(0.0);
  }

  @Test
  void build_misspeltType_throwsWithNearestName() {
    assertThatThrownBy(() -> build("StpLR", Map.of("step_size", 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Unknown schedule \"StpLR\" at schedule.TYPE; expected one of [StepLR, MultiStepLR,")
        .hasMessageEndingWith(". Did you mean \"StepLR\"?");
  }

  @Test
  void build_misspeltParameter_throwsWithNearestKey() {
    assertThatThrownBy(() -> build("StepLR", Map.of("step_size", 10, "gama", 0.5)))
        .hasMessage(
            "Unknown parameter \"gama\" at schedule.PARAM.gama; accepted are [step_size, gamma]."
                + " Did you mean \"gamma\"?");
  }

  @Test
  void build_missingStepSize_throws() {
    assertThatThrownBy(() -> build("StepLR", Map.of("gamma", 0.5)))
        .hasMessage("Missing required parameter schedule.PARAM.step_size.");
  }

  @Test
  void build_stepSizeAsWord_throwsWrongType() {
    assertThatThrownBy(() -> build("StepLR", Map.of("step_size", "ten")))
        .hasMessage("schedule.PARAM.step_size must be an integer, got \"ten\" (text)");
  }

  @Test
  void build_negativeGamma_throws() {
    assertThatThrownBy(() -> build("StepLR", Map.of("step_size", 10, "gamma", -0.5)))
        .hasMessage("schedule.PARAM.gamma must be a finite number > 0, got -0.5");
    assertThatThrownBy(() -> build("ExponentialLR", Map.of("gamma", 0)))
        .hasMessage("schedule.PARAM.gamma must be a finite number > 0, got 0.0");
  }

  @Test
  void build_tMultBelowOneOrFractional_throws() {
    assertThatThrownBy(() -> build("CosineAnnealingWarmRestarts", Map.of("T_0", 10, "T_mult", 0)))
        .hasMessage("schedule.PARAM.T_mult must be an integer >= 1, got 0");
    assertThatThrownBy(() -> build("CosineAnnealingWarmRestarts", Map.of("T_0", 10, "T_mult", 1.5)))
        .hasMessage("schedule.PARAM.T_mult must be an integer, got 1.5 (a number)");
  }

  @Test
  void build_emptyMilestones_throws() {
    assertThatThrownBy(() -> build("MultiStepLR", Map.of("milestones", List.of())))
        .hasMessage("schedule.PARAM.milestones must be a non-empty list, got []");
  }

  @Test
  void multiStep_unsortedMilestones_actLikeSortedAsInTorchCounter() {
    Schedule unsorted = build("MultiStepLR", Map.of("milestones", List.of(80, 30, 30)));
    Schedule sorted = build("MultiStepLR", Map.of("milestones", List.of(30, 30, 80)));
    for (long step = 0; step < 100; step++) {
      assertThat(unsorted.lr(step)).isEqualTo(sorted.lr(step));
    }
    assertThat(sorted.lr(30)).isCloseTo(0.1 * 0.01, within(1e-15));
  }

  @Test
  void multiStep_negativeMilestone_throws() {
    assertThatThrownBy(() -> build("MultiStepLR", Map.of("milestones", List.of(10, -5))))
        .hasMessage("schedule.PARAM.milestones[1] must be >= 0, got -5");
  }

  @Test
  void oneCycle_totalStepsZero_throws() {
    assertThatThrownBy(() -> build("OneCycleLR", Map.of("max_lr", 0.1, "total_steps", 0)))
        .hasMessage("schedule.PARAM.total_steps must be >= 1, got 0");
  }

  @Test
  void oneCycle_pctStartOutsideUnitInterval_throws() {
    assertThatThrownBy(
            () -> build("OneCycleLR", Map.of("max_lr", 0.1, "total_steps", 100, "pct_start", 1.5)))
        .hasMessage("schedule.PARAM.pct_start must be in [0, 1], got 1.5");
  }

  @Test
  void oneCycle_phaseOfNoLength_throws() {
    assertThatThrownBy(
            () -> build("OneCycleLR", Map.of("max_lr", 0.1, "total_steps", 10, "pct_start", 0.1)))
        .hasMessage(
            "schedule.PARAM.pct_start gives a phase of no length: with pct_start=0.1,"
                + " total_steps=10 the phases end at steps [0.0, 9.0], which must increase from 0"
                + " (PyTorch would divide by zero)");
  }

  @Test
  void oneCycle_totalStepsAndEpochs_throws() {
    assertThatThrownBy(
            () ->
                build(
                    "OneCycleLR",
                    Map.of("max_lr", 0.1, "total_steps", 100, "epochs", 2, "steps_per_epoch", 50)))
        .hasMessage(
            "schedule.PARAM gives total_steps and epochs/steps_per_epoch; give either total_steps"
                + " or both epochs and steps_per_epoch");
    assertThatThrownBy(() -> build("OneCycleLR", Map.of("max_lr", 0.1)))
        .hasMessage(
            "Missing required parameter schedule.PARAM.total_steps; give total_steps, or both"
                + " epochs and steps_per_epoch.");
  }

  @Test
  void oneCycle_stepPastTotal_throwsLikeTorch() {
    Schedule schedule = build("OneCycleLR", Map.of("max_lr", 0.1, "total_steps", 300));
    assertThat(schedule.lr(300)).isPositive();
    assertThatThrownBy(() -> schedule.lr(301))
        .hasMessage(
            "OneCycleLR is defined for steps 0..300 (total_steps), got step 301; raise total_steps"
                + " to train longer");
  }

  @Test
  void cyclic_scaleModeAgainstMode_throws() {
    assertThatThrownBy(
            () ->
                build(
                    "CyclicLR",
                    Map.of(
                        "base_lr", 0.1, "max_lr", 1, "mode", "exp_range", "scale_mode", "cycle")))
        .hasMessage(
            "schedule.PARAM.scale_mode must be \"iterations\" for mode \"exp_range\" (PyTorch fixes"
                + " it for the built-in modes; custom scale functions are not supported), got"
                + " \"cycle\"");
  }

  @Test
  void cyclic_unknownMode_throwsWithNearest() {
    assertThatThrownBy(
            () -> build("CyclicLR", Map.of("base_lr", 0.1, "max_lr", 1, "mode", "triangler")))
        .hasMessage(
            "schedule.PARAM.mode must be one of [triangular, triangular2, exp_range], got"
                + " \"triangler\". Did you mean \"triangular\"?");
  }

  @Test
  void sequential_milestoneCountNotSchedulersMinusOne_throws() {
    Map<String, Object> params =
        Map.of(
            "schedulers",
            List.of(spec("LinearLR", Map.of()), spec("ExponentialLR", Map.of("gamma", 0.9))),
            "milestones",
            List.of(10, 20));
    assertThatThrownBy(() -> build("SequentialLR", params))
        .hasMessage(
            "schedule.PARAM.milestones must have one entry fewer than schedulers (2 schedulers need"
                + " 1 milestones), got 2: [10, 20]");
  }

  @Test
  void sequential_unsortedMilestones_throws() {
    Map<String, Object> params =
        Map.of(
            "schedulers",
            List.of(
                spec("LinearLR", Map.of()),
                spec("ExponentialLR", Map.of("gamma", 0.9)),
                spec("StepLR", Map.of("step_size", 3))),
            "milestones",
            List.of(20, 10));
    assertThatThrownBy(() -> build("SequentialLR", params))
        .hasMessage(
            "schedule.PARAM.milestones[1] must be > milestones[0] (strictly increasing), got 10");
  }

  @Test
  void sequential_badNestedParameter_namesFullPath() {
    Map<String, Object> params =
        Map.of(
            "schedulers",
            List.of(spec("LinearLR", Map.of()), spec("ExponentialLR", Map.of("gamma", -1))),
            "milestones",
            List.of(10));
    assertThatThrownBy(() -> build("SequentialLR", params))
        .hasMessage(
            "schedule.PARAM.schedulers[1].PARAM.gamma must be a finite number > 0, got -1.0");
  }

  @Test
  void chained_oneCycleChild_throwsNotChainable() {
    Map<String, Object> params =
        Map.of("schedulers", List.of(spec("OneCycleLR", Map.of("max_lr", 1, "total_steps", 10))));
    assertThatThrownBy(() -> build("ChainedScheduler", params))
        .hasMessageStartingWith(
            "schedule.PARAM.schedulers[0].TYPE OneCycleLR cannot be stepped inside ChainedScheduler:"
                + " PyTorch calls OneCycleLR and CyclicLR not chainable")
        .hasMessageEndingWith(
            "allowed are [StepLR, MultiStepLR, ExponentialLR, MultiplicativeLR, ConstantLR,"
                + " LinearLR, PolynomialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts]");
  }

  @Test
  void chained_plateauChild_throwsNotChainable() {
    Map<String, Object> params = Map.of("schedulers", List.of(spec("ReduceLROnPlateau", Map.of())));
    assertThatThrownBy(() -> build("ChainedScheduler", params))
        .hasMessageStartingWith(
            "schedule.PARAM.schedulers[0].TYPE ReduceLROnPlateau cannot be stepped inside"
                + " ChainedScheduler");
  }

  @Test
  void build_negativeBaseLr_throws() {
    assertThatThrownBy(() -> Schedules.build("StepLR", Map.of("step_size", 10), -0.1))
        .hasMessage("base learning rate of schedule must be a finite number >= 0, got -0.1");
  }

  @Test
  void plateau_factorOne_throws() {
    assertThatThrownBy(() -> build("ReduceLROnPlateau", Map.of("factor", 1.0)))
        .hasMessage("schedule.PARAM.factor must be in [0, 1), got 1.0");
  }

  @Test
  void plateau_restoreWithoutKey_throws() {
    MetricSchedule plateau = (MetricSchedule) build("ReduceLROnPlateau", Map.of());
    assertThatThrownBy(() -> plateau.restore(Map.of("lr", 0.1)))
        .hasMessage(
            "ReduceLROnPlateau state lacks \"best\"; expected keys [lr, best, num_bad_epochs,"
                + " cooldown_counter, last_epoch]");
  }

  @Test
  void lr_negativeStep_throws() {
    assertThatThrownBy(() -> build("StepLR", Map.of("step_size", 3)).lr(-1))
        .hasMessage("step must be >= 0, got -1");
  }

  @Test
  void warmRestarts_cycleStartsFarOut_areExactRestarts() {
    for (int tMult = 2; tMult <= 5; tMult++) {
      Schedule schedule = build("CosineAnnealingWarmRestarts", Map.of("T_0", 3, "T_mult", tMult));
      long start = 0;
      long length = 3;
      while (start < 1_000_000_000_000L) {
        assertThat(schedule.lr(start)).as("T_mult %d, restart at %d", tMult, start).isEqualTo(0.1);
        if (start > 0) {
          long previous = length / tMult;
          double last = 0.05 * (1 + Math.cos(Math.PI * (previous - 1) / previous));
          assertThat(schedule.lr(start - 1)).isCloseTo(last, within(1e-12));
        }
        assertThat(schedule.lr(start + length / 2))
            .isCloseTo(0.05, within(0.05 * 2.0 / length + 1e-9));
        start += length;
        length *= tMult;
      }
    }
  }

  @Test
  void fluentFactories_equalConfigBuilds() {
    assertThat(Schedules.step(30, 0.1).build(0.1).lr(45)).isCloseTo(0.01, within(1e-15));
    assertThat(Schedules.multiStep(0.5, 10, 10).build(1).lr(10)).isEqualTo(0.25);
    assertThat(Schedules.exponential(0.9).build(1).lr(2)).isCloseTo(0.81, within(1e-15));
    assertThat(Schedules.multiplicative(0.9).build(1).lr(2)).isCloseTo(0.81, within(1e-15));
    assertThat(Schedules.cosineAnnealing(10).with("eta_min", 0.01).build(0.1).lr(10))
        .isCloseTo(0.01, within(1e-15));
    assertThat(Schedules.cosineWarmRestarts(10).with("T_mult", 2).build(0.1).lr(30)).isEqualTo(0.1);
    assertThat(Schedules.oneCycle(0.1, 100).build(5).lr(0)).isCloseTo(0.004, within(1e-15));
    assertThat(Schedules.oneCycle(0.1, 100).with("cycle_momentum", false).build(5).momentum(0))
        .isEmpty();
    assertThat(Schedules.oneCycle(0.1, 100).build(5).momentum(0)).hasValue(0.95);
    assertThat(Schedules.cyclic(0.01, 0.1).with("step_size_up", 10).build(1).lr(10))
        .isCloseTo(0.1, within(1e-15));
    assertThat(Schedules.polynomialLR(10, 2).build(1).lr(5)).isCloseTo(0.25, within(1e-15));
    assertThat(Schedules.linearLR(0.5, 1, 10).build(1).lr(5)).isCloseTo(0.75, within(1e-15));
    assertThat(Schedules.constantLR(0.5, 10).build(1).lr(9)).isEqualTo(0.5);
    assertThat(Schedules.reduceOnPlateau().build(0.1)).isInstanceOf(ReduceLROnPlateau.class);
  }

  @Test
  void fluentContainers_buildSameAsConfigMaps() {
    ScheduleSpec sequential =
        Schedules.sequential(
            List.of(Schedules.linearLR(0.1, 1, 20), Schedules.cosineAnnealing(280)), 20);
    ScheduleSpec chained =
        Schedules.chained(Schedules.constantLR(0.1, 20), Schedules.exponential(0.9));
    Schedule fromConfig = Schedules.build(sequential.toConfig(), 0.1, "LR_SCHEDULER");
    Schedule fromCode = sequential.build(0.1);
    for (long step = 0; step <= 300; step++) {
      assertThat(fromCode.lr(step)).isEqualTo(fromConfig.lr(step));
    }
    assertThat(sequential.build(0.1).lr(20)).isEqualTo(0.1);
    assertThat(chained.build(0.05).lr(20)).isCloseTo(0.05 * Math.pow(0.9, 20), within(1e-15));
  }

  @Test
  void table_oneCycle_hasMomentumColumn() {
    tech.tablesaw.api.Table table = Schedules.oneCycle(0.1, 100).build(1).table(101);
    assertThat(table.columnNames()).containsExactly("step", "lr", "momentum");
    assertThat(table.rowCount()).isEqualTo(101);
  }
}
