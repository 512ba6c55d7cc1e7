package dev.runkit.sweep.spark;

import static dev.runkit.sweep.spark.SparkFixtures.ASHA;
import static dev.runkit.sweep.spark.SparkFixtures.FIFO;
import static dev.runkit.sweep.spark.SparkFixtures.assertConsistentTrials;
import static dev.runkit.sweep.spark.SparkFixtures.assertSameTrials;
import static dev.runkit.sweep.spark.SparkFixtures.run;
import static dev.runkit.sweep.spark.SparkFixtures.sweepFile;
import static dev.runkit.sweep.spark.SparkFixtures.taskLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runkit.config.ConfigFiles;
import dev.runkit.run.Checkpoints;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Sweeps on a real Spark standalone cluster that the test starts on 127.0.0.1 (a Master and a
 * Worker JVM with three cores): the same training as in-process, a SIGKILLed executor, a folder the
 * executors do not share, and {@code spark-submit}. The sweeps in this JVM share one application of
 * two one-core executors, made as a config's executor makes it; {@code spark-submit}'s application
 * gets the third core.
 */
class SparkClusterIT {

  private static final Pattern PID = Pattern.compile(", pid (\\d+), ");

  @TempDir static Path tmp;
  private static LocalSparkCluster cluster;
  private static Path hidden;

  /** The executor that made the application all sweeps of this JVM share, and its context. */
  private static SparkExecutor boot;

  private static JavaSparkContext sc;

  @BeforeAll
  static void startClusterAndApplication() throws Exception {
    hidden = LocalSparkCluster.canHideFolders() ? tmp.resolve("not-shared") : null;
    cluster =
        LocalSparkCluster.start(
            Files.createDirectories(tmp.resolve("cluster")),
            Path.of(property("runkit.sparkLib")),
            Path.of(property("runkit.lib")),
            3,
            hidden);
    // one application for the sweeps in this JVM (each new one costs two executor JVMs), made
    // as a config's executor makes it: by name, checked, with RunKit's jars shipped
    Map<String, Object> section = ConfigFiles.parse("EXECUTOR: " + onCluster(), "test");
    boot =
        (SparkExecutor) TrialExecutors.build((Map<?, ?>) section.get("EXECUTOR"), "SWEEP.EXECUTOR");
    boot.prepare(tmp.resolve("boot-sweep"));
    sc = boot.context();
    awaitExecutors(2);
  }

  @AfterAll
  static void stopCluster() {
    if (boot != null) {
      boot.close();
    }
    if (cluster != null) {
      List<ProcessHandle> executors = cluster.executors();
      cluster.close();
      assertThat(executors).noneMatch(ProcessHandle::isAlive);
    }
  }

