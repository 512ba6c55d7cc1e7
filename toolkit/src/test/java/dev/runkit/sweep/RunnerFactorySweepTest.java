package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.loss.Loss;
import dev.runkit.Runner;
import dev.runkit.config.ConfigFiles;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.SplitData;
import dev.runkit.model.Mlp;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Metrics;
import dev.runkit.schedule.Schedules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps over runs built in code by a Runner factory, on the real engine. */
class RunnerFactorySweepTest {

  @TempDir Path tmp;

  static final SplitData DIGITS =
      SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.3, 0), 42);

  /** A digits MLP with dropout (MXNet's generator in play), cosine over the run, validated. */
  static Runner digits(TrialParams p) {
    return Runner.with(Mlp.outputs(10).hidden(p.ints("hidden")).dropout(0.2).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(DIGITS, 32)
        .optimizer(Optimizers.adamW().lr(p.number("lr")).weightDecay(0.01))
        .schedule(Schedules.cosineWithWarmup(5, p.iterations()))
        .metrics(Metrics.accuracy())
        .validateEvery(10)
        .seed(3);
  }

  /** A digits MLP trained with SGD at the trial's {@code lr}, nothing else set. */
  static Runner sgd(TrialParams p) {
    return Runner.with(Mlp.outputs(10).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(DIGITS, 32)
        .optimizer(Optimizers.sgd().lr(p.number("lr")));
  }

  static Space space() {
    return Space.of().loguniform("lr", 1e-3, 3e-2).choice("hidden", List.of(16), List.of(32));
  }

  @Test
  void ashaOverAFactory_promotedTrialEqualsTheUninterruptedRun() throws Exception {
    Path dir = tmp.resolve("sweep");
    SweepResult r = asha(Sweep.of(RunnerFactorySweepTest::digits, 60), "sweep").fit();

    assertThat(r.table().columnNames())
        .startsWith("trial", "lr", "hidden", "status", "objective", "best_iteration");
    assertThat(r.results()).allMatch(x -> x.status() != TrialStatus.RUNNING);
    assertThat(r.results()).noneMatch(x -> x.status() == TrialStatus.FAILED);
    assertThat(r.results().stream().filter(x -> x.status() == TrialStatus.PRUNED))
        .isNotEmpty()
        .allMatch(x -> x.iterations() == 20);
    BestTrial best = r.best();
    assertThat(best.result().iterations()).isEqualTo(60);
    assertThat(best.result().startIteration()).as("continued from its rung").isEqualTo(20);

    // the same trial trained in one go, in a directory of its own
    Trial t = best.trial();
    Trial whole =
        new Trial(
            t.id(),
            t.baseConfig(),
            t.params(),
            t.seed(),
            60,
            tmp.resolve("uninterrupted").toString(),
            t.objective());
    TrialResult once = new RunnerFactoryExecutor(RunnerFactorySweepTest::digits, 60).run(whole);
    assertThat(once.status()).as(once.message()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(once.startIteration()).isZero();
    assertThat(best.result().history()).hasSameSizeAs(once.history());
    for (int i = 0; i < once.history().size(); i++) {
      TrialResult.Row a = once.history().get(i);
      TrialResult.Row b = best.result().history().get(i);
      assertThat(List.of(b.iteration(), b.phase(), b.metric()))
          .isEqualTo(List.of(a.iteration(), a.phase(), a.metric()));
      assertThat(b.value()).as("row %d %s", i, a).isCloseTo(a.value(), within(1e-6));
    }
    assertThat(best.result().objective()).isCloseTo(once.objective(), within(1e-6));

    // the directory: values, history and checkpoints per trial; best.yaml holds the values
    Path trialDir = best.runDir();
    assertThat(trialDir.resolve(RunnerFactoryExecutor.PARAMS_FILE)).exists();
    assertThat(trialDir.resolve("history.csv")).exists();
    // its final checkpoint
    assertThat(trialDir.resolve("checkpoints/ckpt-000000060.rkc")).exists();
    Map<String, Object> bestYaml = ConfigFiles.read(dir.resolve("best.yaml"));
    assertThat(bestYaml).containsOnlyKeys("lr", "hidden");
    assertThat(bestYaml.get("lr")).isEqualTo(t.params().get("lr"));
    assertThat(best.config()).contains("lr: ");
    Map<String, Object> resolved = ConfigFiles.read(dir.resolve("sweep.yaml"));
    assertThat(resolved).containsOnlyKeys("RUNNER_FACTORY", "SWEEP");
    assertThat(((Map<?, ?>) resolved.get("RUNNER_FACTORY")).get("NUM_ITERATIONS")).isEqualTo(60);
    assertThat(Files.readString(dir.resolve("trials.jsonl"))).contains("\"params\":{\"lr\":");
    assertThatThrownBy(() -> t.configMap())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("built in code by a Runner factory");
  }

  /**
   * A stopped sweep over a factory (Kernel ▸ Interrupt in a notebook) continues with the factory
   * given again, and ends as the uninterrupted sweep; without it, the resume says what to give.
   */
  @Test
  void stoppedFactorySweep_resumesWithTheFactory_asTheUninterruptedOne() throws Exception {
    SweepResult whole = asha(Sweep.of(RunnerFactorySweepTest::digits, 60), "whole").fit();
    Path dir = tmp.resolve("stopped");
    Sweep sweep = asha(Sweep.of(RunnerFactorySweepTest::digits, 60), "stopped");
    sweep.listener(
        new SweepListener() {
          @Override
          public void onTrialEnd(Trial trial, TrialResult result) {
            if (trial.id() == 1) {
              sweep.stop();
            }
          }
        });
    SweepResult stopped = sweep.fit();
    assertThat(stopped.stopped()).isTrue();
    assertThat(stopped.resumeCall()).isEqualTo("Sweep.resume(Path.of(\"" + dir + "\"), factory)");
    assertThatThrownBy(() -> Sweep.resume(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("continue it with Sweep.resume(dir, factory)");

    SweepResult resumed = Sweep.resume(dir, RunnerFactorySweepTest::digits).fit();

    assertThat(resumed.stopped()).isFalse();
    assertThat(resumed.results()).hasSameSizeAs(whole.results());
    for (int i = 0; i < whole.results().size(); i++) {
      TrialResult a = whole.results().get(i);
      TrialResult b = resumed.results().get(i);
      assertThat(resumed.trials().get(i).params()).isEqualTo(whole.trials().get(i).params());
      assertThat(List.of(b.status(), b.iterations(), b.bestIteration()))
          .as("trial %d", i)
          .isEqualTo(List.of(a.status(), a.iterations(), a.bestIteration()));
      assertThat(b.objective()).as("trial %d", i).isCloseTo(a.objective(), within(1e-6));
    }
    assertThat(resumed.resumeCall()).isEqualTo("Sweep.resume(Path.of(\"" + dir + "\"), factory)");
  }

  /** ASHA over 4 random trials of {@link #space()}, rungs at 20 and 60, into {@code tmp/dir}. */
  private Sweep asha(Sweep sweep, String dir) {
    return sweep
        .space(space())
        .maximize("validation/accuracy")
        .trials(4)
        .seed(1)
        .sampler(Samplers.random())
        .scheduler(TrialSchedulers.asha().minIterations(20).reductionFactor(3))
        .directory(tmp.resolve(dir));
  }

  private Sweep small(RunnerFactory factory, Space space, String dir) {
    return Sweep.of(factory, 20)
        .space(space)
        .trials(2)
        .sampler(Samplers.random())
        .directory(tmp.resolve(dir));
  }

  @Test
  void factoryReadingAnUnknownName_failsEachTrialNamingTheSpaceAndTheNearest() {
    SweepResult r =
        small(
                p ->
                    Runner.with(Mlp.outputs(10).build())
                        .loss(Loss.softmaxCrossEntropyLoss())
                        .data(DIGITS, 32)
                        .optimizer(Optimizers.sgd().lr(p.number("lrr"))),
                Space.of().loguniform("lr", 1e-3, 1e-1),
                "unknown")
            .fit();

    assertThat(r.results()).hasSize(2).allMatch(x -> x.status() == TrialStatus.FAILED);
    assertThat(r.results().get(0).message())
        .isEqualTo(
            "the runner factory failed: unknown parameter \"lrr\"; the search space has [lr]."
                + " Did you mean \"lr\"?");
    assertThat(r.bestIfAny()).isEmpty();
    assertThat(r.table().stringColumn("message").get(1)).contains("unknown parameter \"lrr\"");
  }

  @Test
  void factoryThatThrowsForSomeValues_failsThoseTrialsAndTheSweepGoesOn() {
    SweepResult r =
        Sweep.of(
                p -> {
                  if (p.integer("hidden") == 8) {
                    throw new IllegalStateException("8 units are too few");
                  }
                  return Runner.with(Mlp.outputs(10).hidden(p.integer("hidden")).build())
                      .loss(Loss.softmaxCrossEntropyLoss())
                      .data(DIGITS, 32)
                      .optimizer(Optimizers.adamW().lr(3e-3))
                      .metrics(Metrics.accuracy())
                      .validateEvery(10);
                },
                20)
            .space(Space.of().grid("hidden", 8, 16))
            .maximize("accuracy")
            .directory(tmp.resolve("throws"))
            .fit();

    assertThat(r.results().get(0).status()).isEqualTo(TrialStatus.FAILED);
    assertThat(r.results().get(0).message())
        .isEqualTo("the runner factory failed: IllegalStateException: 8 units are too few");
    assertThat(r.results().get(1).status()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(r.best().trial().params()).isEqualTo(Map.of("hidden", 16L));
  }

  @Test
  void factoryThatNeverReadsAName_failsSayingWhichAndHow() {
    SweepResult r =
        small(
                RunnerFactorySweepTest::sgd,
                Space.of().loguniform("lr", 1e-3, 1e-1).choice("momentum", 0.0, 0.9),
                "unread")
            .fit();

    assertThat(r.results().get(0).message())
        .isEqualTo(
            "the runner factory never read momentum of the search space, so trials would differ"
                + " only in name; read each (e.g. p.number(\"momentum\")) or take it out of the"
                + " space");
  }

  @Test
  void factoryRunnerSettingTheRunLength_failsNamingWhatTheSweepSets() {
    SweepResult r =
        small(p -> sgd(p).iterations(500), Space.of().loguniform("lr", 1e-3, 1e-1), "length").fit();

    assertThat(r.results().get(0).message())
        .isEqualTo(
            "the runner factory's Runner cannot take the sweep's settings (iterations was already"
                + " set); the sweep sets the run length (20 iterations), the checkpoints, resume,"
                + " progress and callbacks itself: return a new Runner without them each call");
  }

  @Test
  void objectiveTheRunDoesNotReport_failsTheTrialNamingWhatItReports() {
    SweepResult r =
        small(p -> sgd(p).validateEvery(10), Space.of().loguniform("lr", 1e-3, 1e-1), "objective")
            .objective("validation/acuracy")
            .fit();

    assertThat(r.results()).allMatch(x -> x.status() == TrialStatus.FAILED);
    assertThat(r.results().get(0).message())
        .startsWith(
            "the run reports no validation/acuracy; it reports [train/loss, validation/loss].");
  }

  @Test
  void factorySweep_otherExecutorOrNoDirectory_refusedBeforeAnyTrial() {
    Sweep sweep = Sweep.of(RunnerFactorySweepTest::digits, 20);
    assertThatThrownBy(() -> sweep.executor(InProcessExecutor.create()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "a sweep over a Runner factory runs its trials in this process, one after another:"
                + " the factory is code that worker processes and clusters cannot rebuild;");
    assertThatThrownBy(
            () -> Sweep.of(RunnerFactorySweepTest::digits, 20).space(space()).trials(2).fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a sweep over a Runner factory needs a directory for its trials: call"
                + " directory(Path.of(\"runs/my-sweep\"))");
    assertThatThrownBy(() -> Sweep.of(RunnerFactorySweepTest::digits, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iterations must be >= 1, got 0");
    assertThatThrownBy(() -> Sweep.of(RunnerFactorySweepTest::digits, 20).base())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void trialParams_readByKind_withMessagesNamingTheValueAndTheReader() {
    TrialParams p =
        new TrialParams(
            3, Map.of("lr", 0.01, "hidden", List.of(64L, 32L), "units", 64L, "act", "relu"), 300);
    assertThat(p.number("lr")).isEqualTo(0.01);
    assertThat(p.ints("hidden")).containsExactly(64, 32);
    assertThat(p.ints("units")).containsExactly(64);
    assertThat(p.integer("units")).isEqualTo(64);
    assertThat(p.number("units")).isEqualTo(64.0);
    assertThat(p.text("act")).isEqualTo("relu");
    assertThat(p.iterations()).isEqualTo(300);
    assertThat(p.unread()).isEmpty();
    assertThatThrownBy(() -> p.integer("lr"))
        .hasMessage(
            "parameter \"lr\" of trial 3 is 0.01 (a number), not a whole number (int); read it with"
                + " number(\"lr\")");
    assertThatThrownBy(() -> p.number("hidden"))
        .hasMessage(
            "parameter \"hidden\" of trial 3 is [64, 32] (a list), not a number; read it with"
                + " ints(\"hidden\") or get");
    assertThatThrownBy(() -> p.text("units"))
        .hasMessage(
            "parameter \"units\" of trial 3 is 64 (an integer), not text; read it with"
                + " integer(\"units\")");
    assertThatThrownBy(() -> p.get("hiden"))
        .hasMessageContaining("unknown parameter \"hiden\"")
        .hasMessageEndingWith("Did you mean \"hidden\"?");
  }
}
