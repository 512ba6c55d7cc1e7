package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runkit.run.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** SIGTERM to a real {@code runkit train} process: a cooperative stop with every file written. */
class SignalStopTest {

  private static final int ITERATIONS = 2000;

  @TempDir Path tmp;

  @Test
  void train_sigtermMidRun_stopsWithHistoryPlotsAndCheckpointThenResumes() throws Exception {
    Path run = tmp.resolve("run");
    Path log = tmp.resolve("child.log");
    Process child =
        Fixtures.javaProcess(
                Main.class,
                log,
                "train",
                config(),
                "--set",
                "RUN_DIR=" + run,
                "--set",
                "TRAIN.NUM_ITERATIONS=" + ITERATIONS,
                "--quiet")
            .start();
    // mid-run: once the first checkpoint is there (at the first validation, iteration 20)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (checkpoints(run).isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(child.isAlive()).as(Files.readString(log)).isTrue();
    child.destroy(); // SIGTERM on Unix
    assertThat(child.waitFor(SignalStop.WAIT_SECONDS + 30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);

    assertThat(child.exitValue()).as(output).isEqualTo(143);
    assertThat(output)
        .contains("stopping after this iteration")
        .contains("REQUESTED after")
        .contains("interrupted by a signal (Ctrl-C or SIGTERM)");
    assertThat(run.resolve(RunDirectory.HISTORY)).exists();
    assertThat(run.resolve("curves.png")).exists();
    Table history = Table.read().csv(run.resolve(RunDirectory.HISTORY).toFile());
    int stoppedAt = (int) history.intColumn("iteration").max();
    assertThat(stoppedAt).isBetween(20, ITERATIONS - 1);
    // the stop wrote a checkpoint of the iteration it stopped at
    assertThat(checkpoints(run)).contains(String.format("ckpt-%09d.rkc", stoppedAt));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new ResumeCommand()
            .run(
                List.of(run.toString(), "--quiet"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("COMPLETED after " + ITERATIONS);
  }

  private static List<String> checkpoints(Path run) throws Exception {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("ckpt-\\d+\\.rkc"))
          .toList();
    }
  }

  private static String config() throws URISyntaxException {
    return Path.of(SignalStopTest.class.getResource("/configs/digits-mlp.yaml").toURI()).toString();
  }
}
