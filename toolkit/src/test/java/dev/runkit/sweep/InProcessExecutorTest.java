package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trials run in this process: stopped at rungs, continued exactly, isolated from each other. */
class InProcessExecutorTest {

  @TempDir Path tmp;

  private Trial trial(RunConfig base, String dir, Map<String, Object> params, long stopAt) {
    return new Trial(
        0,
        ConfigFiles.toYaml(base.resolved()),
        params,
        base.seed(),
        stopAt,
        tmp.resolve(dir).toString(),
        SweepFixtures.ACCURACY);
  }

  private static void assertSameHistory(TrialResult a, TrialResult b) {
    assertThat(b.history()).hasSameSizeAs(a.history());
    for (int i = 0; i < a.history().size(); i++) {
      TrialResult.Row x = a.history().get(i);
      TrialResult.Row y = b.history().get(i);
      assertThat(List.of(y.iteration(), y.phase(), y.metric()))
          .as("row %d", i)
          .isEqualTo(List.of(x.iteration(), x.phase(), x.metric()));
      assertThat(y.value()).as("row %d %s", i, x).isCloseTo(x.value(), within(1e-6));
      assertThat(y.lr()).as("row %d lr", i).isCloseTo(x.lr(), within(1e-12));
    }
  }

  @Test
  void trialContinuedFromItsRungs_endsAsTheUninterruptedRun_andNeverRetrains() throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("TRAIN.OPTIM.PARAM.lr", 0.01);
    InProcessExecutor executor = InProcessExecutor.create();

    TrialResult whole = executor.run(trial(base, "whole", params, 90));
    assertThat(whole.status()).as(whole.message()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(whole.iterations()).isEqualTo(90);

    // rungs between validations (15, 45): the stop's extra report and validation are the
    // stopped segment's own, never part of the run that goes on
    TrialResult first = executor.run(trial(base, "rungs", params, 15));
    assertThat(first.status()).as(first.message()).isEqualTo(TrialStatus.RUNNING);
    assertThat(first.iterations()).isEqualTo(15);
    assertThat(first.startIteration()).isZero();
    assertThat(first.history())
        .anyMatch(r -> r.iteration() == 15 && r.phase().equals("validation"));
    TrialResult second = executor.run(trial(base, "rungs", params, 45));
    assertThat(second.status()).isEqualTo(TrialStatus.RUNNING);
    assertThat(second.startIteration()).as("continued, not retrained").isEqualTo(15);
    assertThat(second.iterations()).isEqualTo(45);
    TrialResult last = executor.run(trial(base, "rungs", params, 90));
    assertThat(last.status()).as(last.message()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(last.startIteration()).as("continued, not retrained").isEqualTo(45);

    assertSameHistory(whole, last);
    assertThat(last.history()).noneMatch(r -> r.iteration() == 15 || r.iteration() == 45);
    assertThat(last.objective()).isCloseTo(whole.objective(), within(1e-6));
    assertThat(last.bestIteration()).isEqualTo(whole.bestIteration());

    // the trial's run directory is a run directory: config, history, checkpoints
    Path dir = tmp.resolve("rungs");
    assertThat(dir.resolve(RunConfig.CONFIG_FILE)).exists();
    assertThat(dir.resolve(RunConfig.HISTORY_FILE)).exists();
    assertThat(Files.readAllLines(dir.resolve(RunConfig.HISTORY_FILE)))
        .hasSize(last.history().size() + 1);
    RunConfig written = RunConfig.load(dir.resolve(RunConfig.CONFIG_FILE), List.of());
    assertThat(written.resolved()).isEqualTo(trial(base, "rungs", params, 90).config().resolved());
  }

  @Test
  void trial_sameHistoryFirstOrAfterOtherTrialsInThisProcess() {
    RunConfig base = SweepFixtures.base(tmp);
    Map<String, Object> a = Map.of("TRAIN.OPTIM.PARAM.lr", 0.005, "MODEL.PARAM.dropout", 0.3);
    Map<String, Object> other = Map.of("TRAIN.OPTIM.PARAM.lr", 0.02, "ENV.SEED", 11L);

    TrialResult alone = InProcessExecutor.create().run(trial(base, "alone", a, 60));

    InProcessExecutor executor = InProcessExecutor.create();
    TrialResult before = executor.run(trial(base, "other-1", other, 60));
    TrialResult after = executor.run(trial(base, "after", a, 60));
    executor.run(trial(base, "other-2", other, 30));
    TrialResult again = executor.run(trial(base, "again", a, 60));

    assertThat(before.status()).isEqualTo(TrialStatus.RUNNING);
    assertThat(alone.status()).as(alone.message()).isEqualTo(TrialStatus.RUNNING);
    for (TrialResult r : List.of(after, again)) {
      assertThat(r.history()).hasSameSizeAs(alone.history());
      for (int i = 0; i < r.history().size(); i++) {
        // exactly: the run seeds MXNet's engine and generator from its own seed
        assertThat(r.history().get(i).value()).isEqualTo(alone.history().get(i).value());
      }
    }
  }

  @Test
  void refusedConfig_isAFailedResult_notAnException() {
    RunConfig base = SweepFixtures.base(tmp);
    TrialResult r =
        InProcessExecutor.create()
            .run(trial(base, "bad", Map.of("TRAIN.OPTIM.PARAM.betas", List.of(2.0, 0.9)), 90));
    assertThat(r.status()).isEqualTo(TrialStatus.FAILED);
    assertThat(r.message()).contains("TRAIN.OPTIM.PARAM.betas");
    assertThat(r.iterations()).isZero();
  }
}
