package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.translate.NoopTranslator;
import dev.runkit.config.RunConfig;
import dev.runkit.data.LabeledData;
import dev.runkit.data.OwnCsv;
import dev.runkit.model.Mlp;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint loaded for predictions, as a user of Lightning's {@code load_from_checkpoint} or
 * Keras's {@code load_model} expects: the best parameters, the class names and the normaliser of
 * the run; and exported for a plain DJL predictor.
 */
class TrainedModelTest {

  @TempDir static Path tmp;
  static RunConfig config;
  static RunResult result;
  static float[][] rows;

  @BeforeAll
  static void fit() {
    Path csv = OwnCsv.iris(tmp.resolve("iris.csv"));
    config =
        RunConfig.parse(
            """
            MODEL: {NAME: MLP, PARAM: {hidden: [16]}}
            DATA:
              NAME: csv
              PARAM: {path: %s, label: size, train_val_test_ratio: [0.7, 0.3, 0.0]}
              BATCH_SIZE: 16
            TRAIN: {NUM_ITERATIONS: 200, OPTIM: {TYPE: SGD, PARAM: {lr: 0.05}}}
            VAL: {INTERVAL: 50}
            """
                .formatted(csv),
            List.of("RUN_DIR=" + tmp.resolve("run")));
    result = config.runner().quiet().fit();
    LabeledData raw = LabeledData.iris();
    rows = new float[10][];
    for (int i = 0; i < rows.length; i++) {
      int r = i * 15;
      rows[i] = Arrays.copyOfRange(raw.features(), r * 4, r * 4 + 4);
      // petal length in the CSV's units (20-40), as OwnCsv writes it
      rows[i][2] = 20 + (rows[i][2] - 1f) / 5.9f * 20;
    }
  }

  @AfterAll
  static void close() {
    result.model().close();
  }

  private static Path best() {
    return config.checkpointDir().resolve(Checkpoints.BEST);
  }

  @Test
  void load_bestCheckpoint_predictsRawRowsWithClassNames() {
    try (TrainedModel m = TrainedModel.load(best(), Mlp.outputs(3).hidden(16).build())) {
      Predictions p = m.predict(rows);
      assertThat(p.names()).containsAnyOf("low", "mid", "high");
      assertThat(m.normalizer()).isPresent();
      assertThat(m.dataInfo().orElseThrow().classes()).containsExactly("high", "low", "mid");
      // the run's model ends with its last parameters; the best checkpoint is the best validation's
      if (result.bestIteration() == result.iterations()) {
        assertThat(p.names()).containsExactly(result.predict(rows).names());
      }
      assertThat(p.accuracy(expected())).isGreaterThan(0.8);
    }
  }

  private static int[] expected() {
    // the rows are flowers 0, 15, ... 135: species 0 (high), 1 (low), 2 (mid) in sorted names
    int[] sorted = {1, 2, 0};
    int[] out = new int[rows.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sorted[LabeledData.iris().labels()[i * 15]];
    }
    return out;
  }

  @Test
  void trainedModel_ofTheConfig_loadsWithoutNamingTheArchitecture() {
    try (TrainedModel m = config.trainedModel(best())) {
      assertThat(m.predict(rows).names()).hasSize(rows.length);
    }
  }

  @Test
  void export_plainDjlPredictor_givesTheSameOutputs() throws Exception {
    try (TrainedModel m = TrainedModel.load(best(), Mlp.outputs(3).hidden(16).build());
        NDManager manager = NDManager.newBaseManager()) {
      Path file = m.export(tmp.resolve("export"));
      assertThat(file).exists().hasFileName("runkit-0000.params");
      float[] flat = new float[rows.length * 4];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(rows[i], 0, flat, i * 4, 4);
      }
      flat = m.normalizer().orElseThrow().normalize(flat);
      try (Model plain = Model.newInstance("runkit")) {
        plain.setBlock(Mlp.outputs(3).hidden(16).build());
        plain.load(tmp.resolve("export"));
        assertThat(plain.getProperty("runkit.data.classes")).contains("mid");
        try (Predictor<NDList, NDList> predictor = plain.newPredictor(new NoopTranslator())) {
          NDList out =
              predictor.predict(new NDList(manager.create(flat, new Shape(rows.length, 4))));
          float[] djl = out.head().toFloatArray();
          float[][] ours = m.predict(rows).outputs();
          for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < 3; k++) {
              assertThat(djl[i * 3 + k]).isCloseTo(ours[i][k], within(1e-5f));
            }
          }
        }
      }
    }
  }

  @Test
  void resume_onDataWithoutTheNormaliser_isRefusedNamingIt() {
    RunConfig other =
        RunConfig.parse(
            dev.runkit.config.ConfigFiles.toYaml(config.resolved()),
            List.of("DATA.PARAM.normalize=false", "TRAIN.NUM_ITERATIONS=300"));
    assertThatThrownBy(() -> other.runner(true).quiet().fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "was written by a run on other data: its runkit.data.normalizer.mean is [")
        .hasMessageContaining("this run's not set. Resume needs the same");
  }

  @Test
  void load_checkpointOfPlainDatasets_asksForTheExampleShape() {
    Path dir = tmp.resolve("plain");
    try (NDManager manager = NDManager.newBaseManager()) {
      Runner.with(Fixtures.mlp(3))
          .loss(Loss.softmaxCrossEntropyLoss())
          .data(LabeledData.iris().shuffled(1).toDataset(manager, 16))
          .optimizer(Fixtures.sgd(0.01f))
          .iterations(10)
          .checkpoints(Checkpoints.to(dir))
          .quiet()
          .fit()
          .model()
          .close();
    }
    Path last = dir.resolve("ckpt-000000010.rkc");
    assertThatThrownBy(() -> TrainedModel.load(last, Fixtures.mlp(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "does not say the shape of one example (its run was given DJL datasets without"
                + " Runner.describe(split)); give it: TrainedModel.load(file, block, 4) for rows"
                + " of 4 features");
    try (TrainedModel m = TrainedModel.load(last, Fixtures.mlp(3), 4)) {
      assertThat(m.predict(new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}}).classes()).hasSize(1);
    }
    assertThatThrownBy(() -> TrainedModel.load(last, Fixtures.mlp(8, 3), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong to this model");
  }
}
