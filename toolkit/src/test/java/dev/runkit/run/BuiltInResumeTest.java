package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact resume of runs that use DJL's built-in optimizers, whose state RunKit reads by reflection.
 */
class BuiltInResumeTest {

  @TempDir Path dir;
  @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);

  /** DJL's built-ins that can train on MXNet (its Adadelta closes the weights: refused). */
  static List<String> names() {
    return Fixtures.djlOptimizers().keySet().stream().filter(n -> !n.equals("adadelta")).toList();
  }

  private Runner runner(Block block, Optimizer optimizer, Checkpoints checkpoints) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train(), digits.validation())
        .optimizer(optimizer)
        .iterations(60)
        .validateEvery(30)
        .checkpoints(checkpoints)
        .quiet();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void resume_djlBuiltInAt30_endsLikeUninterruptedRun(String name) {
    var factory = Fixtures.djlOptimizers().get(name);
    Block whole = Fixtures.mlp(16, 10);
    RunResult a = runner(whole, factory.get(), Checkpoints.to(dir).every(30).keepLast(5)).fit();
    Checkpoint at30 = Checkpoint.read(dir.resolve("ckpt-000000030.rkc"));
    assertThat(at30.optimizerType()).isEqualTo(factory.get().getClass().getName());
    assertThat(at30.optimizer()).isNotEmpty();

    Block resumed = Fixtures.mlp(16, 10);
    RunResult b =
        runner(resumed, factory.get(), Checkpoints.to(dir.resolve("again")).every(30))
            .resume(dir.resolve("ckpt-000000030.rkc"))
            .fit();
    Map<String, float[]> x = ResumeChild.parameters(whole);
    Map<String, float[]> y = ResumeChild.parameters(resumed);
    for (String p : x.keySet()) {
      assertThat(y.get(p)).as(p).containsExactly(x.get(p), within(1e-6f));
    }
    assertThat(b.history().removeColumns("elapsed").printAll())
        .isEqualTo(a.history().removeColumns("elapsed").printAll());
  }

  @Test
  void resume_optimizerOfUnknownClass_checkpointsNoStateAndStillResumes() {
    // a subclass may hold state of its own: its checkpoints carry none (warned), resume restarts it
    Block first = Fixtures.mlp(16, 10);
    RunResult a = runner(first, new OwnAdam(), Checkpoints.to(dir).every(30).keepLast(5)).fit();
    assertThat(a.stopReason()).as(a.message()).isEqualTo(StopReason.COMPLETED);
    Checkpoint at30 = Checkpoint.read(dir.resolve("ckpt-000000030.rkc"));
    assertThat(at30.optimizer()).isEmpty();

    RunResult b =
        runner(Fixtures.mlp(16, 10), new OwnAdam(), Checkpoints.to(dir.resolve("again")).every(30))
            .resume(dir.resolve("ckpt-000000030.rkc"))
            .fit();
    assertThat(b.stopReason()).as(b.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(b.iterations()).isEqualTo(60);
  }

  @Test
  void optimizer_djlAdadelta_throwsBeforeTheRun() {
    assertThatThrownBy(
            () ->
                Runner.with(Fixtures.mlp(16, 10))
                    .optimizer(Fixtures.djlOptimizers().get("adadelta").get()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DJL's Adadelta closes the weights it updates on the MXNet engine");
  }

  /** A user's subclass of DJL's Adam: RunKit cannot know what state it adds. */
  private static final class OwnAdam extends Adam {
    OwnAdam() {
      super(Optimizer.adam());
    }
  }
}
