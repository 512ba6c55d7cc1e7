package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Block;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.run.DigitsSplit;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Metrics;
import dev.runkit.run.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tech.tablesaw.api.Table;

class RunnerTest {

  @RegisterExtension final DigitsSplit digits = new DigitsSplit(32);

  @Test
  void withBlock_resultDropped_blockParametersOutliveGarbageCollection() throws Exception {
    // the model Runner.with(block) makes owns the parameters, and DJL closes an unreachable model
    // when it is finalized: a caller keeping only the block must not find its parameters freed
    Block block = Fixtures.mlp(16, 10);
    Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train())
        .optimizer(Fixtures.sgd(0.05f))
        .iterations(3)
        .quiet()
        .fit();
    for (int i = 0; i < 5; i++) {
      System.gc();
      System.runFinalization();
      Thread.sleep(20);
    }
    for (var p : block.getParameters()) {
      assertThat(p.getValue().getArray().toFloatArray()).as(p.getKey()).isNotEmpty();
    }
  }

  @Test
  void withBlock_modelClosed_isNoLongerHeld() {
    RunResult r =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Fixtures.sgd(0.05f))
            .iterations(1)
            .quiet()
            .fit();
    assertThat(Runner.heldModels()).contains(r.model());
    r.model().close();
    assertThat(Runner.heldModels()).doesNotContain(r.model());
  }

  @Test
  void fit_mlpOnDigits_reachesNinetyPercentValidationAccuracy() {
    RunResult r =
        Runner.with(Fixtures.mlp(64, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train(), digits.validation())
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
            .data(digits.train())
            .optimizer(Fixtures.sgd(0.05f))
            .epochs(2)
            .quiet()
            .fit();
    assertThat(r.iterations()).isEqualTo(2 * (1437 / 32));
  }

  @Test
  void fit_dataWidthDiffersFromModel_throwsBeforeFirstStep() {
    ArrayDataset narrow = dev.runkit.data.LabeledData.iris().toDataset(digits.manager(), 10);
    assertThatThrownBy(
            () ->
                Runner.with(trainedOn(digits.train()))
                    .loss(Loss.softmaxCrossEntropyLoss())
                    .data(narrow)
                    .optimizer(Fixtures.sgd(0.05f))
                    .iterations(10)
                    .quiet()
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("training data does not fit the model: data shapes [(10, 4)]")
        // DJL's PairList of inputs printed as ai.djl.util.PairList@b031c240
        .hasMessageContaining(", model input [data0 (32, 64)]: ");
  }

  @Test
  void with_blockOfAClosedModel_saysItsParametersWereFreed() {
    // a notebook's second fit of a block whose first result was closed failed inside predict
    // with "cannot take examples of shape [4]: Native resource has been released already"
    ai.djl.nn.Block block = Fixtures.mlp(10);
    Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train())
        .optimizer(Fixtures.sgd(0.05f))
        .iterations(2)
        .quiet()
        .fit()
        .model()
        .close();
    assertThatThrownBy(() -> Runner.with(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Runner.with: the block's parameters were freed when the model holding them was"
                + " closed (result.model().close()); build the block again, and close a model only"
                + " when done with it");
  }

  /** Records what a fit says it continues from. */
  private static final class Continuing implements dev.runkit.run.ProgressListener {
    final java.util.List<String> said = new java.util.ArrayList<>();

    @Override
    public void onContinue(String description) {
      said.add(description);
    }

    @Override
    public void onProgress(dev.runkit.run.Progress progress) {}
  }

  @Test
  void fit_secondFitOfABlock_continuesFromItsWeightsAndSaysSo() {
    ai.djl.nn.Block block = Fixtures.mlp(16, 10);
    Continuing first = new Continuing();
    Continuing second = new Continuing();
    RunResult a = digitsRun(block).progress(first).fit();
    RunResult b = digitsRun(block).progress(second).fit();
    assertThat(first.said).isEmpty();
    assertThat(second.said)
        .containsExactly(
            "continues from the weights its earlier fit left; reinitialize() starts afresh");
    // trained on: the second fit starts where the first ended
    assertThat(firstLoss(b)).isLessThan(firstLoss(a) * 0.8);
  }

  @Test
  void fit_reinitialize_startsAsTheFirstFitDid() {
    ai.djl.nn.Block block = Fixtures.mlp(16, 10);
    RunResult a = digitsRun(block).fit();
    digitsRun(block).fit();
    Continuing said = new Continuing();
    RunResult again = digitsRun(block).reinitialize().progress(said).fit();
    assertThat(said.said).isEmpty();
    assertThat(again.history().removeColumns("elapsed").toString())
        .isEqualTo(a.history().removeColumns("elapsed").toString());
  }

  @Test
  void fit_blockInitializedByItsUser_continuesFromThoseWeights() {
    ai.djl.nn.Block block = Fixtures.mlp(16, 10);
    block.initialize(
        digits.manager(),
        ai.djl.ndarray.types.DataType.FLOAT32,
        new ai.djl.ndarray.types.Shape(1, 64));
    Continuing said = new Continuing();
    digitsRun(block).progress(said).fit();
    assertThat(said.said)
        .containsExactly(
            "continues from the weights the model had before this fit; reinitialize() starts"
                + " afresh");
  }

  private Runner digitsRun(ai.djl.nn.Block block) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train())
        .optimizer(Fixtures.sgd(0.05f))
        .iterations(40)
        .logEvery(10);
  }

  private static double firstLoss(RunResult r) {
    return r.history()
        .where(r.history().stringColumn("metric").isEqualTo("loss"))
        .doubleColumn("value")
        .get(0);
  }

  @Test
  void
      fit_validationIntervalNotAMultipleOfTheDefaultReport_summaryHasTrainValuesAtEachValidation() {
    // validateEvery(25) on 600 iterations reported training every 30: the summary's first row
    // had NaN train columns and the others the train loss of other iterations
    RunResult r =
        Runner.with(Fixtures.mlp(16, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train(), digits.validation())
            .optimizer(Fixtures.sgd(0.05f))
            .iterations(600)
            .validateEvery(25)
            .quiet()
            .fit();
    Table summary = dev.runkit.notebook.Tables.historySummary(r);
    assertThat(summary.rowCount()).isEqualTo(24);
    assertThat(summary.doubleColumn("train_loss").countMissing()).isZero();
    Table train = r.history().where(r.history().stringColumn("phase").isEqualTo("train"));
    assertThat(train.longColumn("iteration").asList()).allMatch(it -> it % 25 == 0);
  }

  @Test
  void with_closedModel_saysItWasClosed() {
    ai.djl.Model model = ai.djl.Model.newInstance("closed");
    model.setBlock(Fixtures.mlp(10));
    model.close();
    assertThatThrownBy(() -> Runner.with(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Runner.with: the model was closed");
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

  private Runner digitsRunner() {
    return Runner.with(Fixtures.mlp(10))
        .loss(Loss.softmaxCrossEntropyLoss())
        .optimizer(dev.runkit.optim.Optimizers.sgd().lr(0.1))
        .iterations(5)
        .quiet();
  }

  @Test
  void fit_validateEveryWithoutValidationData_throws() {
    assertThatThrownBy(() -> digitsRunner().data(digits.train()).validateEvery(10).fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validateEvery(10) needs validation data: call data(train, validation)");
  }

  @Test
  void fit_monitorOfUnmeasuredMetric_throwsWithNearestName() {
    assertThatThrownBy(
            () ->
                digitsRunner()
                    .data(digits.train(), digits.validation())
                    .metrics(Metrics.accuracy())
                    .monitor(dev.runkit.run.Monitor.max("acuracy"))
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "monitored metric \"acuracy\" is not measured; measured: [loss, accuracy]. Did you mean"
                + " \"accuracy\"?");
  }

  @Test
  void loss_setTwice_throwsIllegalState() {
    Runner r = Runner.with(Fixtures.mlp(10)).loss(Loss.l2Loss());
    assertThatThrownBy(() -> r.loss(Loss.l1Loss()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("loss was already set");
  }

  @Test
  void epochs_afterIterations_throwsConflict() {
    assertThatThrownBy(() -> Runner.with(Fixtures.mlp(10)).iterations(100).epochs(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("epochs(2) conflicts with iterations(100)");
  }

  @Test
  void fit_scheduleWithDjlOptimizer_throwsNamingTheFix() {
    assertThatThrownBy(
            () ->
                Runner.with(Fixtures.mlp(10))
                    .loss(Loss.softmaxCrossEntropyLoss())
                    .data(digits.train())
                    .optimizer(Fixtures.sgd(0.1f))
                    .schedule(step -> 0.1)
                    .iterations(5)
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "schedule(...) needs a RunKit optimizer (dev.runkit.optim.Optimizers);"
                + " ai.djl.training.optimizer.Sgd takes its learning rate from its own DJL Tracker");
  }

  @Test
  void fit_resumeWithoutCheckpoints_throws() {
    assertThatThrownBy(() -> digitsRunner().data(digits.train()).resume().fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "resume() looks in the checkpoint folder: call checkpoints(Checkpoints.to(dir)) too");
  }

  @Test
  void fit_labelsDoNotFitOutput_throwsBeforeFirstStep() {
    ArrayDataset regression =
        new ArrayDataset.Builder()
            .setData(digits.manager().randomUniform(0, 1, new ai.djl.ndarray.types.Shape(20, 4)))
            .optLabels(digits.manager().randomUniform(0, 1, new ai.djl.ndarray.types.Shape(20, 3)))
            .setSampling(10, false)
            .build();
    assertThatThrownBy(
            () ->
                Runner.with(Fixtures.mlp(8, 2))
                    .loss(Loss.l2Loss())
                    .data(regression)
                    .optimizer(dev.runkit.optim.Optimizers.sgd().lr(0.1))
                    .iterations(5)
                    .quiet()
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "training labels do not fit the model output: labels [(10, 3)], output [(10, 2)]");
  }

  /** A 2-output model on iris, which has 3 classes: it trained without error (pick clips 2). */
  private static Runner twoOutputsOnIris() {
    dev.runkit.data.SplitData iris =
        dev.runkit.data.SplitData.classification(
            "iris", dev.runkit.data.LabeledData.iris(), dev.runkit.data.Ratio.of(0.8, 0.2, 0), 1);
    return Runner.with(dev.runkit.model.Mlp.outputs(2).hidden(8).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(iris, 16)
        .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01));
  }

  @Test
  void fit_splitWithMoreClassesThanOutputs_throwsBeforeFirstStep() {
    Runner runner = twoOutputsOnIris().iterations(5).quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the model gives 2 outputs per example (shape (1, 2) for one example), but iris has 3"
                + " classes; build the model with 3 outputs (e.g. Mlp.outputs(3))");
  }

  @Test
  void fit_ownDatasetSortedByClassWithMoreClassesThanOutputs_throwsBeforeFirstStep() {
    // iris.csv is sorted by species: the first batch holds class 0 only, the data 0, 1 and 2
    ArrayDataset iris = dev.runkit.data.LabeledData.iris().toDataset(digits.manager(), 16);
    Runner runner =
        Runner.with(dev.runkit.model.Mlp.outputs(2).hidden(8).build())
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(iris)
            .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
            .iterations(5)
            .quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the model gives 2 outputs per example (shape (1, 2) for one example), but the"
                + " training labels hold class 2, so there are at least 3 classes; build the model"
                + " with 3 outputs (e.g. Mlp.outputs(3))");
  }

  @Test
  void fit_validationLabelBeyondOutputs_throwsNamingValidation() {
    dev.runkit.data.LabeledData iris = dev.runkit.data.LabeledData.iris();
    Runner runner =
        Runner.with(dev.runkit.model.Mlp.outputs(2).hidden(8).build())
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(
                iris.rows(0, 100).toDataset(digits.manager(), 16),
                iris.rows(100, 150).toDataset(digits.manager(), 16))
            .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
            .iterations(5)
            .quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but the validation labels hold class 2");
  }

  @Test
  void fit_regressionWithFewerOutputsThanTargets_throwsBeforeFirstStep() {
    // DJL's L2 loss said only "Cannot reshape array of size 64 into shape [16,1]"
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      ArrayDataset four =
          new ArrayDataset.Builder()
              .setData(m.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(64, 6)))
              .optLabels(m.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(64, 4)))
              .setSampling(16, true)
              .build();
      Runner runner =
          Runner.with(dev.runkit.model.Mlp.outputs(1).hidden(8).build())
              .loss(Loss.l2Loss())
              .data(four)
              .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
              .iterations(5)
              .quiet();
      assertThatThrownBy(runner::fit)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "training labels do not fit the model output: labels [(16, 4)], output [(16, 1)]:"
                  + " the model gives 1 output per example, but the targets hold 4 values per"
                  + " example; build the model with 4 outputs");
    }
  }

  @Test
  void fit_maskedLossWithFewerOutputsThanTargets_throwsBeforeFirstStep() {
    // masked_mae broadcast one output over four targets and trained without a word
    ArrayDataset four =
        new ArrayDataset.Builder()
            .setData(digits.manager().randomUniform(0, 1, new ai.djl.ndarray.types.Shape(64, 6)))
            .optLabels(digits.manager().randomUniform(0, 1, new ai.djl.ndarray.types.Shape(64, 4)))
            .setSampling(16, true)
            .build();
    Runner runner =
        Runner.with(dev.runkit.model.Mlp.outputs(1).hidden(8).build())
            .loss(dev.runkit.model.MaskedLoss.mae())
            .data(four)
            .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
            .iterations(5)
            .quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "masked_mae compares each output with its target, but the model gives 1 value(s) per"
                + " example and the targets hold 4; build the model with 4 outputs");
  }

  @Test
  void fit_classifierOnUnscaledFeatures_warnsOfFirstLoss() {
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("dev.runkit.run.Preflight");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      dev.runkit.data.LabeledData iris = dev.runkit.data.LabeledData.iris().shuffled(3);
      int n = iris.size();
      int k = iris.columns();
      float[] standard = iris.features().clone();
      for (int c = 0; c < k; c++) {
        double mean = 0;
        double square = 0;
        for (int r = 0; r < n; r++) {
          mean += standard[r * k + c] / (double) n;
          square += standard[r * k + c] * (double) standard[r * k + c] / n;
        }
        double std = Math.sqrt(square - mean * mean);
        for (int r = 0; r < n; r++) {
          standard[r * k + c] = (float) ((standard[r * k + c] - mean) / std);
        }
      }
      fitIris(new dev.runkit.data.LabeledData(standard, iris.labels(), k));
      assertThat(seen.list).isEmpty();
      // iris as measured, in centimetres
      fitIris(iris);
      assertThat(seen.list).hasSize(1);
      assertThat(seen.list.get(0).getFormattedMessage())
          .startsWith("the loss on the first training batch is ")
          .contains("far above ln(3) = 1.10")
          .endsWith("standardise them (mean 0, standard deviation 1) before training");
    } finally {
      log.detachAppender(seen);
    }
  }

  private void fitIris(dev.runkit.data.LabeledData iris) {
    Runner.with(dev.runkit.model.Mlp.outputs(3).hidden(16).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(iris.toDataset(digits.manager(), 16))
        .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
        .iterations(1)
        .quiet()
        .fit()
        .model()
        .close();
  }

  @Test
  void lrFinder_splitWithMoreClassesThanOutputs_throwsBeforeFirstStep() {
    Runner runner = twoOutputsOnIris();
    assertThatThrownBy(runner::lrFinder)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the model gives 2 outputs per example");
  }

  @Test
  void fit_forecasterWithFewerOutputsThanSteps_throwsBeforeFirstStep() {
    // a (batch, 1) forecast broadcast against (batch, 4) targets and trained without error
    float[] wave = new float[300];
    for (int i = 0; i < wave.length; i++) {
      wave[i] = (float) Math.sin(i / 5.0);
    }
    dev.runkit.data.SplitData windows =
        new dev.runkit.data.Series("wave", wave)
            .split(12, 4, dev.runkit.data.Ratio.of(0.8, 0.2, 0), true);
    Runner runner =
        Runner.with(dev.runkit.model.Forecaster.gru(1).hidden(4).build())
            .loss(dev.runkit.model.MaskedLoss.mae())
            .data(windows, 16)
            .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
            .iterations(5)
            .quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the model gives 1 output per example")
        .hasMessageEndingWith(
            "has 4 forecast steps; build the model with 4 outputs (e.g. Forecaster.gru(4))");
  }

  @Test
  void fit_topKAboveClasses_throwsBeforeFirstStep() {
    // top-5 of 3 classes counted every row as a hit: a metric stuck at 1
    Runner runner =
        Runner.with(Fixtures.mlp(3))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(dev.runkit.data.LabeledData.iris().toDataset(digits.manager(), 16))
            .metrics(Metrics.topK(5))
            .optimizer(Fixtures.sgd(0.05f))
            .iterations(5)
            .quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "metric \"top5_accuracy\" cannot be measured on the training labels [(16)] and model"
                + " output [(16, 3)]: top5_accuracy needs at least 5 classes, but the model gives"
                + " 3 scores per example");
  }

  @Test
  void fit_regressionMetricOnClassLabels_namesTheMetric() {
    // it said "training labels do not fit the model output", though the loss fitted them
    Runner runner =
        Runner.with(Fixtures.mlp(3))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(dev.runkit.data.LabeledData.iris().toDataset(digits.manager(), 16))
            .metrics(Metrics.mae())
            .optimizer(Fixtures.sgd(0.05f))
            .iterations(5)
            .quiet();
    assertThatThrownBy(runner::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "metric \"mae\" cannot be measured on the training labels [(16)] and model output"
                + " [(16, 3)]: ");
  }

  @Test
  void data_splitSetTwice_saysDataWasAlreadySet() {
    dev.runkit.data.SplitData iris =
        dev.runkit.data.SplitData.classification(
            "iris",
            dev.runkit.data.LabeledData.iris(),
            dev.runkit.data.Ratio.of(0.7, 0.15, 0.15),
            1);
    Runner runner = Runner.with(Fixtures.mlp(3)).data(iris, 16);
    // it said "test was already set" (the split's test part), naming nothing the caller wrote
    assertThatThrownBy(() -> runner.data(iris, 1000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("data was already set");
  }

  @Test
  void fit_adamWithCosineSpecAndMae_trainsRegression() {
    // y = sum of the four iris measurements: a real regression the MLP can learn
    dev.runkit.data.LabeledData iris = dev.runkit.data.LabeledData.iris().shuffled(1);
    float[] y = new float[iris.size()];
    for (int i = 0; i < y.length; i++) {
      for (int c = 0; c < 4; c++) {
        y[i] += iris.features()[i * 4 + c];
      }
    }
    ArrayDataset data =
        new ArrayDataset.Builder()
            .setData(
                digits.manager().create(iris.features(), new ai.djl.ndarray.types.Shape(150, 4)))
            .optLabels(digits.manager().create(y, new ai.djl.ndarray.types.Shape(150, 1)))
            .setSampling(16, false)
            .build();
    RunResult r =
        Runner.with(Fixtures.mlp(16, 1))
            .loss(Loss.l2Loss())
            .data(data, data)
            .optimizer(dev.runkit.optim.Optimizers.adam().lr(0.01))
            .metrics(Metrics.mae(), Metrics.rmse(), Metrics.mape())
            .iterations(300)
            .quiet()
            .fit();
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.last("validation", "mape")).isLessThan(0.05);
    assertThat(r.last("validation", "rmse")).isGreaterThanOrEqualTo(r.last("validation", "mae"));
  }

  @Test
  void fit_testData_testedEveryMAndAtTheEndOnTheBestParameters() {
    ArrayDataset[] split = Fixtures.digits(digits.manager(), 32);
    RunResult r =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train(), digits.validation())
            .test(split[1])
            .optimizer(dev.runkit.optim.Optimizers.sgd().lr(0.05).momentum(0.9))
            .metrics(Metrics.accuracy())
            .monitor(dev.runkit.run.Monitor.max("accuracy"))
            .iterations(90)
            .validateEvery(30)
            .testEvery(45)
            .quiet()
            .fit();
    Table h = r.history();
    Table tests = h.where(h.stringColumn("phase").isEqualTo("test"));
    // at 45 and at the end, loss and accuracy each
    assertThat(tests.longColumn("iteration").asList()).containsExactly(45L, 45L, 90L, 90L);
    // the test set is the validation set here: the final test equals the best validation
    assertThat(r.test().get("accuracy")).isEqualTo(r.best().getAsDouble());
  }
}
