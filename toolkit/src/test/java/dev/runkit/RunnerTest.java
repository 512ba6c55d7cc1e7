package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Metrics;
import dev.runkit.run.StopReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class RunnerTest {

  private NDManager manager;
  private ArrayDataset train;
  private ArrayDataset validation;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    ArrayDataset[] split = Fixtures.digits(manager, 32);
    train = split[0];
    validation = split[1];
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void fit_mlpOnDigits_reachesNinetyPercentValidationAccuracy() {
    RunResult r =
        Runner.with(Fixtures.mlp(64, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(train, validation)
            .optimizer(Fixtures.sgd(0.05f))
            .metrics(Metrics.accuracy(), Metrics.topK(3))
            .iterations(600)
            .validateEvery(200)
            .monitor(dev.runkit.run.Monitor.max("accuracy"))
            .quiet()
            .fit();

    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.iterations()).isEqualTo(600);
    assertThat(r.last("validation", "accuracy")).isGreaterThan(0.9);
    assertThat(r.last("validation", "top3_accuracy"))
        .isGreaterThan(r.last("validation", "accuracy"));
    assertThat(r.best().getAsDouble()).isGreaterThan(0.9);
    Table h = r.history();
    assertThat(h.columnNames())
        .containsExactly("iteration", "phase", "metric", "value", "lr", "elapsed");
    assertThat(h.where(h.stringColumn("phase").isEqualTo("validation")).rowCount()).isEqualTo(9);
    // the training loss falls from its first report to its last
    Table trainLoss =
        h.where(
            h.stringColumn("phase")
                .isEqualTo("train")
                .and(h.stringColumn("metric").isEqualTo("loss")));
    assertThat(trainLoss.doubleColumn("value").get(trainLoss.rowCount() - 1))
        .isLessThan(trainLoss.doubleColumn("value").get(0) / 3);
  }

  @Test
  void fit_epochs_convertsToIterations() {
    RunResult r =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(train)
            .optimizer(Fixtures.sgd(0.05f))
            .epochs(2)
            .quiet()
            .fit();
    assertThat(r.iterations()).isEqualTo(2 * (1437 / 32));
  }

  @Test
  void fit_dataWidthDiffersFromModel_throwsBeforeFirstStep() {
    ArrayDataset narrow = dev.runkit.data.LabeledData.iris().toDataset(manager, 10);
    assertThatThrownBy(
            () ->
                Runner.with(trainedOn(train))
                    .loss(Loss.softmaxCrossEntropyLoss())
                    .data(narrow)
                    .optimizer(Fixtures.sgd(0.05f))
                    .iterations(10)
                    .quiet()
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("training data does not fit the model: data shapes [(10, 4)]");
  }

  private ai.djl.nn.Block trainedOn(ArrayDataset data) {
    ai.djl.nn.Block block = Fixtures.mlp(10);
    Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(data)
        .optimizer(Fixtures.sgd(0.05f))
        .iterations(1)
        .quiet()
        .fit();
    return block;
  }

  @Test
  void iterations_zero_throws() {
    assertThatThrownBy(() -> Runner.with(Fixtures.mlp(10)).iterations(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iterations must be > 0, got 0");
  }

  @Test
  void fit_noData_throwsNamingTheCall() {
    assertThatThrownBy(
            () ->
                Runner.with(Fixtures.mlp(10))
                    .loss(Loss.softmaxCrossEntropyLoss())
                    .optimizer(Fixtures.sgd(0.1f))
                    .iterations(5)
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("training data is required: call data(train) or data(train, validation)");
  }
}
