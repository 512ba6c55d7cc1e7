package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.SplitData;
import dev.runkit.model.Mlp;
import dev.runkit.optim.Optimizers;
import dev.runkit.schedule.Schedules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written by an earlier RunKit resume exactly. The files in {@code
 * src/test/resources/checkpoints/v1/} were written by {@link #main} at commit 2c2e1a8 (the loop
 * before it was split into its parts), with that commit's build on the classpath: {@code java -cp
 * CLASSPATH dev.runkit.run.EarlierCheckpointsTest OUT_DIR}. The run has dropout (its resume replays
 * the generator), AdamW with a warm-up schedule, metrics and early stopping, and stopped at 30,
 * between its checkpoints at 20 and 40.
 */
class EarlierCheckpointsTest {

  private static final List<String> FILES =
      List.of("ckpt-000000020.rkc", "ckpt-000000030.rkc", "best.rkc");

  @TempDir Path uninterrupted;
  @TempDir Path resumed;

  @Test
  void resume_checkpointOfVersion1_endsLikeUninterruptedRun() throws IOException {
    for (String name : FILES) {
      try (InputStream in = getClass().getResourceAsStream("/checkpoints/v1/" + name)) {
        assertThat(in).as(name).isNotNull();
        Files.copy(in, resumed.resolve(name));
      }
    }
    RunResult whole = fit(uninterrupted);
    RunResult continued = fit(resumed);
    assertThat(continued.iterations()).isEqualTo(60);
    ResumeTest.assertEndsAlike(whole, continued);
    whole.model().close();
    continued.model().close();
  }

  private static RunResult fit(Path dir, Callback... extra) {
    SplitData digits =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.15, 0.15), 42);
    return Runner.with(Mlp.outputs(10).hidden(32).dropout(0.3).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits, 64)
        .optimizer(Optimizers.adamW().lr(3e-3).weightDecay(0.01))
        .schedule(Schedules.cosineWithWarmup(10, 60))
        .metrics(Metrics.accuracy())
        .earlyStopping(EarlyStopping.on(Monitor.max("accuracy")).patience(5))
        .iterations(60)
        .validateEvery(20)
        // the default when the fixture was written; a later default must not change the history
        .logEvery(3)
        .checkpoints(Checkpoints.to(dir).every(20))
        .resume()
        .callbacks(extra)
        .quiet()
        .fit();
  }

  /**
   * Writes the checkpoints of a run stopped at 30 into a folder.
   *
   * @param args the folder
   */
  public static void main(String[] args) {
    RunResult r = fit(Path.of(args[0]), Fixtures.stopAt(30, "stopped to write the fixture"));
    System.out.println(r.stopReason() + " at " + r.iterations());
    r.model().close();
  }
}
