package dev.runkit.sweep.spark;

import static dev.runkit.sweep.spark.SparkFixtures.ASHA;
import static dev.runkit.sweep.spark.SparkFixtures.FIFO;
import static dev.runkit.sweep.spark.SparkFixtures.assertSameTrials;
import static dev.runkit.sweep.spark.SparkFixtures.run;
import static dev.runkit.sweep.spark.SparkFixtures.sweepFile;
import static dev.runkit.sweep.spark.SparkFixtures.taskLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import dev.runkit.run.Checkpoints;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.TrialStatus;
import dev.runkit.sweep.WorkerExecutor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on Spark in local mode, in this JVM: the same trials as in-process, each segment a Spark
 * task, and every refusal before the first trial.
 */
class SparkExecutorTest {

  private static final String LOCAL1 = "{TYPE: spark, PARAM: {master: 'local[1]'}}";
  private static final String LOCAL2 = "{TYPE: spark, PARAM: {master: 'local[2]'}}";

  @TempDir Path tmp;

  /**
   * ASHA's promotions follow the order results arrive, so the one-slot {@code local[1]} (trials in
   * the driver, one at a time) makes exactly the in-process sweep.
   */
  @Test
  void localMode_ashaSweep_sameTrialsAsInProcess_eachSegmentASparkTask() throws Exception {
    SweepResult in = run(sweepFile(tmp, "in.yaml", 4, ASHA, null), tmp.resolve("in-sweep"));
    Path dir = tmp.resolve("spark-sweep");
    SweepResult spark = run(sweepFile(tmp, "spark.yaml", 4, ASHA, LOCAL1), dir);

    assertSameTrials(in, spark);
    assertThat(spark.results().stream().map(r -> r.status()))
        .contains(TrialStatus.COMPLETED, TrialStatus.PRUNED);
    for (int t = 0; t < 4; t++) {
      // one task attempt per segment: to the rung at 30, and on to 90 for a promoted trial
      int segments = spark.results().get(t).iterations() > 30 ? 2 : 1;
      List<String> attempts = taskLog(dir, t);
      assertThat(attempts).as("trial %d", t).hasSize(segments);
      assertThat(attempts.get(0))
          .contains("trial-00" + t + " to iteration 30: executor driver on ")
          .contains(", pid " + ProcessHandle.current().pid() + ", task attempt 0");
      assertThat(taskLog(in.directory(), t)).isEmpty();
    }
    Map<String, Object> resolved = ConfigFiles.read(dir.resolve("sweep.yaml"));
    assertThat(((Map<?, ?>) resolved.get("SWEEP")).get("EXECUTOR"))
        .isEqualTo(
            Map.of(
                "TYPE",
                "spark",
                "PARAM",
                Map.of("master", "local[1]", "cores_per_trial", 1, "start_timeout", 120.0)));
  }

  /** Longer trials, every one to the end, with a checkpoint every 10 iterations. */
  private static final String[] LONGER = {
    "TRAIN.NUM_ITERATIONS=300",
    "TRAIN.LR_SCHEDULER.PARAM.num_training_steps=300",
    "TRAIN.CKPT_SAVE_STRATEGY=10"
  };

  /**
   * Sweep.stop() (Ctrl-C of {@code runkit sweep}, Kernel ▸ Interrupt) reaches a task training in
   * the driver ({@code local[1]}: through the stop file the tasks look for, as on a cluster): the
   * running segment stops after its iteration in progress with a checkpoint, is not recorded, and
   * the resumed sweep (on Spark again) ends with the trials of the uninterrupted one.
   */
  @Test
  void stop_stopsTheRunningTask_withACheckpoint_andTheResumedSweepEqualsTheUninterrupted()
      throws Exception {
    SweepResult stopped = stopOnceTrial1HasACheckpoint(LOCAL1);
    // one at a time: trial-000 had ended when trial-001 started
    assertThat(stopped.results().get(0).iterations()).isEqualTo(300);
  }

  /**
   * {@code local[2]} trains two trials at once, each in a local worker process (the driver's JVM
   * trains one at a time), and a stop reaches both.
   */
  @Test
  void localTwo_trainsTwoTrialsAtOnceInWorkerProcesses_andAStopReachesBoth() throws Exception {
    SweepResult stopped = stopOnceTrial1HasACheckpoint(LOCAL2);
    // trial-000 ran beside trial-001, and was stopped with it
    assertThat(stopped.results().get(0).iterations()).isZero();
    Path dir = tmp.resolve("stopped");
    assertThat(Files.readString(dir.resolve(WorkerExecutor.LOG_FILE))).contains("worker 2");
  }

