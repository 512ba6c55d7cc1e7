package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Block;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.Optimizers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class TrainingStepTest {

  @TempDir Path dir;
  @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);

  private RunResult fit(Block block, ArrayDataset train, int batchSize, int accumulate) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(train)
        .batchSize(batchSize)
        .accumulate(accumulate)
        .optimizer(Optimizers.sgd().lr(0.5))
        .iterations(5)
        .seed(11)
        .quiet()
        .fit();
  }

  @Test
  void accumulate_fourMicroBatches_equalsOneBigBatchUpdate() {
    ArrayDataset train = digits.train();
    Block big = Fixtures.mlp(16, 10);
    Block small = Fixtures.mlp(16, 10);
    // the results are held (and their models closed) explicitly: DJL closes a model's arrays when
    // the garbage collector finalizes it, which made this test fail now and then
    RunResult bigRun = fit(big, train, 64, 1);
    RunResult smallRun = fit(small, train, 16, 4);
    Map<String, float[]> a = ResumeChild.parameters(big);
    Map<String, float[]> b = ResumeChild.parameters(small);
    for (String name : a.keySet()) {
      assertThat(b.get(name)).as(name).containsExactly(a.get(name), within(1e-5f));
    }
    // and it is not trivially equal: a plain run on batches of 16 ends elsewhere
    Block plain = Fixtures.mlp(16, 10);
    RunResult plainRun = fit(plain, train, 16, 1);
    assertThat(ResumeChild.parameters(plain).get(a.keySet().iterator().next()))
        .isNotEqualTo(a.get(a.keySet().iterator().next()));
    for (RunResult r : List.of(bigRun, smallRun, plainRun)) {
      r.model().close();
    }
  }

  @Test
  void nonFiniteStop_divergingRun_stopsAndKeepsLastGoodCheckpoint() {
    ArrayDataset train = digits.train();
    RunResult r =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(train)
            .optimizer(Optimizers.sgd().lr(1e20).momentum(0.9))
            .iterations(200)
            .logEvery(1)
            .checkpoints(Checkpoints.to(dir).every(1).keepLast(200))
            .quiet()
            .fit();
    assertThat(r.stopReason()).isEqualTo(StopReason.NON_FINITE);
    assertThat(r.message())
        .containsPattern("training loss became (NaN|Infinity) between iterations \\d+ and \\d+")
        .endsWith("lower the learning rate, clip gradients, or choose nonFinite(SKIP)");
    List<Long> saved = Checkpoints.periodic(dir);
    assertThat(saved).isNotEmpty();
    assertThat(saved.get(saved.size() - 1)).isLessThan(r.iterations());
    for (long it : saved) {
      Checkpoint c = Checkpoint.read(dir.resolve(String.format("ckpt-%09d.rkc", it)));
      for (Checkpoint.Tensor t : c.parameters().values()) {
        java.nio.FloatBuffer f =
            java.nio.ByteBuffer.wrap(t.data())
                .order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
        while (f.hasRemaining()) {
          assertThat(Float.isFinite(f.get())).as("checkpoint " + it).isTrue();
        }
      }
    }
  }

  @Test
  void nonFiniteSkip_batchesWithNaN_areSkippedAndTheRunCompletes() {
    ArrayDataset train = Fixtures.digitsWithNaN(digits.manager());
    RunResult r =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(train)
            .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
            .nonFinite(NonFinitePolicy.SKIP)
            .iterations(66)
            .quiet()
            .fit();
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    // 22 batches per pass, 3 passes, up to 3 poisoned batches per pass
    assertThat(r.skippedSteps()).isBetween(3L, 9L);
    assertThat(r.last("train", "loss")).isFinite().isLessThan(1.0);
  }

  @Test
  void gradientClip_reportsNormAndKeepsLearning() {
    RunResult r =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train(), digits.validation())
            .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9))
            .gradientClip(GradientClipping.byNorm(0.5))
            .iterations(100)
            .logEvery(50)
            .quiet()
            .fit();
    Table h = r.history();
    Table norms = h.where(h.stringColumn("metric").isEqualTo("grad_norm"));
    assertThat(norms.rowCount()).isEqualTo(2);
    assertThat(norms.doubleColumn("value").get(0)).isPositive();
    assertThat(r.last("validation", "loss")).isLessThan(1.0);
  }

  @Test
  void schedule_lambda_setsTheLearningRateOfEachReport() {
    ArrayDataset train = digits.train();
    RunResult r =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(train)
            .optimizer(Optimizers.sgd().lr(0.1))
            .schedule(step -> 0.1 / (1 + step))
            .iterations(30)
            .logEvery(10)
            .quiet()
            .fit();
    List<Double> lrs = new ArrayList<>(r.history().doubleColumn("lr").asList());
    // the lr of update n is schedule.lr(n - 1): after 10 updates, 0.1 / 10
    assertThat(lrs).containsExactly(0.1 / 10, 0.1 / 20, 0.1 / 30);
  }
}
