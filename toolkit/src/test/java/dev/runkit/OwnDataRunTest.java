package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import dev.runkit.config.RunConfig;
import dev.runkit.data.DataInfo;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Normalizer;
import dev.runkit.data.OwnCsv;
import dev.runkit.data.RegressionData;
import dev.runkit.data.SplitData;
import dev.runkit.model.Models;
import dev.runkit.run.StopReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * A new user's own CSV files trained from a config, as the issue reported them: iris with text
 * labels (low / mid / high) and petal length in 20-40, trained with and without the default feature
 * normaliser; and a noisy linear regression. Real runs on MXNet, a few hundred iterations each.
 */
class OwnDataRunTest {

  @TempDir static Path tmp;

  static RunConfig rawConfig;
  static RunConfig normConfig;
  static RunConfig regConfig;
  static RunResult raw;
  static RunResult normalised;
  static RunResult regression;

  private static String iris(Path csv) {
    return """
        MODEL: {NAME: MLP, PARAM: {hidden: [16]}}
        DATA:
          NAME: csv
          PARAM: {path: %s, label: size, train_val_test_ratio: [0.7, 0.3, 0.0]}
          BATCH_SIZE: 16
        TRAIN: {NUM_ITERATIONS: 300, OPTIM: {TYPE: SGD, PARAM: {lr: 0.05}}}
        VAL: {INTERVAL: 100}
        """
        .formatted(csv);
  }

  @BeforeAll
  static void fit() {
    Path irisCsv = OwnCsv.iris(tmp.resolve("iris.csv"));
    normConfig = RunConfig.parse(iris(irisCsv), List.of("RUN_DIR=" + tmp.resolve("norm")));
    rawConfig =
        RunConfig.parse(
            iris(irisCsv), List.of("RUN_DIR=" + tmp.resolve("raw"), "DATA.PARAM.normalize=false"));
    normalised = normConfig.runner().quiet().fit();
    raw = rawConfig.runner().quiet().fit();

    Path linear = OwnCsv.linear(tmp.resolve("linear.csv"), 1000, 3);
    regConfig =
        RunConfig.parse(
            """
            MODEL: {NAME: MLP, PARAM: {hidden: [32]}}
            DATA: {NAME: csv, PARAM: {path: %s, label: y, task: regression}, BATCH_SIZE: 32}
            TRAIN: {NUM_ITERATIONS: 500, OPTIM: {TYPE: Adam, PARAM: {lr: 0.03}}}
            VAL: {INTERVAL: 100}
            """
                .formatted(linear),
            List.of("RUN_DIR=" + tmp.resolve("reg")));
    regression = regConfig.runner().quiet().fit();
    for (RunResult r : List.of(raw, normalised, regression)) {
      System.out.printf(
          "%s: first training loss %.3f, last validation %s%n",
          r.dataInfo().map(DataInfo::name).orElse("?"),
          r.history().doubleColumn("value").get(0),
          r.history()
              .where(r.history().stringColumn("phase").isEqualTo("validation"))
              .last(r == regression ? 4 : 2)
              .print());
    }
  }

  @AfterAll
  static void close() {
    for (RunResult r : List.of(raw, normalised, regression)) {
      r.model().close();
    }
  }

  @Test
  void csvClassification_normalisedByDefault_trainsFarBetterThanRawFeatures() {
    assertThat(normalised.stopReason()).as(normalised.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(raw.stopReason()).as(raw.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(normConfig.resolved().get("METRICS")).isEqualTo(List.of("accuracy"));
    double withNormaliser = normalised.last("validation", "accuracy");
    double without = raw.last("validation", "accuracy");
    assertThat(withNormaliser).isGreaterThanOrEqualTo(0.85);
    assertThat(withNormaliser - without).isGreaterThanOrEqualTo(0.3);
    // the first logged loss starts near ln 3 with the normaliser, far above it without
    assertThat(normalised.history().doubleColumn("value").get(0)).isLessThan(1.2);
    assertThat(raw.history().doubleColumn("value").get(0)).isGreaterThan(3);
  }

  @Test
  void predictRawRows_sameAsPredictingTheNormalisedSplit_andNamesTheClasses() {
    LabeledData rawRows = (LabeledData) rawConfig.data().validation();
    float[][] rows = new float[rawRows.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = java.util.Arrays.copyOfRange(rawRows.features(), i * 4, i * 4 + 4);
    }
    Predictions fromRaw = normalised.predict(rows);
    Predictions fromSplit = normalised.predict(normConfig.data().validation());
    float[][] a = fromRaw.outputs();
    float[][] b = fromSplit.outputs();
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(a[i][j]).as("row %d output %d", i, j).isCloseTo(b[i][j], within(1e-5f));
      }
    }
    assertThat(fromRaw.classNames()).containsExactly("high", "low", "mid");
    String[] names = fromRaw.names();
    int right = 0;
    for (int i = 0; i < names.length; i++) {
      assertThat(names[i]).isEqualTo(fromRaw.classNames().get(fromRaw.classes()[i]));
      right += names[i].equals(rawRows.classes().get(rawRows.labels()[i])) ? 1 : 0;
    }
    assertThat((double) right / names.length).isGreaterThanOrEqualTo(0.85);
    // the model keeps what it was trained on; the raw run has names but no normaliser
    assertThat(normalised.dataInfo()).contains(normConfig.data().info());
    assertThat(normalised.normalizer()).contains(normConfig.data().normalizer());
    assertThat(raw.normalizer()).isEmpty();
    assertThat(raw.predict(rows).classNames()).containsExactly("high", "low", "mid");
  }