  /**
   * Runs 3 FIFO trials of 300 iterations, stops the sweep once trial-001 has its first checkpoint,
   * checks what a stop leaves, resumes the sweep and checks it equals the uninterrupted one.
   */
  private SweepResult stopOnceTrial1HasACheckpoint(String executor) throws Exception {
    SweepResult whole = run(sweepFile(tmp, "in.yaml", 3, FIFO, null), tmp.resolve("whole"), LONGER);
    Path dir = tmp.resolve("stopped");
    List<String> overrides = new ArrayList<>(List.of("SWEEP.DIR=" + dir));
    overrides.addAll(List.of(LONGER));
    Sweep sweep = Sweep.load(sweepFile(tmp, "spark.yaml", 3, FIFO, executor), overrides);
    Path checkpoints = dir.resolve("trial-001").resolve(RunConfig.CHECKPOINTS);
    Thread stopper =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
              while (Checkpoints.periodic(checkpoints).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
              sweep.stop();
            });
    stopper.start();
    SweepResult stopped = sweep.fit();
    stopper.join();

    assertThat(stopped.stopped()).isTrue();
    // trial-001 was cut short: nothing of it recorded, a checkpoint where it stopped
    assertThat(stopped.results().get(1).iterations()).isZero();
    assertThat(stopped.results().get(1).history()).isEmpty();
    List<Long> saved = Checkpoints.periodic(checkpoints);
    assertThat(saved.get(saved.size() - 1)).isBetween(10L, 299L);
    assertThat(dir.resolve(SparkExecutor.STOP_FILE)).exists();

    SweepResult resumed = Sweep.resume(dir).fit();