  private static void awaitExecutors(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (sc.sc().statusTracker().getExecutorInfos().length - 1 < n) {
      assertThat(System.nanoTime())
          .as("%d executors registered\n%s", n, cluster.logs())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String property(String key) {
    String v = System.getProperty(key);
    assertThat(v)
        .as("system property %s (set by the build's failsafe configuration)", key)
        .isNotNull();
    return v;
  }

  /** The executor section: the test's cluster, executors of 640 MB logging warnings only. */
  private static String onCluster() {
    return "{TYPE: spark, PARAM: {master: '"
        + cluster.masterUrl()
        + "', start_timeout: 90, conf: {spark.ui.enabled: 'false', spark.executor.memory: 640m,"
        + " spark.cores.max: '2',"
        + " spark.executor.extraJavaOptions: '-Dlogback.configurationFile="
        + cluster.logback()
        + "'}}}";
  }

  /** Runs a sweep file in the shared application. */
  private static SweepResult onSpark(Path file, Path dir, String... overrides) {
    List<String> all = new ArrayList<>(List.of("SWEEP.DIR=" + dir));
    all.addAll(List.of(overrides));
    try (SparkExecutor spark = SparkExecutor.on(sc)) {
      return Sweep.load(file, all).executor(spark).fit();
    }
  }

  @Test
  void applicationMadeFromConfig_shipsRunKitsJars_oneCorePerExecutorAndTask() {
    assertThat(sc.master()).isEqualTo(cluster.masterUrl());
    List<String> shipped = List.of(sc.getConf().get("spark.jars").split(","));
    assertThat(shipped.get(0)).isEqualTo(property("runkit.jar"));
    assertThat(shipped)
        .contains(
            Path.of(property("runkit.lib"))
                .resolve("mxnet-native-mkl-1.9.1-linux-x86_64.jar")
                .toString());
    assertThat(sc.getConf().get("spark.executor.cores")).isEqualTo("1");
    assertThat(sc.getConf().get("spark.task.cpus")).isEqualTo("1");
    assertThat(sc.getConf().get("spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("1");
    assertThat(boot.parallelism()).isEqualTo(2);
  }

  private static long pid(String taskLogLine) {
    Matcher m = PID.matcher(taskLogLine);
    assertThat(m.find()).as(taskLogLine).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void ashaSweep_onTheCluster_trainsEveryTrialAsInProcess_onBothExecutors() throws Exception {
    SweepResult in = run(sweepFile(tmp, "asha-in.yaml", 5, ASHA, null), tmp.resolve("asha-in"));
    Path dir = tmp.resolve("asha-spark");
    awaitExecutors(2);
    SweepResult spark = onSpark(sweepFile(tmp, "asha-spark.yaml", 5, ASHA, null), dir);

    // two trials at a time: ASHA may promote other trials than one at a time, but every trial
    // trains as it does in-process, in whatever executor JVM
    assertConsistentTrials(in, spark);
    Set<Long> pids = new java.util.HashSet<>();
    for (int t = 0; t < spark.trials().size(); t++) {
      for (String line : taskLog(dir, t)) {
        pids.add(pid(line));
        assertThat(line).doesNotContain("executor driver");
      }
    }
    assertThat(pids).as(cluster.logs()).hasSize(2).doesNotContain(ProcessHandle.current().pid());
  }

  @Test
  void executorKilledMidTrial_sparkRerunsTheTask_theTrialResumesFromItsCheckpoint_sameResults()
      throws Exception {
    String[] longer = {
      "TRAIN.NUM_ITERATIONS=400",
      "TRAIN.LR_SCHEDULER.PARAM.num_training_steps=400",
      "TRAIN.CKPT_SAVE_STRATEGY=50"
    };
    SweepResult in =
        run(sweepFile(tmp, "kill-in.yaml", 2, FIFO, null), tmp.resolve("kill-in"), longer);
    Path dir = tmp.resolve("kill-spark");
    Path file = sweepFile(tmp, "kill-spark.yaml", 2, FIFO, null);
    CompletableFuture<SweepResult> sweep =
        CompletableFuture.supplyAsync(() -> onSpark(file, dir, longer));

    // the first trial's executor JVM, once the trial has written a checkpoint short of its end
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long killed = -1;
    while (killed < 0 && System.nanoTime() < deadline && !sweep.isDone()) {
      List<String> attempts = taskLog(dir, 0);
      long at = newestCheckpoint(dir.resolve(Trial.name(0)));
      if (attempts.size() == 1 && at >= 50 && at < 400) {
        killed = pid(attempts.get(0));
        ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL
      } else {
        Thread.sleep(5);
      }
    }
    if (killed < 0 && sweep.isDone()) {
      sweep.join(); // the sweep's own error, if it failed
    }
    assertThat(killed).as("killed trial-000's executor mid-trial\n" + cluster.logs()).isPositive();
    SweepResult spark = sweep.get(180, TimeUnit.SECONDS);

    assertSameTrials(in, spark);
    List<String> attempts = taskLog(dir, 0);
    assertThat(attempts).as("Spark reran the task").hasSize(2);
    assertThat(attempts.get(1)).contains("task attempt 1");
    assertThat(pid(attempts.get(1))).isNotEqualTo(killed);
    assertThat(spark.results().get(0).startIteration())
        .as("the rerun continued from a checkpoint, not from the start")
        .isGreaterThanOrEqualTo(50);
  }

  /**
   * The newest periodic checkpoint of a trial that is training. Lists the checkpoint folder without
   * reading the files' attributes: a walk fails when a checkpoint's temporary file is renamed
   * between listing and reading it.
   */
  private static long newestCheckpoint(Path runDir) {
    List<Long> periodic = Checkpoints.periodic(runDir.resolve("checkpoints"));
    return periodic.isEmpty() ? 0 : periodic.get(periodic.size() - 1);
  }

  @Test
  void sweepDirectoryTheExecutorsDoNotShare_refusedBeforeAnyTrial() throws Exception {
    assumeTrue(
        hidden != null, "needs a mount namespace (unshare --mount, as root) to hide a folder");
    Path dir = hidden.resolve("sweep");
    Path file = sweepFile(tmp, "hidden.yaml", 2, FIFO, null);
    assertThatThrownBy(() -> onSpark(file, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "the sweep directory " + dir + " is not shared with the Spark executors: executor ")
        .hasMessageContaining(" on 127.0.0.1 does not see " + dir + "/.runkit-shared-check-")
        .hasMessageEndingWith(
            ", which the driver wrote. Put it (SWEEP.DIR) on a file system every executor mounts"
                + " at the same path");
    assertThat(dir.resolve("trial-000")).doesNotExist();
    assertThat(dir.resolve("trials.jsonl")).doesNotExist();
  }

  @Test
  void sparkSubmit_runsTheToolkitJarsSweep_onTheCluster() throws Exception {
    Path inFile = sweepFile(tmp, "submit-in.yaml", 2, FIFO, null);
    SweepResult in = run(inFile, tmp.resolve("submit-in"));
    Path dir = tmp.resolve("submit-spark");
    String libJars;
    try (Stream<Path> jars = Files.list(Path.of(property("runkit.lib")))) {
      libJars =
          jars.map(Path::toString)
              .filter(j -> j.endsWith(".jar"))
              .sorted()
              .collect(Collectors.joining(","));
    }
    List<String> command =
        new ArrayList<>(cluster.javaCommand("org.apache.spark.deploy.SparkSubmit"));
    command.addAll(
        List.of(
            "--master",
            cluster.masterUrl(),
            "--class",
            SparkSweep.class.getName(),
            "--jars",
            libJars,
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.executor.memory=640m",
            "--conf",
            "spark.executor.extraJavaOptions=-Dlogback.configurationFile=" + cluster.logback(),
            property("runkit.jar"),
            inFile.toString(),
            "--set",
            "SWEEP.DIR=" + dir));
    Path log = tmp.resolve("spark-submit.log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    cluster.environment(pb.environment());
    Process submit = pb.start();
    assertThat(submit.waitFor(180, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    String out = Files.readString(log);
    assertThat(submit.exitValue()).as(out + cluster.logs()).isZero();
    assertThat(out).contains("best: trial-00");

    Table trials = Table.read().csv(dir.resolve("trials.csv").toFile());
    for (int t = 0; t < 2; t++) {
      assertThat(trials.doubleColumn("objective").getDouble(t))
          .isCloseTo(in.results().get(t).objective(), within(1e-6));
      List<String> attempts = taskLog(dir, t);
      assertThat(attempts).hasSize(1);
      assertThat(pid(attempts.get(0))).isNotEqualTo(submit.pid());
    }
  }
}
