package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CallbackTest {

  @TempDir Path dir;
  @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);

  private Runner runner(Block block, long iterations) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train(), digits.validation())
        .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
        .iterations(iterations)
        .validateEvery(10)
        .quiet();
  }

  /** Records every hook call. */
  static final class Recorder implements Callback {
    final List<String> events = new ArrayList<>();

    @Override
    public void onStart(RunContext c) {
      events.add("start@" + c.iteration());
    }

    @Override
    public void onIterationStart(RunContext c) {
      events.add("iterationStart");
    }

    @Override
    public void onIterationEnd(RunContext c) {
      events.add("iterationEnd");
    }

    @Override
    public void onValidationEnd(RunContext c, Map<String, Double> metrics) {
      events.add("validation@" + c.iteration() + metrics.keySet());
    }

    @Override
    public void onCheckpoint(RunContext c, Path file, CheckpointKind kind) {
      events.add("checkpoint " + kind + " " + file.getFileName() + "@" + c.iteration());
    }

    @Override
    public void onEnd(RunContext c, StopReason reason) {
      events.add("end " + reason);
    }

    @Override
    public void onException(RunContext c, Throwable error) {
      events.add("exception " + error.getMessage());
    }
  }

  @Test
  void fit_recorder_seesEveryHookInOrder() {
    Recorder rec = new Recorder();
    runner(Fixtures.mlp(10), 20)
        .checkpoints(Checkpoints.to(dir).atValidation(false).every(20))
        .callbacks(rec)
        .fit();
    assertThat(rec.events.get(0)).isEqualTo("start@0");
    assertThat(rec.events.stream().filter("iterationStart"::equals)).hasSize(20);
    assertThat(rec.events.stream().filter("iterationEnd"::equals)).hasSize(20);
    assertThat(rec.events)
        .containsSubsequence(
            "validation@10[loss]",
            "validation@20[loss]",
            "checkpoint PERIODIC ckpt-000000020.rkc@20",
            "end COMPLETED");
    assertThat(rec.events.get(rec.events.size() - 1)).isEqualTo("end COMPLETED");
  }

  @Test
  void onCheckpoint_everyKind_calledForEachFileWritten() {
    Recorder rec = new Recorder();
    RunResult r =
        runner(Fixtures.mlp(10), 25)
            .checkpoints(Checkpoints.to(dir).atValidation(false).every(10))
            .callbacks(rec)
            .fit();
    List<String> saved = rec.events.stream().filter(e -> e.startsWith("checkpoint")).toList();
    // the best is written at the validation, the periodic one after it
    assertThat(saved)
        .startsWith("checkpoint BEST best.rkc@10", "checkpoint PERIODIC ckpt-000000010.rkc@10")
        .contains("checkpoint PERIODIC ckpt-000000020.rkc@20")
        .endsWith("checkpoint FINAL ckpt-000000025.rkc@25");
    assertThat(saved.stream().filter(e -> e.startsWith("checkpoint BEST")))
        .hasSizeBetween(1, 3)
        .last()
        .isEqualTo("checkpoint BEST best.rkc@" + r.bestIteration());
    assertThat(saved).hasSize(3 + (int) saved.stream().filter(e -> e.contains("BEST")).count());
  }

  @Test
  void requestStop_atIterationSeven_stopsThereWithTheReason() {
    RunResult r =
        runner(Fixtures.mlp(10), 100)
            .callbacks(
                new Callback() {
                  @Override
                  public void onIterationEnd(RunContext c) {
                    if (c.iteration() == 7) {
                      c.requestStop("enough for today");
                    }
                  }
                })
            .fit();
    assertThat(r.stopReason()).isEqualTo(StopReason.REQUESTED);
    assertThat(r.message()).isEqualTo("enough for today");
    assertThat(r.iterations()).isEqualTo(7);
  }

  @Test
  void hookThrows_runEndsFailedWithoutThrowing() {
    Recorder rec = new Recorder();
    RunResult r =
        runner(Fixtures.mlp(10), 100)
            .callbacks(
                rec,
                new Callback() {
                  @Override
                  public void onIterationEnd(RunContext c) {
                    if (c.iteration() == 3) {
                      throw new IllegalStateException("boom at 3");
                    }
                  }
                })
            .fit();
    assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
    assertThat(r.error()).get().extracting(Throwable::getMessage).isEqualTo("boom at 3");
    assertThat(r.message()).isEqualTo("java.lang.IllegalStateException: boom at 3");
    assertThat(rec.events).endsWith("exception boom at 3", "end FAILED");
  }

  /** Counts iterations; its count is checkpointed. */
  static final class Counter implements Callback {
    long count;

    @Override
    public void onIterationEnd(RunContext c) {
      count++;
    }

    @Override
    public Map<String, String> state() {
      return Map.of("count", Long.toString(count));
    }

    @Override
    public void restore(Map<String, String> state) {
      count = Long.parseLong(state.getOrDefault("count", "0"));
    }
  }

  @Test
  void callbackState_isCheckpointedAndRestoredOnResume() {
    Counter first = new Counter();
    runner(Fixtures.mlp(10), 20).checkpoints(Checkpoints.to(dir).every(20)).callbacks(first).fit();
    assertThat(first.count).isEqualTo(20);
    Counter second = new Counter();
    RunResult r =
        runner(Fixtures.mlp(10), 30)
            .checkpoints(Checkpoints.to(dir).every(20))
            .resume()
            .callbacks(second)
            .fit();
    assertThat(r.iterations()).isEqualTo(30);
    assertThat(second.count).isEqualTo(30);
  }

  @Test
  void earlyStopping_noImprovement_stopsAfterPatienceAndRestoresBest() {
    Block block = Fixtures.mlp(10);
    List<NDArray> weights = new ArrayList<>();
    float[][] bestSeen = new float[1][];
    RunResult r =
        runner(block, 200)
            .earlyStopping(EarlyStopping.on(Monitor.min("loss")).patience(2).restoreBest())
            .callbacks(
                new Callback() {
                  @Override
                  public void onIterationStart(RunContext c) {
                    if (weights.isEmpty()) {
                      block.getParameters().forEach(p -> weights.add(p.getValue().getArray()));
                    }
                    // from iteration 30 on the model is wrecked: validation can only get worse
                    if (c.iteration() >= 30) {
                      weights.forEach(w -> w.muli(0));
                    }
                  }

                  @Override
                  public void onValidationEnd(RunContext c, Map<String, Double> metrics) {
                    if (c.iteration() == 30) {
                      bestSeen[0] = weights.get(0).toFloatArray();
                    }
                  }
                })
            .fit();
    assertThat(r.stopReason()).isEqualTo(StopReason.EARLY_STOPPED);
    assertThat(r.iterations()).isEqualTo(50);
    assertThat(r.bestIteration()).isEqualTo(30);
    assertThat(r.message())
        .startsWith("no improvement of validation loss for 2 validations (best ")
        .endsWith(" at iteration 30)");
    assertThat(weights.get(0).toFloatArray()).containsExactly(bestSeen[0]);
  }
}
