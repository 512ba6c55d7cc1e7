package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.SplitData;
import dev.runkit.data.Windows;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Metrics;
import dev.runkit.run.StopReason;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * {@link Runner#data(SplitData, int)} and {@link RunResult#predict}: one real run on the digits
 * (MXNet), its data given as a split with no NDManager, then predictions checked against the
 * runner's own test measurement.
 */
class PredictionsTest {

  static SplitData digits;
  static RunResult result;

  @BeforeAll
  static void fit() {
    digits =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.15, 0.15), 42);
    result =
        Runner.with(Fixtures.mlp(64, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits, 64)
            .metrics(Metrics.accuracy())
            .optimizer(Optimizers.adam().lr(3e-3))
            .iterations(300)
            .validateEvery(100)
            .quiet()
            .fit();
  }

  @AfterAll
  static void close() {
    result.model().close();
  }

  @Test
  void dataSplit_setsTrainValidationAndTest_fromTheSplit() {
    assertThat(result.stopReason()).as(result.message()).isEqualTo(StopReason.COMPLETED);
    Table h = result.history();
    assertThat(h.stringColumn("phase").unique().asList())
        .containsExactlyInAnyOrder("train", "validation", "test");
    assertThat(result.test().get("accuracy")).isGreaterThan(0.9);
  }

  @Test
  void predictExamples_testPart_accuracyEqualsTheRunnersTestMeasurement() {
    Predictions p = result.predict(digits.test());

    assertThat(p.size()).isEqualTo(digits.test().size());
    assertThat(p.width()).isEqualTo(10);
    double accuracy = p.accuracy(((LabeledData) digits.test()).labels());
    assertThat(accuracy).isCloseTo(result.test().get("accuracy"), within(1e-9));
    // labelled examples keep their classes
    assertThat(p.accuracy()).isEqualTo(accuracy);
    // numeric labels are their own names
    assertThat(p.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(p.names()[0]).isEqualTo(String.valueOf(p.classes()[0]));
  }

  @Test
  void predictRows_sameAsPredictExamples_andProbabilitiesAreASoftmax() {
    LabeledData test = (LabeledData) digits.test();
    float[][] rows = new float[5][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(test.features(), i * 64, (i + 1) * 64);
    }

    Predictions few = result.predict(rows);
    Predictions all = result.predict(test);

    assertThat(few.size()).isEqualTo(5);
    assertThat(few.classes()).containsExactly(Arrays.copyOf(all.classes(), 5));
    float[][] probabilities = few.probabilities();
    float[][] outputs = few.outputs();
    for (int i = 0; i < 5; i++) {
      assertThat(outputs[i]).containsExactly(all.outputs()[i], within(1e-5f));
      double sum = 0;
      int argmax = 0;
      for (int j = 0; j < 10; j++) {
        sum += probabilities[i][j];
        argmax = probabilities[i][j] > probabilities[i][argmax] ? j : argmax;
      }
      assertThat(sum).isCloseTo(1.0, within(1e-5));
      assertThat(argmax).isEqualTo(few.classes()[i]);
    }
  }

  @Test
  void predictNdArray_leavesTheInputInTheCallersManagerAndAddsNothingThere() {
    LabeledData test = (LabeledData) digits.test();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(Arrays.copyOf(test.features(), 3 * 64), new Shape(3, 64));
      int before = ((BaseNDManager) manager).getManagedArrays().size();

      Predictions p = result.predict(x);

      assertThat(p.classes()).containsExactly(Arrays.copyOf(result.predict(test).classes(), 3));
      assertThat(x.getManager()).isSameAs(manager);
      assertThat(((BaseNDManager) manager).getManagedArrays()).hasSize(before);
      assertThat(x.toFloatArray()).hasSize(3 * 64);
    }
  }

  @Test
  void predictDataset_arrayDataset_onePredictionPerExampleInOrder() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Predictions p = result.predict(digits.test().toDataset(manager, 50));
      assertThat(p.classes()).containsExactly(result.predict(digits.test()).classes());
    }
  }

  @Test
  void predictRows_wrongLength_throwsNamingTheExampleShape() {
    assertThatThrownBy(() -> result.predict(new float[][] {new float[64], new float[60]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "predict: each row must hold one example of shape [64] (64 values), but row 1 has 60");
    assertThatThrownBy(() -> result.predict(new float[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("predict needs at least one row of inputs, got none");
  }

  @Test
  void predictExamples_otherWidth_throwsNamingBothShapes() {
    // MXNet's "Shape inconsistent, Provided = [64,64], inferred shape=(64,4)" came out unwrapped
    assertThatThrownBy(() -> result.predict(LabeledData.iris()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "predict: the model was trained on examples of shape [64] and cannot take examples of"
                + " shape [4]: MXNet engine call failed: ");
  }

  @Test
  void predict_closedModel_saysItWasClosed() {
    RunResult closed =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits, 64)
            .optimizer(Optimizers.adam().lr(3e-3))
            .iterations(2)
            .quiet()
            .fit();
    closed.model().close();
    // DJL's "NDManager has been closed already" named no call of the caller's
    assertThatThrownBy(() -> closed.predict(new float[][] {new float[64]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "predict: the model was closed (result.model().close() frees it) and cannot train or"
                + " predict; build the model again, and close a model only when done with it");
  }

  @Test
  void last_misspeltPhaseOrMetric_namesWhatTheHistoryHoldsAndTheNearest() {
    // it said "history holds no val/loss; it holds [loss, accuracy]", phases left out
    assertThatThrownBy(() -> result.last("val", "loss"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "history holds no val/loss; it holds [train/loss, train/accuracy, validation/loss,"
                + " validation/accuracy, test/loss, test/accuracy]. Did you mean"
                + " \"validation\"?");
    assertThatThrownBy(() -> result.last("validation", "acuracy"))
        .hasMessageEndingWith(". Did you mean \"accuracy\"?");
  }

  @Test
  void predict_uninitializedModel_throws() {
    try (Model model = Model.newInstance("fresh")) {
      model.setBlock(Fixtures.mlp(10));
      assertThatThrownBy(() -> Predictions.of(model, new float[][] {new float[4]}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "predict: the model was never initialized (the run did not reach its first step)");
    }
  }

  @Test
  void predict_windowModel_rowsReshapedToTheExampleShapeItWasInitializedWith() {
    try (Model model = Model.newInstance("windows")) {
      SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
      block.add(Linear.builder().setUnits(2).build());
      model.setBlock(block);
      // one example is a window of 5 steps with one value each, as Windows gives them
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(8, 5, 1));
      Windows windows =
          new Windows(
              new float[] {1, 2, 3, 4, 5, 0, 0, 0, 0, 1, -1, 2, -3, 4, -5},
              new float[] {6, 7, 1, 1, 6, 7},
              5,
              2);

      Predictions fromRows =
          Predictions.of(
              model, new float[][] {{1, 2, 3, 4, 5}, {0, 0, 0, 0, 1}, {-1, 2, -3, 4, -5}});
      Predictions fromWindows = Predictions.of(model, windows);

      assertThat(fromRows.size()).isEqualTo(3);
      assertThat(fromRows.width()).isEqualTo(2);
      for (int i = 0; i < 3; i++) {
        assertThat(fromWindows.outputs()[i]).containsExactly(fromRows.outputs()[i]);
      }
      assertThatThrownBy(() -> Predictions.of(model, new float[][] {{1, 2, 3, 4}}))
          .hasMessage(
              "predict: each row must hold one example of shape [5, 1] (5 values), but row 0 has"
                  + " 4");
    }
  }

  @Test
  void accuracy_predictionsOfRowsWithoutLabels_saysToPassThem() {
    Predictions p = result.predict(new float[][] {new float[64]});
    assertThatThrownBy(p::accuracy)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "accuracy() needs the true classes, which only predictions of labelled examples"
                + " (LabeledData, e.g. a classification split's test part) hold; pass them:"
                + " accuracy(labels)");
  }

  @Test
  void accuracy_wrongLabelCount_throws() {
    Predictions p = result.predict(new float[][] {new float[64]});
    assertThatThrownBy(() -> p.accuracy(new int[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accuracy needs one label per prediction (1), got 2");
    assertThat(p).hasToString("Predictions[1 examples x 10 outputs]");
  }

  @Test
  void dataSplit_testSetTwice_throwsNamingTheSplit() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Runner runner = Runner.with(Fixtures.mlp(10)).test(digits.test().toDataset(manager, 32));
      assertThatThrownBy(() -> runner.data(digits, 32))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "test was already set, but data(SplitData, int) sets the test part of digits too;"
                  + " set test data in one place");
      Runner other = Runner.with(Fixtures.mlp(10));
      assertThatThrownBy(() -> other.data(digits, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("batchSize must be > 0, got 0");
    }
  }

  /**
   * The split's arrays belong to the runner's model; a fit that fails before training leaves a
   * runner that cannot fit again, so they are freed then (a with(Block) model is held open, and
   * each failed attempt in a notebook kept a copy of the data until the JVM ended).
   */
  @Test
  void dataSplit_fitFailsBeforeTraining_freesTheSplitsArrays() {
    java.util.Set<Model> before = Runner.heldModels();
    Runner runner =
        Runner.with(Fixtures.mlp(64, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits, 64)
            .optimizer(Optimizers.adam().lr(3e-3))
            .quiet();
    Model model =
        Runner.heldModels().stream().filter(m -> !before.contains(m)).findFirst().orElseThrow();
    BaseNDManager owner = (BaseNDManager) model.getNDManager();
    assertThat(owner.getManagedArrays()).isNotEmpty();

    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the run length is required: call iterations(n) or epochs(n)");

    assertThat(owner.getManagedArrays()).isEmpty();
    model.close();
  }
}
