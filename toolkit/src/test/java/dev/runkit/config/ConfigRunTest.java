package dev.runkit.config;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.SplitData;
import dev.runkit.model.Mlp;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.Metrics;
import dev.runkit.run.Monitor;
import dev.runkit.run.StopReason;
import dev.runkit.schedule.Schedules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Config-driven runs really train, and equal the same run written in fluent code. */
class ConfigRunTest {

  @TempDir Path tmp;
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private RunConfig load(String file, String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of("RUN_DIR=" + tmp.resolve("run")));
    all.addAll(List.of(overrides));
    return RunConfig.load(RunConfigTest.configs().resolve(file), all);
  }

  @Test
  void configRun_equalsFluentRunWithSameSeed() {
    RunResult fromConfig = load("digits-mlp.yaml").runner(manager).quiet().fit();

    SplitData d =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.2, 0.1), 7);
    RunResult fromCode =
        Runner.with(Mlp.outputs(10).hidden(32).activation("relu").build())
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(d.train().toDataset(manager, 32), d.validation().toDataset(manager, 32))
            .test(d.test().toDataset(manager, 32))
            .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9).build())
            .schedule(Schedules.step(20, 0.5))
            .iterations(60)
            .validateEvery(20)
            .metrics(Metrics.accuracy(), Metrics.topK(3))
            .seed(7)
            .monitor(Monitor.max("accuracy"))
            .gradientClip(GradientClipping.byNorm(5.0))
            .checkpoints(Checkpoints.to(tmp.resolve("code")))
            .quiet()
            .fit();

    assertThat(fromConfig.stopReason()).as(fromConfig.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(fromCode.stopReason()).as(fromCode.message()).isEqualTo(StopReason.COMPLETED);
    Table a = withoutElapsed(fromConfig.history());
    Table b = withoutElapsed(fromCode.history());
    assertThat(a.rowCount()).isGreaterThan(10);
    assertThat(a.printAll()).isEqualTo(b.printAll());
    for (String col : List.of("value", "lr")) {
      assertThat(a.doubleColumn(col).asList()).isEqualTo(b.doubleColumn(col).asList());
    }
    assertThat(fromConfig.test()).isEqualTo(fromCode.test());
    assertThat(fromConfig.last("validation", "accuracy")).isGreaterThan(0.5);
    fromConfig.model().close();
    fromCode.model().close();
  }

  private static Table withoutElapsed(Table t) {
    return t.copy().removeColumns("elapsed");
  }

  @Test
  void co2LstmConfig_trainsWithMaskedLossAndTests() {
    RunResult r = load("co2-lstm.yaml").runner(manager).quiet().fit();
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.iterations()).isEqualTo(20);
    assertThat(r.last("train", "loss")).isFinite();
    assertThat(r.last("validation", "mae")).isFinite().isPositive();
    assertThat(r.test()).containsKeys("loss", "mae", "rmse", "mape");
    r.model().close();
  }

  @Test
  void cnnConfig_writesCheckpointsIntoRunDir() {
    RunConfig c = load("digits-cnn.yaml");
    RunResult r = c.runner(manager).quiet().fit();
    assertThat(r.stopReason()).as(r.message()).isIn(StopReason.COMPLETED, StopReason.EARLY_STOPPED);
    assertThat(Files.exists(c.checkpointDir().resolve("ckpt-000000010.rkc"))).isTrue();
    r.model().close();
  }

  @Test
  void csvConfigWithEpochs_runsWholePasses() {
    RunConfig c = load("iris-csv.yaml");
    RunResult r = c.runner(manager).quiet().fit();
    assertThat(r.iterations()).isEqualTo(2 * (120 / 16)).isEqualTo(c.totalIterations());
    r.model().close();
  }

  private List<String> checkpointFiles(RunConfig c) throws java.io.IOException {
    try (var files = Files.list(c.checkpointDir())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void saveStrategyListWithEpochs_writesAndKeepsThoseEpochs() throws java.io.IOException {
    // 120 / 16 = 7 batches per pass: passes 1 and 3 end at iterations 7 and 21
    RunConfig c =
        load(
            "iris-csv.yaml",
            "TRAIN.NUM_EPOCHS=4",
            "TRAIN.CKPT_SAVE_STRATEGY=[1, 3]",
            "TRAIN.CKPT_KEEP_LAST=1");
    RunResult r = c.runner(manager).quiet().fit();
    assertThat(r.iterations()).isEqualTo(28);
    assertThat(checkpointFiles(c))
        .containsExactly(
            "best.rkc", "ckpt-000000007.rkc", "ckpt-000000021.rkc", "ckpt-000000028.rkc");
    r.model().close();
  }

  @Test
  void saveStrategyListWithIterations_writesAndKeepsThoseIterations() throws java.io.IOException {
    RunConfig c =
        load(
            "iris-csv.yaml",
            "TRAIN.NUM_EPOCHS=null",
            "TRAIN.NUM_ITERATIONS=12",
            "TRAIN.CKPT_SAVE_STRATEGY=[5]",
            "TRAIN.CKPT_KEEP_LAST=1");
    RunResult r = c.runner(manager).quiet().fit();
    assertThat(checkpointFiles(c))
        .containsExactly("best.rkc", "ckpt-000000005.rkc", "ckpt-000000012.rkc");
    r.model().close();
  }
}
