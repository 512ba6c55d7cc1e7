package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.model.Mlp;
import dev.runkit.optim.Optimizers;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import tech.tablesaw.api.Table;

/**
 * Exact resume of a model with dropout, whose masks come from MXNet's generator: the runner seeds
 * it from (seed, iteration) at fixed points, and resuming from any checkpoint seeds at the last
 * such point and replays the forward passes since ({@link GeneratorReplay}).
 */
class DropoutResumeTest {

  @TempDir Path uninterrupted;
  @TempDir Path interrupted;

  @Test
  void resume_dropoutModelStoppedAtACheckpoint_endsLikeUninterruptedRun() {
    assertResumeExact(50, 1, 25, 1);
  }

  /** With two replicas the masks are drawn slice by slice, and the replay must draw them so too. */
  @Test
  void resume_dropoutModelOnTwoReplicasStoppedBetweenCheckpoints_endsLikeUninterruptedRun() {
    assertResumeExact(37, 1, 20, 2);
  }

  /** 37 lies between checkpoints (every 20), 7 before the first one, 50 is a validation. */
  @ParameterizedTest
  @CsvSource({"37, 1", "37, 2", "7, 1", "50, 2"})
  void resume_dropoutModelStoppedBetweenCheckpoints_endsLikeUninterruptedRun(
      int stopAt, int accumulate) {
    assertResumeExact(stopAt, accumulate, 20, 1);
  }

