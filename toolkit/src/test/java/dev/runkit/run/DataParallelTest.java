package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.Optimizers;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data parallel over several replicas equals one device: replicas are indexed by position, so
 * {@code [cpu, cpu]} runs the real split, reduce and broadcast on this machine's CPU.
 */
class DataParallelTest {

  private static final float TOLERANCE = 1e-5f;

  @TempDir Path dir;
  @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);

  private static List<Device> cpus(int n) {
    return Collections.nCopies(n, Device.cpu());
  }

  private static Supplier<Optimizer> optimizer(String name) {
    return switch (name) {
      case "sgd-momentum" -> () -> Optimizers.sgd().lr(0.1).momentum(0.9).build();
      case "adamw" -> () -> Optimizers.adamW().lr(3e-3).weightDecay(0.05).build();
      case "djl-sgd" -> () -> Fixtures.sgd(0.1f);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private Runner runner(Block block, Optimizer optimizer, int batchSize, int replicas) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train(), digits.validation())
        .batchSize(batchSize)
        .optimizer(optimizer)
        .metrics(Metrics.accuracy())
        .seed(11)
        .devices(cpus(replicas))
        .quiet();
  }

  /**
   * Reads a run's parameters; the fence keeps its model reachable meanwhile, since DJL closes a
   * collected model's arrays.
   */
  private static Map<String, float[]> parameters(RunResult r) {
    try {
      return ResumeChild.parameters(r.model().getBlock());
    } finally {
      Reference.reachabilityFence(r);
    }
  }

  private static void assertSameParameters(RunResult a, RunResult b, float tolerance) {
    Map<String, float[]> pa = parameters(a);
    Map<String, float[]> pb = parameters(b);
    assertThat(pb.keySet()).isEqualTo(pa.keySet());
    for (String name : pa.keySet()) {
      assertThat(pb.get(name)).as(name).containsExactly(pa.get(name), within(tolerance));
    }
  }

  @ParameterizedTest(name = "{0}, batch {1}, {2} replicas")
  @CsvSource({
    "sgd-momentum, 64, 2",
    "sgd-momentum, 45, 2",
    "adamw, 64, 2",
    "adamw, 45, 2",
    "adamw, 10, 3",
    "djl-sgd, 45, 2"
  })
  void replicas_sameDataAndSeed_equalOneDevice(String name, int batchSize, int replicas) {
    IntFunction<RunResult> run =
        n ->
            runner(Fixtures.mlp(32, 10), optimizer(name).get(), batchSize, n)
                .iterations(30)
                .logEvery(10)
                .fit();
    RunResult r1 = run.apply(1);
    RunResult rn = run.apply(replicas);
    assertThat(rn.stopReason()).as(rn.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(rn.devices()).isEqualTo(cpus(replicas));
    assertThat(r1.devices()).isEqualTo(cpus(1));
    assertSameParameters(r1, rn, TOLERANCE);
    // the training meters see every slice: loss and accuracy as on one device
    assertThat(rn.last("train", "loss")).isCloseTo(r1.last("train", "loss"), within(1e-5));
    assertThat(rn.last("train", "accuracy")).isCloseTo(r1.last("train", "accuracy"), within(1e-6));
    assertThat(rn.last("validation", "accuracy"))
        .isCloseTo(r1.last("validation", "accuracy"), within(1e-6));
  }

  @Test
  void replicas_accumulationAndClipping_equalOneDevice() {
    IntFunction<RunResult> run =
        replicas ->
            runner(Fixtures.mlp(32, 10), optimizer("sgd-momentum").get(), 33, replicas)
                .accumulate(3)
                .gradientClip(GradientClipping.byNorm(0.5))
                .iterations(20)
                .logEvery(5)
                .fit();
    RunResult r1 = run.apply(1);
    RunResult r2 = run.apply(2);
    assertSameParameters(r1, r2, TOLERANCE);
    // clipping was active, so equality covers the clipped update too
    assertThat(r1.last("train", "grad_norm")).isGreaterThan(0.5);
    assertThat(r2.last("train", "grad_norm"))
        .isCloseTo(r1.last("train", "grad_norm"), within(1e-4));
  }

  @Test
  void replicas_nonFiniteSkip_skipTheSameStepsAsOneDevice() {
    ArrayDataset train = Fixtures.digitsWithNaN(digits.manager());
    RunResult[] results = new RunResult[2];
    for (int n = 1; n <= 2; n++) {
      results[n - 1] =
          Runner.with(Fixtures.mlp(32, 10))
              .loss(Loss.softmaxCrossEntropyLoss())
              .data(train)
              .batchSize(45)
              .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
              .nonFinite(NonFinitePolicy.SKIP)
              .devices(cpus(n))
              .iterations(40)
              .quiet()
              .fit();
    }
    assertThat(results[1].stopReason()).as(results[1].message()).isEqualTo(StopReason.COMPLETED);
    // a NaN row in either slice poisons the reduced gradients, so the whole batch is skipped
    assertThat(results[0].skippedSteps()).isPositive();
    assertThat(results[1].skippedSteps()).isEqualTo(results[0].skippedSteps());
    assertSameParameters(results[0], results[1], TOLERANCE);
  }

  @Test
  void replicas_equalWeightsPerSlice_wouldDiffer() {
    // guards the test above: batches of 45 split 23 + 22, and a run on batches of 23 (what a
    // replica sees alone) ends elsewhere, so equality is not reached by accident
    RunResult one =
        runner(Fixtures.mlp(32, 10), optimizer("sgd-momentum").get(), 45, 1).iterations(10).fit();
    RunResult half =
        runner(Fixtures.mlp(32, 10), optimizer("sgd-momentum").get(), 23, 1).iterations(10).fit();
    Map<String, float[]> a = parameters(one);
    Map<String, float[]> b = parameters(half);
    String first = a.keySet().iterator().next();
    assertThat(b.get(first)).isNotEqualTo(a.get(first));
  }

  @Test
  void checkpoint_writtenByTwoReplicas_resumesOnTwoOrOne() {
    Supplier<Optimizer> sgd = optimizer("sgd-momentum");
    RunResult full =
        runner(Fixtures.mlp(32, 10), sgd.get(), 45, 2)
            .iterations(30)
            .checkpoints(Checkpoints.to(dir).every(10).keepLast(10))
            .fit();
    assertThat(full.stopReason()).isEqualTo(StopReason.COMPLETED);
    Path at20 = dir.resolve(String.format("ckpt-%09d.rkc", 20));
    assertThat(at20).exists();

    RunResult r = runner(Fixtures.mlp(32, 10), sgd.get(), 45, 2).iterations(30).resume(at20).fit();
    assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    assertSameParameters(full, r, 1e-6f);

    RunResult onOne =
        runner(Fixtures.mlp(32, 10), sgd.get(), 45, 1).iterations(30).resume(at20).fit();
    assertThat(onOne.stopReason()).as(onOne.message()).isEqualTo(StopReason.COMPLETED);
    assertSameParameters(full, onOne, TOLERANCE);
  }

  @Test
  void lrFinder_twoReplicas_matchesOneDevice() {
    LrFinder finder = LrFinder.range(1e-4, 1).steps(20);
    LrFinderResult a =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Optimizers.sgd().lr(0.1))
            .seed(3)
            .lrFinder(finder);
    LrFinderResult b =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Optimizers.sgd().lr(0.1))
            .seed(3)
            .devices(cpus(2))
            .lrFinder(finder);
    assertThat(b.losses()).containsExactly(a.losses(), within(1e-5));
  }

  @Test
  void devices_gpuTheEngineDoesNotSee_throwsNamingWhatExists() {
    Engine engine = Engine.getInstance();
    int gpus = engine.getGpuCount();
    Runner runner = Runner.with(Fixtures.mlp(10));
    assertThatThrownBy(() -> runner.devices(Device.cpu(), Device.gpu(gpus)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "devices[1] asks for \"gpu("
                + gpus
                + ")\", but MXNet sees "
                + gpus
                + (gpus == 1 ? " GPU" : " GPUs")
                + "; available here: ")
        .hasMessageContaining("[cpu");
  }

  @Test
  void devices_djlGpuWithoutIndex_throwsBeforeTheRun() {
    // Device.fromName("gpu") is gpu(-1): it used to pass the check and fail inside MXNet at fit()
    Engine engine = Engine.getInstance();
    int gpus = engine.getGpuCount();
    Runner runner = Runner.with(Fixtures.mlp(10));
    assertThatThrownBy(() -> runner.devices(Device.fromName("gpu")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "devices[0] asks for \"gpu(-1)\", but MXNet sees "
                + gpus
                + (gpus == 1 ? " GPU" : " GPUs")
                + "; available here: [cpu");
  }

  @Test
  void devices_empty_throws() {
    Runner runner = Runner.with(Fixtures.mlp(10));
    assertThatThrownBy(() -> runner.devices(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("devices must name at least one device, got []");
  }

  @Test
  void devices_default_isTheModelsDevice() {
    RunResult r =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Optimizers.sgd().lr(0.1))
            .iterations(2)
            .quiet()
            .fit();
    assertThat(r.devices())
        .isEqualTo(Devices.defaults(Engine.getInstance().defaultDevice(), Engine.getInstance()));
    assertThat(r.devices().get(0)).isEqualTo(Engine.getInstance().defaultDevice());
  }
}
