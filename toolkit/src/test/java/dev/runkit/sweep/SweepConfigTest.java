package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runkit.config.ConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps from config: the SWEEP section, sweep files, and every refusal before the first trial. */
class SweepConfigTest {

  @TempDir Path tmp;

  /** The test config with a SWEEP section appended, written next to the temporary folder. */
  private Path withSweep(String sweep) throws Exception {
    String base = Files.readString(SweepFixtures.configFile());
    Path file = tmp.resolve("digits-sweep.yaml");
    Files.writeString(file, base + "RUN_DIR: " + tmp.resolve("run") + "\nSWEEP:\n" + sweep);
    return file;
  }

  private Throwable refused(String sweep, String... overrides) throws Exception {
    Path file = withSweep(sweep);
    Throwable t = null;
    try {
      Sweep.load(file, List.of(overrides)).fit();
    } catch (IllegalArgumentException e) {
      t = e;
    }
    assertThat(t).as("refused").isNotNull();
    assertThat(tmp.resolve("run-sweep")).as("nothing written").doesNotExist();
    return t;
  }

  @Test
  void sweepSection_gridWithAFailingCombination_recordsItFailedAndGoesOn() throws Exception {
    Path file =
        withSweep(
            """
              METRIC: validation accuracy
              SPACE:
                TRAIN.OPTIM.TYPE: {TYPE: grid, VALUES: [AdamW, SGD]}
                TRAIN.OPTIM.PARAM.betas: {TYPE: grid, VALUES: [[0.9, 0.99]]}
            """);
    SweepResult r = Sweep.load(file, List.of("TRAIN.NUM_ITERATIONS=20", "SWEEP.SEED=2")).fit();
    assertThat(r.directory()).isEqualTo(tmp.resolve("run-sweep"));
    assertThat(r.results()).hasSize(2);
    TrialResult sgd = null;
    TrialResult adamW = null;
    for (int i = 0; i < 2; i++) {
      if (r.trials().get(i).params().get("TRAIN.OPTIM.TYPE").equals("SGD")) {
        sgd = r.results().get(i);
      } else {
        adamW = r.results().get(i);
      }
    }
    // each value alone passes the base config's checks; SGD has no betas
    assertThat(sgd.status()).isEqualTo(TrialStatus.FAILED);
    assertThat(sgd.message()).contains("\"betas\" at TRAIN.OPTIM.PARAM.betas");
    assertThat(adamW.status()).as(adamW.message()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(adamW.iterations()).isEqualTo(20);
    assertThat(r.best().result()).isEqualTo(adamW);
    Map<?, ?> resolved =
        (Map<?, ?>) ConfigFiles.read(r.directory().resolve("sweep.yaml")).get("SWEEP");
    // the defaults, written out: a grid because every dimension is one; its size the trials
    assertThat(resolved.get("SAMPLER")).isEqualTo(Map.of("TYPE", "grid", "PARAM", Map.of()));
    assertThat(resolved.get("SCHEDULER")).isEqualTo(Map.of("TYPE", "fifo", "PARAM", Map.of()));
    assertThat(resolved.get("TRIALS")).isEqualTo(2);
    assertThat(resolved.get("SEED")).isEqualTo(2);
  }

  @Test
  void sweepFile_namesItsBase_andSendsOverridesToIt() throws Exception {
    Path file = tmp.resolve("sweep.yaml");
    Files.copy(SweepFixtures.configFile(), tmp.resolve("base.yaml"));
    Files.writeString(
        file,
        """
        BASE: base.yaml
        SWEEP:
          TRIALS: 3
          SAMPLER: {TYPE: random}
          SPACE:
            TRAIN.OPTIM.PARAM.lr: loguniform(1e-4, 1e-1)
        """);
    Sweep s = Sweep.load(file, List.of("TRAIN.NUM_ITERATIONS=40", "SWEEP.TRIALS=2"));
    assertThat(s.base().totalIterations()).isEqualTo(40);
    assertThat(s.base().runDir()).isEqualTo(Path.of("runs/base").toAbsolutePath());
  }

  @Test
  void unknownKeyPath_refusedWithTheNearestName() throws Exception {
    assertThat(refused("  TRIALS: 2\n  SPACE: {TRAIN.OPTIM.PARAM.lrr: 'loguniform(1e-4, 0.1)'}"))
        .hasMessageStartingWith(
            "SWEEP.SPACE.TRAIN.OPTIM.PARAM.lrr: the base config refuses loguniform value 1.0E-4:"
                + " Unknown parameter \"lrr\" at TRAIN.OPTIM.PARAM.lrr; accepted are")
        .hasMessageEndingWith("Did you mean \"lr\"?");
    assertThat(refused("  TRIALS: 2\n  SPACE: {TRIAN.OPTIM.PARAM.lr: [0.1]}"))
        .hasMessageStartingWith(
            "SWEEP.SPACE.TRIAN.OPTIM.PARAM.lr: the base config refuses choice value 0.1: Unknown"
                + " parameter \"TRIAN\" at TRIAN;")
        .hasMessageEndingWith("Did you mean \"TRAIN\"?");
    assertThat(refused("  SPACE: {TRAIN.OPTIM.TYPE: [AdamW, SDG]}"))
        .hasMessageStartingWith(
            "SWEEP.SPACE.TRAIN.OPTIM.TYPE: the base config refuses choice value SDG: Unknown"
                + " optimizer \"SDG\" at TRAIN.OPTIM.TYPE; expected one of")
        .hasMessageEndingWith("Did you mean \"SGD\"?");
  }

  @Test
  void valueTheBaseConfigRefuses_isRefusedAtItsBound() throws Exception {
    assertThat(refused("  TRIALS: 2\n  SPACE: {DATA.BATCH_SIZE: 'int(16, 5000)'}"))
        .hasMessage(
            "SWEEP.SPACE.DATA.BATCH_SIZE: the base config refuses int value 5000: DATA.BATCH_SIZE"
                + " must be in [1, 1258] (the training examples of digits), got 5000");
    assertThat(refused("  TRIALS: 2\n  SPACE: {TRAIN.OPTIM.PARAM.lr: 'uniform(-0.1, 0.1)'}"))
        .hasMessageStartingWith(
            "SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr: the base config refuses uniform value -0.1:");
  }

  @Test
  void badRangesAndChoices_refusedWithTheirKeyPath() throws Exception {
    assertThat(refused("  SPACE: {MODEL.PARAM.hidden: []}"))
        .hasMessage("SWEEP.SPACE.MODEL.PARAM.hidden: choice needs at least one value, got []");
    assertThat(refused("  SPACE: {TRAIN.OPTIM.PARAM.lr: {TYPE: uniform, LOW: 0.1, HIGH: 0.1}}"))
        .hasMessage(
            "SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr: uniform needs LOW < HIGH, got LOW 0.1, HIGH 0.1");
    assertThat(refused("  SPACE: {TRAIN.OPTIM.PARAM.lr: 'loguniform(0, 0.1)'}"))
        .hasMessage(
            "SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr: loguniform needs LOW > 0 (it draws log(value)),"
                + " got LOW 0.0");
    assertThat(refused("  SPACE: {TRAIN.NUM_ITERATIONS: [30, 60]}"))
        .hasMessageStartingWith(
            "SWEEP.SPACE.TRAIN.NUM_ITERATIONS cannot be searched: every trial trains the base"
                + " config's run length");
  }

  @Test
  void metricModeAndSettings_checkedAgainstTheRun() throws Exception {
    String space = "  SPACE: {TRAIN.OPTIM.PARAM.lr: [0.01, 0.003]}\n";
    assertThat(refused(space + "  METRIC: validation/acuracy"))
        .hasMessage(
            "SWEEP.METRIC \"validation/acuracy\" is not reported by the base config's run; it"
                + " reports [validation/loss, validation/accuracy, train/loss, train/accuracy]."
                + " Did you mean \"validation/accuracy\"?");
    assertThat(refused(space + "  METRIC: test/accuracy"))
        .hasMessage(
            "SWEEP.METRIC: an objective reads the phase validation or train, got \"test\" (the"
                + " test data judges the chosen trial, not the choice)");
    assertThat(refused(space + "  METRIC: accuracy\n  MODE: maximum"))
        .hasMessage("SWEEP.MODE must be one of [max, min], got \"maximum\". Did you mean \"max\"?");
    assertThat(refused(space + "  TRAILS: 3"))
        .hasMessageStartingWith("Unknown parameter \"TRAILS\" at SWEEP.TRAILS; accepted are")
        .hasMessageEndingWith("Did you mean \"TRIALS\"?");
    assertThat(refused(space + "  SAMPLER: {TYPE: tpe}"))
        .hasMessage("SWEEP.TRIALS is required with sampler tpe: how many trials to start, e.g. 20");
    assertThat(refused(space + "  SAMPLER: {TYPE: grid}\n  TRIALS: 3"))
        .hasMessage("SWEEP.TRIALS must be at most the grid's 2 points, got 3");
    assertThat(refused(space + "  SCHEDULER: {TYPE: asha, PARAM: {min_iterations: 100}}"))
        .hasMessage(
            "SWEEP.SCHEDULER: asha.min_iterations must be below the run length (90 iterations),"
                + " got 100");
    assertThat(refused(space + "  SCHEDULER: {TYPE: ashaa}"))
        .hasMessage(
            "Unknown trial scheduler \"ashaa\" at SWEEP.SCHEDULER.TYPE; expected one of [fifo,"
                + " asha, hyperband, median]. Did you mean \"asha\"?");
  }

  @Test
  void occupiedDirectory_isRefused() throws Exception {
    Path dir = tmp.resolve("taken");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("trials.jsonl"), "{\"event\":\"end\"}\n");
    Throwable t =
        refused("  TRIALS: 2\n  SPACE: {TRAIN.OPTIM.PARAM.lr: [0.01, 0.003]}\n  DIR: " + dir);
    assertThat(t)
        .hasMessage(
            "SWEEP.DIR " + dir + " already holds a sweep (trials.jsonl); choose another directory");
    Path orphans = tmp.resolve("orphans");
    Files.createDirectories(orphans.resolve("trial-000"));
    assertThat(
            refused(
                "  TRIALS: 2\n  SPACE: {TRAIN.OPTIM.PARAM.lr: [0.01, 0.003]}\n  DIR: " + orphans))
        .hasMessage(
            "SWEEP.DIR "
                + orphans
                + " already holds trial runs (trial-000); choose another directory");
  }

  @Test
  void runConfigWithoutSweep_saysWhatToAdd() {
    assertThatThrownBy(() -> Sweep.load(SweepFixtures.configFile()))
        .hasMessageEndingWith(
            "has no SWEEP section; add SWEEP {METRIC, SPACE, TRIALS, ...} to the run config, or"
                + " write a sweep file {BASE: config.yaml, SWEEP: {...}}");
  }
}
