package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.run.Checkpoints;
import dev.runkit.run.Fixtures;
import dev.runkit.sweep.spark.SparkJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * {@code runkit sweep} and {@code runkit sweep resume}: real {@code runkit} processes killed with
 * SIGKILL or stopped with SIGTERM mid-sweep, then resumed; messages and exit codes.
 */
class SweepCommandTest {

  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Longer trials, every one to the end, for stopping mid-trial with workers. */
  private static final List<String> FIFO =
      List.of(
          "--set",
          "SWEEP.SCHEDULER={TYPE: fifo}",
          "--set",
          "SWEEP.TRIALS=4",
          "--set",
          "TRAIN.NUM_ITERATIONS=300",
          "--set",
          "TRAIN.LR_SCHEDULER.PARAM.num_training_steps=300");

  private static String sweepFile() {
    try {
      return Path.of(SweepCommandTest.class.getResource("/configs/sweep-digits-asha.yaml").toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrintStream stream(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private int sweep(String... args) {
    return new SweepCommand().run(List.of(args), stream(out), stream(err));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Runs the sweep file uninterrupted in this process; returns its sweep directory. */
  private Path uninterrupted(String name, List<String> sets) {
    List<String> args =
        new ArrayList<>(List.of(sweepFile(), "--set", "RUN_DIR=" + tmp.resolve(name)));
    args.addAll(sets);
    assertThat(new SweepCommand().run(args, stream(new ByteArrayOutputStream()), stream(err)))
        .as(err())
        .isZero();
    return tmp.resolve(name + "-sweep");
  }

  /** Starts {@code runkit sweep} in a child JVM; its sweep directory is {@code name-sweep}. */
  private Process child(String name, List<String> more) throws Exception {
    return child(name, more, List.of());
  }

  /** The same with options for the child JVM (Spark's on Java 17). */
  private Process child(String name, List<String> more, List<String> jvmOptions) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("sweep", sweepFile(), "--set", "RUN_DIR=" + tmp.resolve(name)));
    args.addAll(more);
    ProcessBuilder builder =
        Fixtures.javaProcess(Main.class, tmp.resolve(name + ".log"), args.toArray(String[]::new));
    builder.command().addAll(1, jvmOptions);
    return builder.start();
  }

  private static void await(Process child, BooleanSupplier ready) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!ready.getAsBoolean() && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static String events(Path dir) {
    try {
      return Files.exists(dir.resolve("trials.jsonl"))
          ? Files.readString(dir.resolve("trials.jsonl"))
          : "";
    } catch (Exception e) {
      return ""; // being written
    }
  }

  private static void assertSameTrialsCsv(Path expected, Path actual) {
    Table a = Table.read().csv(expected.resolve("trials.csv").toFile());
    Table b = Table.read().csv(actual.resolve("trials.csv").toFile());
    assertThat(b.rowCount()).isEqualTo(a.rowCount());
    assertThat(b.column("status").asList()).isEqualTo(a.column("status").asList());
    assertThat(b.column("iterations").asList()).isEqualTo(a.column("iterations").asList());
    assertThat(b.column("best_iteration").asList()).isEqualTo(a.column("best_iteration").asList());
    for (int i = 0; i < a.rowCount(); i++) {
      assertThat(b.doubleColumn("objective").getDouble(i))
          .as("trial %d objective", i)
          .isCloseTo(a.doubleColumn("objective").getDouble(i), within(1e-6));
      assertThat(b.doubleColumn("TRAIN.OPTIM.PARAM.lr").getDouble(i))
          .isEqualTo(a.doubleColumn("TRAIN.OPTIM.PARAM.lr").getDouble(i));
    }
  }

  /** Every file of a directory by relative path: its modification time and a hash of its bytes. */
  private static Map<String, String> state(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        out.put(
            dir.relativize(f).toString(),
            Files.getLastModifiedTime(f).toMillis() + " " + HexFormat.of().formatHex(hash));
      }
    }
    return out;
  }

  @Test
  void sweep_sigkillMidSweep_resumeEndsWithTheSameTrialsCsv_andTouchesNoRecordedTrial()
      throws Exception {
    Path whole = uninterrupted("whole", List.of());
    Path dir = tmp.resolve("killed-sweep");
    Process child = child("killed", List.of());
    // after trial-000 completed (promoted from its rung), once trial-004 has a checkpoint
    Path checkpoints = dir.resolve("trial-004").resolve("checkpoints");
    await(child, () -> !Checkpoints.periodic(checkpoints).isEmpty());
    String log = Files.readString(tmp.resolve("killed.log"));
    assertThat(child.isAlive()).as(log).isTrue();
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137);
    assertThat(events(dir)).doesNotContain("\"end\"");
    // trials 0 to 3 have their results recorded, and the uninterrupted sweep trains them no
    // further: resuming must not touch them
    Map<Integer, Map<String, String>> before = new TreeMap<>();
    for (int t = 0; t < 4; t++) {
      before.put(t, state(dir.resolve(String.format("trial-%03d", t))));
    }
    Thread.sleep(20); // a rewrite would show in the modification times

    int status = sweep("resume", dir.toString());

    assertThat(status).as(err()).isZero();
    assertThat(out())
        .startsWith("resuming the sweep in " + dir + "\n")
        .contains("trial-004 continued from iteration ")
        .contains("trial-004 finished: validation/accuracy")
        .contains("6 trials: 2 completed, 4 pruned")
        .contains("best: trial-000, validation/accuracy = ");
    assertThat(out()).doesNotContain("trial-000 ", "trial-001 started", "trial-003 started");
    assertSameTrialsCsv(whole, dir);
    for (int t = 0; t < 4; t++) {
      assertThat(state(dir.resolve(String.format("trial-%03d", t))))
          .as("trial %d", t)
          .isEqualTo(before.get(t));
    }
    assertThat(Files.readString(dir.resolve("best.yaml")))
        .isEqualTo(Files.readString(whole.resolve("best.yaml")));
  }

