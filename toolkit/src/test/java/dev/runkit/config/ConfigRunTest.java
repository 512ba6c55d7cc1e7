package dev.runkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.translate.NoopTranslator;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.Scaler;
import dev.runkit.data.SplitData;
import dev.runkit.data.Windows;
import dev.runkit.model.Mlp;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.ManagerPerTest;
import dev.runkit.run.Metrics;
import dev.runkit.run.Monitor;
import dev.runkit.run.StopReason;
import dev.runkit.schedule.Schedules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Config-driven runs really train, and equal the same run written in fluent code. */
class ConfigRunTest {

  @TempDir Path tmp;
  @RegisterExtension final ManagerPerTest perTest = new ManagerPerTest();

  private RunConfig load(String file, String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of("RUN_DIR=" + tmp.resolve("run")));
    all.addAll(List.of(overrides));
    return RunConfig.load(RunConfigTest.configs().resolve(file), all);
  }

  @Test
  void configRun_equalsFluentRunWithSameSeed() {
    RunResult fromConfig = load("digits-mlp.yaml").runner(perTest.manager()).quiet().fit();

    SplitData d =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.2, 0.1), 7);
    RunResult fromCode =
        Runner.with(Mlp.outputs(10).hidden(32).activation("relu").build())
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(d, 32)
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

  @Test
  void parsedText_runnerWithoutManager_equalsTheFileRunWithAManager() throws Exception {
    Path file = RunConfigTest.configs().resolve("digits-mlp.yaml");
    RunResult fromFile = load("digits-mlp.yaml").runner(perTest.manager()).quiet().fit();
    RunResult fromText =
        RunConfig.parse(Files.readString(file), List.of("RUN_DIR=" + tmp.resolve("text")))
            .runner()
            .quiet()
            .fit();

    assertThat(fromText.stopReason()).as(fromText.message()).isEqualTo(StopReason.COMPLETED);
    Table a = withoutElapsed(fromFile.history());
    Table b = withoutElapsed(fromText.history());
    assertThat(b.rowCount()).isGreaterThan(10);
    assertThat(b.printAll()).isEqualTo(a.printAll());
    assertThat(fromText.test()).isEqualTo(fromFile.test()).isNotEmpty();
    fromFile.model().close();
    fromText.model().close();
  }

  private static Table withoutElapsed(Table t) {
    return t.copy().removeColumns("elapsed");
  }

  @Test
  void co2LstmConfig_trainsWithMaskedLossAndTests() {
    RunResult r = load("co2-lstm.yaml").runner(perTest.manager()).quiet().fit();
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.iterations()).isEqualTo(20);
    assertThat(r.last("train", "loss")).isFinite();
    assertThat(r.last("validation", "mae")).isFinite().isPositive();
    assertThat(r.test()).containsKeys("loss", "mae", "rmse", "mape");
    r.model().close();
  }

  @Test
  void co2Config_reportsErrorsInPpm() throws Exception {
    RunConfig config = load("co2-lstm.yaml", "TRAIN.NUM_ITERATIONS=200", "VAL.INTERVAL=50");
    SplitData data = config.data();
    Scaler scaler = data.scaler();
    // the training part's CO2 level: about 330 ppm, spread about 10 ppm
    assertThat(scaler.mean()).isBetween(320.0, 345.0);
    assertThat(scaler.std()).isBetween(5.0, 20.0);
    RunResult r = config.runner(perTest.manager()).quiet().fit();
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);

    // the last validation (iteration 200) used the final weights: recompute its errors in ppm
    Windows v = (Windows) data.validation();
    float[] predicted;
    try (NDArray x = perTest.manager().create(v.inputs(), new Shape(v.size(), v.window(), 1));
        Predictor<NDList, NDList> p = r.model().newPredictor(new NoopTranslator())) {
      predicted = p.predict(new NDList(x)).singletonOrThrow().toFloatArray();
    }
    double ae = 0;
    double se = 0;
    double ape = 0;
    int n = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (Float.isNaN(v.targets()[i])) {
        continue;
      }
      double truth = scaler.denormalize(v.targets()[i]);
      double error = scaler.denormalize(predicted[i]) - truth;
      ae += Math.abs(error);
      se += error * error;
      ape += Math.abs(error) / Math.abs(truth);
      n++;
    }
    assertThat(r.last("validation", "mae")).isCloseTo(ae / n, within(1e-3));
    assertThat(r.last("validation", "rmse")).isCloseTo(Math.sqrt(se / n), within(1e-3));
    assertThat(r.last("validation", "mape")).isCloseTo(ape / n, within(1e-6));

    // persistence ("every week ahead equals the last measured one") on the test windows, in ppm
    Windows t = (Windows) data.test();
    double persistence = 0;
    int m = 0;
    for (int i = 0; i < t.size(); i++) {
      float last = t.inputs()[i * t.window() + t.window() - 1];
      for (int h = 0; h < t.horizon(); h++) {
        float target = t.targets()[i * t.horizon() + h];
        if (!Float.isNaN(target) && last != 0f) {
          persistence += Math.abs(scaler.denormalize(target) - scaler.denormalize(last));
          m++;
        }
      }
    }
    persistence /= m;
    System.out.printf(
        "co2 config run: test MAE %.3f ppm, RMSE %.3f ppm, MAPE %.5f; persistence MAE %.3f ppm;"
            + " validation MAE %.3f ppm; std %.3f ppm%n",
        r.test().get("mae"),
        r.test().get("rmse"),
        r.test().get("mape"),
        persistence,
        r.last("validation", "mae"),
        scaler.std());
    assertThat(persistence).isBetween(0.5, 1.5);
    r.model().close();
  }

  @Test
  void cnnConfig_writesCheckpointsIntoRunDir() {
    RunConfig c = load("digits-cnn.yaml");
    RunResult r = c.runner(perTest.manager()).quiet().fit();
    assertThat(r.stopReason()).as(r.message()).isIn(StopReason.COMPLETED, StopReason.EARLY_STOPPED);
    assertThat(Files.exists(c.checkpointDir().resolve("ckpt-000000010.rkc"))).isTrue();
    r.model().close();
  }

  @Test
  void csvConfigWithEpochs_runsWholePasses() {
    RunConfig c = load("iris-csv.yaml");
    RunResult r = c.runner(perTest.manager()).quiet().fit();
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
    RunResult r = c.runner(perTest.manager()).quiet().fit();
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
    RunResult r = c.runner(perTest.manager()).quiet().fit();
    assertThat(checkpointFiles(c))
        .containsExactly("best.rkc", "ckpt-000000005.rkc", "ckpt-000000012.rkc");
    r.model().close();
  }
}