  private void assertResumeExact(int stopAt, int accumulate, int every, int replicas) {
    Callback stop = Fixtures.stopAt(stopAt, "interrupted for the test");
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult whole = fit(uninterrupted, manager, accumulate, every, replicas);
      RunResult stopped = fit(interrupted, manager, accumulate, every, replicas, stop);
      assertThat(stopped.iterations()).isEqualTo(stopAt);
      stopped.model().close();
      RunResult resumed = fit(interrupted, manager, accumulate, every, replicas);

      assertThat(resumed.iterations()).isEqualTo(100);
      ResumeTest.assertEndsAlike(whole, resumed);
      whole.model().close();
      resumed.model().close();
    }
  }

  /**
   * The replay runs training-mode forward passes, which move BatchNorm's running statistics: they
   * must be those of the checkpoint afterwards, not moved a second time by the replayed batches.
   */
  @ParameterizedTest
  @CsvSource({"1", "2"})
  void resume_batchNormAndDropoutStoppedBetweenCheckpoints_endsLikeUninterruptedRun(int replicas) {
    Callback stop = Fixtures.stopAt(37, "interrupted for the test");
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult whole = fitBatchNorm(uninterrupted, manager, replicas);
      fitBatchNorm(interrupted, manager, replicas, stop).model().close();
      RunResult resumed = fitBatchNorm(interrupted, manager, replicas);
      ResumeTest.assertEndsAlike(whole, resumed);
      whole.model().close();
      resumed.model().close();
    }
  }

  private static RunResult fitBatchNorm(
      Path dir, NDManager manager, int replicas, Callback... extra) {
    ArrayDataset[] split = Fixtures.digits(manager, 64);
    SequentialBlock block = new SequentialBlock();
    block.add(Linear.builder().setUnits(32).build());
    block.add(ai.djl.nn.norm.BatchNorm.builder().build());
    block.add(Activation::relu);
    block.add(Dropout.builder().optRate(0.5f).build());
    block.add(Linear.builder().setUnits(10).build());
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(split[0], split[1])
        .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
        .iterations(60)
        .validateEvery(50)
        .devices(Collections.nCopies(replicas, Device.cpu()))
        .seed(5)
        .checkpoints(Checkpoints.to(dir).every(20))
        .resume()
        .callbacks(extra)
        .quiet()
        .fit();
  }

  private static RunResult fit(
      Path dir, NDManager manager, int accumulate, int every, int replicas, Callback... extra) {
    ArrayDataset[] split = Fixtures.digits(manager, 64);
    return Runner.with(Mlp.outputs(10).hidden(64).dropout(0.5).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(split[0], split[1])
        .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
        .iterations(100)
        .validateEvery(50)
        .accumulate(accumulate)
        .devices(Collections.nCopies(replicas, Device.cpu()))
        .seed(5)
        .checkpoints(Checkpoints.to(dir).every(every))
        .resume()
        .callbacks(extra)
        .quiet()
        .fit();
  }

  @Test
  void resume_finishedDropoutRunWithMoreIterations_endsLikeTheLongerRun() {
    // the shorter run validated at its end (60), the longer one did not: only those rows differ
    assertExtendedRunEndsLikeTheLongerRun(60);
  }

  /**
   * The shorter run ends at 50, a checkpoint and validation point of the longer run: the longer run
   * seeds the generator there, so the resumed run must seed there too (not replay from 25).
   */
  @Test
  void resume_finishedDropoutRunEndingOnASeedingPoint_endsLikeTheLongerRun() {
    assertExtendedRunEndsLikeTheLongerRun(50);
  }

  /** A run of {@code shorterLength} iterations resumed to 100 ends like the 100-iteration run. */
  private void assertExtendedRunEndsLikeTheLongerRun(int shorterLength) {
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult whole = longer(uninterrupted, manager, 100);
      RunResult shorter = longer(interrupted, manager, shorterLength);
      assertThat(shorter.iterations()).isEqualTo(shorterLength);
      shorter.model().close();
      RunResult resumed = longer(interrupted, manager, 100);
      assertThat(resumed.iterations()).isEqualTo(100);
      Map<String, float[]> a = ResumeChild.parameters(whole.model().getBlock());
      Map<String, float[]> b = ResumeChild.parameters(resumed.model().getBlock());
      for (String name : a.keySet()) {
        assertThat(b.get(name)).as(name).containsExactly(a.get(name), within(1e-6f));
      }
      assertThat(training(resumed.history())).isEqualTo(training(whole.history()));
      whole.model().close();
      resumed.model().close();
    }
  }

  private static String training(Table history) {
    return history
        .where(history.stringColumn("phase").isEqualTo("train"))
        .removeColumns("elapsed")
        .printAll();
  }

  /**
   * Validates every 50 and at the end, so the end of the shorter run (60) is a validation and
   * checkpoint the longer run does not have: the generator must not be seeded there.
   */
  private static RunResult longer(Path dir, NDManager manager, long iterations) {
    ArrayDataset[] split = Fixtures.digits(manager, 64);
    return Runner.with(Mlp.outputs(10).hidden(64).dropout(0.5).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(split[0], split[1])
        .validateEvery(50)
        .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
        .iterations(iterations)
        .logEvery(5)
        .seed(5)
        .checkpoints(Checkpoints.to(dir).every(25))
        .resume()
        .quiet()
        .fit();
  }

  @Test
  void resume_onAnotherCheckpointSchedule_warnsThatMasksWillDiffer() {
    Callback stop = Fixtures.stopAt(37, "interrupted for the test");
    Logger log = (Logger) LoggerFactory.getLogger(GeneratorReplay.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try (NDManager manager = NDManager.newBaseManager()) {
      fit(interrupted, manager, 1, 20, 1, stop).model().close();
      assertThat(seen.list).isEmpty();
      fit(interrupted, manager, 1, 25, 1).model().close();
    } finally {
      log.detachAppender(seen);
    }
    assertThat(seen.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains(
            "this run checkpoints or validates on another schedule than the run that wrote the"
                + " checkpoint at iteration 37: MXNet's generator is seeded at other iterations,"
                + " so dropout masks differ from the uninterrupted run's after the next seeding"
                + " point");
  }

  @Test
  void draws_plainMlp_false() {
    assertThat(GeneratorReplay.draws(Fixtures.mlp(16, 10))).isFalse();
    assertThat(GeneratorReplay.draws(Mlp.outputs(10).hidden(8).build())).isFalse();
  }

  @Test
  void draws_dropoutInsideASequence_true() {
    SequentialBlock block = new SequentialBlock();
    block.add(Linear.builder().setUnits(8).build());
    block.add(new SequentialBlock().add(Activation::relu).add(Dropout.builder().build()));
    assertThat(GeneratorReplay.draws(block)).isTrue();
  }

  @Test
  void draws_lstm_trueOnlyWithDropout() {
    Block plain = LSTM.builder().setStateSize(4).setNumLayers(2).build();
    Block dropped = LSTM.builder().setStateSize(4).setNumLayers(2).optDropRate(0.2f).build();
    assertThat(GeneratorReplay.draws(plain)).isFalse();
    assertThat(GeneratorReplay.draws(dropped)).isTrue();
  }

  @Test
  void draws_blockFromOutsideDjl_trueSinceItsCodeMayDraw() {
    Block custom =
        new AbstractBlock() {
          @Override
          protected ai.djl.ndarray.NDList forwardInternal(
              ParameterStore ps,
              ai.djl.ndarray.NDList inputs,
              boolean training,
              PairList<String, Object> params) {
            return inputs;
          }

          @Override
          public ai.djl.ndarray.types.Shape[] getOutputShapes(
              ai.djl.ndarray.types.Shape[] inputShapes) {
            return inputShapes;
          }
        };
    assertThat(GeneratorReplay.draws(new SequentialBlock().add(custom))).isTrue();
  }
}
