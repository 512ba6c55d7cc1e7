package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

  private static final Progress P = new Progress(250, 1000, 0.12345, 0.001, 50.0, 15.0, Map.of());

  @Test
  void format_report_showsIterationLossLrSpeedEta() {
    assertThat(ConsoleProgress.format(P))
        .isEqualTo("iter 250/1000  loss 0.1235  lr 0.00100  50.0 it/s  ETA 0:15");
  }

  @Test
  void inPlace_terminal_rewritesOneLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress c =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    c.onProgress(P);
    c.onProgress(P);
    c.onEnd(StopReason.COMPLETED, "done");
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("\riter 250/1000").contains("\u001b[K\riter 250/1000");
    // one line end after the progress line, one after the stop line
    assertThat(out.chars().filter(ch -> ch == '\n')).hasSize(2);
  }

  @Test
  void notATerminal_printsPeriodicLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress c =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    c.onProgress(P);
    c.onProgress(P);
    c.onEnd(StopReason.COMPLETED, "done");
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            ConsoleProgress.format(P), ConsoleProgress.format(P), "stopped: COMPLETED (done)");
  }

  @Test
  void onResume_console_printsTheCheckpointAndIteration() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress c =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    c.onResume(Path.of("run", "ckpt-000000250.rkc"), 250);
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "resumed from " + Path.of("run", "ckpt-000000250.rkc") + " at iteration 250");
  }

  @Test
  void fit_resumed_listenerToldOnceWithTheCheckpointAndItsIteration(@TempDir Path dir) {
    List<String> resumes = new ArrayList<>();
    List<String> freshRuns = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      var data = Fixtures.digits(manager, 64)[0];
      for (List<String> record : List.of(freshRuns, resumes)) {
        Runner runner =
            Runner.with(Fixtures.mlp(10))
                .loss(Loss.softmaxCrossEntropyLoss())
                .data(data)
                .optimizer(Optimizers.sgd().lr(0.05))
                .iterations(record == freshRuns ? 20 : 40)
                .checkpoints(Checkpoints.to(dir).every(20))
                .progress(
                    new ProgressListener() {
                      @Override
                      public void onProgress(Progress progress) {}

                      @Override
                      public void onResume(Path checkpoint, long iteration) {
                        record.add(checkpoint.getFileName() + " at " + iteration);
                      }
                    });
        (record == resumes ? runner.resume() : runner).fit();
      }
    }
    assertThat(freshRuns).isEmpty();
    assertThat(resumes).containsExactly("ckpt-000000020.rkc at 20");
  }

  @Test
  void fit_listener_getsOneReportPerLogInterval() {
    List<Progress> reports = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      Runner.with(Fixtures.mlp(10))
          .loss(Loss.softmaxCrossEntropyLoss())
          .data(Fixtures.digits(manager, 64)[0])
          .optimizer(Optimizers.sgd().lr(0.05))
          .iterations(100)
          .logEvery(25)
          .progress(reports::add)
          .fit();
    }
    assertThat(reports).extracting(Progress::iteration).containsExactly(25L, 50L, 75L, 100L);
    assertThat(reports.get(3).total()).isEqualTo(100);
    assertThat(reports.get(3).lr()).isEqualTo(0.05);
    assertThat(reports.get(3).latest()).containsKey("train/loss");
    assertThat(reports.get(3).loss()).isLessThan(reports.get(0).loss());
  }
}