  @Test
  void confusion_rowsAndColumnsNamed_countsAddUpToTheExamples() {
    Predictions p = normalised.predict(normConfig.data().validation());
    Table t = p.confusion();
    assertThat(t.columnNames()).containsExactly("true class", "high", "low", "mid");
    assertThat(t.stringColumn("true class").asList()).containsExactly("high", "low", "mid");
    int all = 0;
    int diagonal = 0;
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int n = t.intColumn(c + 1).get(r);
        all += n;
        diagonal += r == c ? n : 0;
      }
    }
    assertThat(all).isEqualTo(p.size());
    assertThat((double) diagonal / all).isCloseTo(p.accuracy(), within(1e-12));
  }

  @Test
  void savedModel_keepsTheNormaliserAndClassNames() throws Exception {
    Path dir = tmp.resolve("saved");
    normalised.model().save(dir, "flowers");
    DataInfo info = normConfig.data().info();
    try (Model loaded = Model.newInstance("flowers")) {
      loaded.setBlock(Models.build("MLP", Map.of("hidden", List.of(16)), info, "MODEL"));
      loaded.load(dir, "flowers");
      assertThat(DataInfo.fromProperties(loaded.getProperties())).contains(info);
      assertThat(Normalizer.fromProperties(loaded.getProperties()))
          .contains(normConfig.data().normalizer());
      float[] first =
          java.util.Arrays.copyOf(((LabeledData) rawConfig.data().validation()).features(), 4);
      assertThat(Predictions.of(loaded, new float[][] {first}).names())
          .containsExactly(normalised.predict(new float[][] {first}).names());
    }
  }

  @Test
  void csvRegression_defaultsToMseAndR2_reachesR2AboveNineTenths() {
    assertThat(regression.stopReason()).as(regression.message()).isEqualTo(StopReason.COMPLETED);
    Map<String, Object> resolved = regConfig.resolved();
    assertThat(resolved.get("METRICS")).isEqualTo(List.of("mae", "rmse", "r2"));
    assertThat(((Map<?, ?>) resolved.get("TRAIN")).get("LOSS")).isEqualTo("masked_mse");
    double r2 = regression.last("validation", "r2");
    assertThat(r2).isGreaterThan(0.9);

    // the same R² from the predictions, on the host, against the training mean: predictions and
    // the mean are in the targets' units, the split holds standardised targets
    SplitData d = regConfig.data();
    RegressionData val = (RegressionData) d.validation();
    float[][] out = regression.predict(val).outputs();
    float[] targets = d.targetNormalizer().denormalize(val.targets());
    double base = d.targetMeans()[0];
    double sse = 0;
    double sst = 0;
    for (int i = 0; i < out.length; i++) {
      double y = targets[i];
      sse += (out[i][0] - y) * (out[i][0] - y);
      sst += (y - base) * (y - base);
    }
    assertThat(1 - sse / sst).isCloseTo(r2, within(1e-4));
  }

  @Test
  void configRunnerWithItsOwnManager_describesTheDataToTheModel() {
    RunConfig c =
        RunConfig.parse(
            iris(tmp.resolve("iris.csv")),
            List.of(
                "RUN_DIR=" + tmp.resolve("managed"), "TRAIN.NUM_ITERATIONS=2", "VAL.INTERVAL=1"));
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult r = c.runner(manager).quiet().fit();
      try {
        assertThat(r.dataInfo()).contains(c.data().info());
        assertThat(r.normalizer()).contains(c.data().normalizer());
      } finally {
        r.model().close();
      }
    }
  }
}