  /**
   * The trials on Spark ({@code --spark local[2]}: each task's trial in one of two local worker
   * processes): the driver SIGKILLed after a trial is recorded takes its workers with it, and
   * {@code sweep resume DIR --spark local[2]} touches no recorded trial and ends as the
   * uninterrupted sweep.
   */
  @Test
  void sweep_sparkDriverSigkilled_resumeOnSparkEndsAlike_andTouchesNoRecordedTrial()
      throws Exception {
    Path dir = tmp.resolve("spark-sweep");
    List<String> args = new ArrayList<>(FIFO);
    args.addAll(List.of("--spark", "local[2]"));
    Process child = child("spark", args, SparkJvm.moduleOptions());
    await(child, () -> events(dir).contains("\"event\":\"result\""));
    assertThat(child.isAlive()).as(Files.readString(tmp.resolve("spark.log"))).isTrue();
    List<ProcessHandle> workers = child.descendants().toList();
    assertThat(workers).as("the trials' worker processes").hasSize(2);
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle w : workers) {
      assertThat(w.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    Map<Integer, Map<String, String>> recorded = new TreeMap<>();
    for (int t = 0; t < 4; t++) {
      if (events(dir).contains("\"event\":\"result\",\"trial\":" + t + ",")) {
        recorded.put(t, state(dir.resolve(String.format("trial-%03d", t))));
      }
    }
    assertThat(recorded).isNotEmpty();
    Thread.sleep(20); // a rewrite would show in the modification times

    assertThat(sweep("resume", dir.toString(), "--spark", "local[2]")).as(err()).isZero();

    assertSameTrialsCsv(uninterrupted("whole", FIFO), dir);
    for (Map.Entry<Integer, Map<String, String>> e : recorded.entrySet()) {
      assertThat(state(dir.resolve(String.format("trial-%03d", e.getKey()))))
          .as("trial %d", e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(Files.readString(dir.resolve("trial-003").resolve("spark-tasks.log")))
        .contains("executor driver");
  }

  @Test
  void sweep_sigtermWithWorkers_stopsTheTrialsAtACheckpoint_thenResumeEndsAsUninterrupted()
      throws Exception {
    Path dir = tmp.resolve("stopped-sweep");
    List<String> args = new ArrayList<>(FIFO);
    args.addAll(List.of("--workers", "2"));
    Process child = child("stopped", args);
    Path checkpoints = dir.resolve("trial-001").resolve("checkpoints");
    await(child, () -> Checkpoints.periodic(checkpoints).stream().anyMatch(i -> i >= 20));
    assertThat(child.isAlive()).as(Files.readString(tmp.resolve("stopped.log"))).isTrue();
    List<ProcessHandle> workers = child.descendants().toList();
    assertThat(workers).hasSize(2);
    child.destroy(); // SIGTERM
    assertThat(child.waitFor(SignalStop.WAIT_SECONDS + 30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(tmp.resolve("stopped.log"));
    assertThat(child.exitValue()).as(output).isEqualTo(143);
    assertThat(output)
        .contains("stopping the running trials after their iteration in progress")
        .contains("stopped; `runkit sweep resume " + dir + "` continues the sweep");
    assertThat(events(dir)).doesNotContain("\"end\"");
    // trial-001 stopped after the iteration in progress, with a checkpoint there
    List<Long> saved = Checkpoints.periodic(checkpoints);
    long stoppedAt = saved.get(saved.size() - 1);
    assertThat(stoppedAt).isBetween(20L, 299L);
    Table history = Table.read().csv(dir.resolve("trial-001").resolve("history.csv").toFile());
    assertThat((long) history.intColumn("iteration").max()).isEqualTo(stoppedAt);
    for (ProcessHandle w : workers) {
      assertThat(w.isAlive()).as("worker %d after the sweep", w.pid()).isFalse();
    }

    assertThat(sweep("resume", dir.toString(), "--workers", "2")).as(err()).isZero();
    assertThat(out())
        .contains("trial-001 continued from iteration " + stoppedAt + " to iteration 300");
    assertSameTrialsCsv(uninterrupted("whole", FIFO), dir);
  }

  @Test
  void sweep_sigkillWithWorkers_theWorkersEndWithIt_andAResumeInThisProcessEndsAlike()
      throws Exception {
    Path dir = tmp.resolve("killed-sweep");
    List<String> args = new ArrayList<>(FIFO);
    args.addAll(List.of("--workers", "2"));
    Process child = child("killed", args);
    await(child, () -> events(dir).contains("\"event\":\"result\""));
    assertThat(child.isAlive()).as(Files.readString(tmp.resolve("killed.log"))).isTrue();
    List<ProcessHandle> workers = child.descendants().toList();
    assertThat(workers).hasSize(2);
    child.destroyForcibly(); // SIGKILL: the workers' standard input closes
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle w : workers) {
      assertThat(w.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    assertThat(sweep("resume", dir.toString())).as(err()).isZero();
    assertSameTrialsCsv(uninterrupted("whole", FIFO), dir);
  }

  @Test
  void sweep_help_badWorkers_resumeWithSet_areAnsweredBeforeAnyTrial() {
    assertThat(sweep("--help")).isZero();
    assertThat(out()).isEqualTo("usage: runkit " + SweepCommand.USAGE + "\n");
    assertThat(sweep(sweepFile(), "--workers", "two")).isEqualTo(2);
    assertThat(sweep(sweepFile(), "--workers", "0")).isEqualTo(2);
    assertThat(sweep("resume", tmp.toString(), "--set", "SWEEP.TRIALS=3")).isEqualTo(2);
    assertThat(sweep("resume")).isEqualTo(2);
    assertThat(sweep("resume", tmp.resolve("none").toString())).isEqualTo(2);
    assertThat(sweep(sweepFile(), "--worker", "2")).isEqualTo(2);
    assertThat(sweep(sweepFile(), "--workers", "2", "--spark", "local[2]")).isEqualTo(2);
    assertThat(
            sweep(
                sweepFile(),
                "--set",
                "RUN_DIR=" + tmp.resolve("bad"),
                "--set",
                "SWEEP.SAMPLER.TYPE=tp"))
        .isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            String.join(
                "\n",
                "runkit sweep: --workers must be a whole number >= 1 (worker processes), got"
                    + " \"two\"",
                "runkit sweep: --workers must be a whole number >= 1 (worker processes), got \"0\"",
                "runkit sweep: sweep resume takes no --set: a resumed sweep keeps the settings its"
                    + " log was written with (--workers N or --spark MASTER chooses where its trials"
                    + " run)",
                "runkit sweep: missing SWEEP_DIR; usage: runkit " + SweepCommand.USAGE,
                "runkit sweep: "
                    + tmp.resolve("none")
                    + " is not a directory with trials.jsonl (made by a sweep's fit or `runkit"
                    + " sweep`)",
                "runkit sweep: Unknown option \"--worker\"; expected one of [--set, --workers,"
                    + " --spark]. Did you mean \"--workers\"? Usage: "
                    + SweepCommand.USAGE,
                "runkit sweep: --workers and --spark both choose where the trials run: give one of"
                    + " them",
                "runkit sweep: Unknown sampler \"tp\" at SWEEP.SAMPLER.TYPE; expected one of [grid,"
                    + " random, tpe]. Did you mean \"tpe\"?",
                ""));
    assertThat(out()).doesNotContain("started");
    assertThat(tmp.resolve("bad-sweep")).doesNotExist();
  }
}