    assertThat(resumed.stopped()).isFalse();
    assertThat(dir.resolve(SparkExecutor.STOP_FILE)).doesNotExist();
    assertSameTrials(whole, resumed);
    assertThat(taskLog(dir, 1)).hasSize(2);
    assertThat(taskLog(dir, 1).get(1)).contains("trial-001 to iteration 300");
    return stopped;
  }

  @Test
  void givenContext_runsTheTrials_andIsLeftRunning() throws Exception {
    JavaSparkContext sc =
        new JavaSparkContext(
            new SparkConf().setMaster("local[1]").setAppName("t").set("spark.ui.enabled", "false"));
    try (SparkExecutor spark = SparkExecutor.on(sc)) {
      Path dir = tmp.resolve("given");
      SweepResult r =
          Sweep.load(
                  sweepFile(tmp, "given.yaml", 1, FIFO, null),
                  List.of("SWEEP.DIR=" + dir, "TRAIN.NUM_ITERATIONS=20"))
              .executor(spark)
              .fit();
      assertThat(r.results().get(0).status()).isEqualTo(TrialStatus.COMPLETED);
      assertThat(taskLog(dir, 0)).hasSize(1);
      assertThat(spark.parallelism()).isEqualTo(1);
      spark.close();
      assertThat(sc.sc().isStopped()).isFalse();
    } finally {
      sc.stop();
    }
  }

  private Path refusedSweep(String executor) throws Exception {
    return sweepFile(tmp, "bad.yaml", 2, FIFO, executor);
  }

  /** Asserts a sweep is refused with a message, and that no trial started. */
  private void assertRefused(String executor, String... message) throws Exception {
    Path dir = tmp.resolve("refused");
    Path file = refusedSweep(executor);
    var thrown =
        assertThatThrownBy(() -> run(file, dir)).isInstanceOf(IllegalArgumentException.class);
    for (String m : message) {
      thrown.hasMessageContaining(m);
    }
    assertThat(dir.resolve("trial-000")).doesNotExist();
    assertThat(dir.resolve("trials.jsonl")).doesNotExist();
  }

  @Test
  void unreachableMaster_refusedBeforeAnyTrial_namingWhatToDo() throws Exception {
    assertRefused(
        "{TYPE: spark, PARAM: {master: 'spark://127.0.0.1:1'}}",
        "the Spark master spark://127.0.0.1:1 is not reachable: 127.0.0.1:1 (Connection refused);"
            + " start it (Spark's sbin/start-master.sh) or check the host and port: the master's"
            + " log says \"Starting Spark master at spark://HOST:PORT\"");
  }

  @Test
  void missingSharedDir_refusedBeforeAnyTrial() throws Exception {
    Path nowhere = tmp.resolve("nowhere");
    assertRefused(
        "{TYPE: spark, PARAM: {master: 'local[1]', shared_dir: '" + nowhere + "'}}",
        "SWEEP.EXECUTOR.PARAM.shared_dir "
            + nowhere
            + " does not exist; create it on a file system every Spark executor mounts at the same"
            + " path (NFS, a cluster file system), or leave it out in local mode");
  }

  @Test
  void sweepDirectoryOutsideSharedDir_refusedNamingOneInside() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    assertRefused(
        "{TYPE: spark, PARAM: {master: 'local[1]', shared_dir: '" + shared + "'}}",
        "the sweep directory " + tmp.resolve("refused") + " is not in SWEEP.EXECUTOR.PARAM",
        "set the sweep directory (SWEEP.DIR) in it, e.g. " + shared.resolve("refused"));
  }

  @Test
  void misspeltParameter_namesTheNearest() throws Exception {
    assertRefused(
        "{TYPE: spark, PARAM: {mastr: 'local[1]'}}",
        "Unknown parameter \"mastr\" at SWEEP.EXECUTOR.PARAM.mastr",
        "Did you mean \"master\"?");
  }

  @Test
  void confKeyThatIsNoSparkSetting_refused() throws Exception {
    assertRefused(
        "{TYPE: spark, PARAM: {master: 'local[1]', conf: {executor.memory: 2g}}}",
        "SWEEP.EXECUTOR.PARAM.conf.executor.memory must be a Spark setting (spark.*), got"
            + " executor.memory");
  }

  @Test
  void noMasterOutsideSparkSubmit_refused() throws Exception {
    assertRefused(
        "{TYPE: spark}",
        "SWEEP.EXECUTOR.PARAM.master is not set and this JVM was not started by spark-submit (no"
            + " spark.master); give the master: local[2], spark://host:7077, yarn,"
            + " k8s://https://host:443");
  }

  @Test
  void sparkNotOnTheClasspath_childJvm_refusedBeforeAnyTrial_namingWhatToDo() throws Exception {
    List<String> withoutSpark =
        SparkFixtures.classpath().stream().filter(e -> !e.contains("/org/apache/spark/")).toList();
    assertThat(withoutSpark).hasSizeLessThan(SparkFixtures.classpath().size());
    Path dir = tmp.resolve("no-spark");
    Path log = tmp.resolve("no-spark.log");
    Process p =
        new ProcessBuilder(
                SparkFixtures.java(),
                "-cp",
                String.join(File.pathSeparator, withoutSpark),
                "-Dai.djl.offline=true",
                SparkSweep.class.getName(),
                sweepFile(tmp, "no-spark.yaml", 2, FIFO, null).toString(),
                "--set",
                "SWEEP.DIR=" + dir,
                "--set",
                "SWEEP.EXECUTOR.PARAM.master=local[1]")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains(
            "runkit spark sweep: Spark is not on the classpath: SWEEP.EXECUTOR.TYPE spark needs"
                + " Apache Spark 4.0 (spark-core_2.13, tested with 4.0.1) in this JVM. Run the sweep"
                + " with spark-submit (Spark supplies itself), with bin/runkit ... --spark MASTER"
                + " (it adds toolkit/target/spark-lib), in a Jupyter kernel installed with 'runkit"
                + " kernel install --with-spark', or add org.apache.spark:spark-core_2.13 to your"
                + " project");
    assertThat(dir).doesNotExist();
  }

  @Test
  void speculativeExecution_refused_andTheContextStopped() throws Exception {
    assertRefused(
        "{TYPE: spark, PARAM: {master: 'local[1]', conf: {spark.speculation: 'true'}}}",
        "spark.speculation is on: Spark could run a second copy of a trial's task beside the first,"
            + " and both would write the trial's run directory; set spark.speculation=false");
    // the refused executor stopped the context it made: another can start
    JavaSparkContext sc =
        new JavaSparkContext(
            new SparkConf().setMaster("local[1]").setAppName("t").set("spark.ui.enabled", "false"));
    sc.stop();
  }
}
