package dev.runkit.sweep.spark;

import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.TrialExecutor;
import dev.runkit.sweep.TrialExecutors;
import dev.runkit.sweep.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Times one sweep (FIFO, every trial to the end) run in this process one trial at a time, on two
 * local worker processes (started by the sweep, then warm), on Spark {@code local[2]}, and on a
 * standalone cluster of one and of two one-core executors started here; Spark's start-up (daemons,
 * application and executors) and the latency of an empty one-task job are timed apart. A {@code
 * main}, not a test: see BENCHMARKS.md.
 *
 * <pre>
 * java ... dev.runkit.sweep.spark.SparkSweepBenchmark TRIALS ITERATIONS [TARGET_DIR]
 * </pre>
 */
public final class SparkSweepBenchmark {

  private SparkSweepBenchmark() {}

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args trials, iterations per trial, and the build folder (default toolkit/target)
   * @throws Exception if a sweep fails
   */
  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path target = Path.of(args.length > 2 ? args[2] : "toolkit/target").toAbsolutePath();
    Path tmp = Files.createTempDirectory("spark-bench");
    String[] longer = {
      "TRAIN.NUM_ITERATIONS=" + iterations,
      "TRAIN.LR_SCHEDULER.PARAM.num_training_steps=" + iterations
    };
    Path file = SparkFixtures.sweepFile(tmp, "bench.yaml", trials, SparkFixtures.FIFO, null);
    List<String> rows = new ArrayList<>();
    List<String> ratios = new ArrayList<>();
    System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());

    // warm-up of MXNet in this JVM, then one trial at a time
    SparkFixtures.run(file, tmp.resolve("warm"), "SWEEP.TRIALS=1", longer[0], longer[1]);
    long t = System.nanoTime();
    SweepResult in = SparkFixtures.run(file, tmp.resolve("in"), longer);
    double inProcess = seconds(t);
    double perTrial = in.results().stream().mapToDouble(TrialResult::seconds).average().orElse(0);
    rows.add(row("in-process, one at a time", inProcess, inProcess, "-", "-"));

    // two local worker processes (the sweeps' own executor): a sweep that starts them, as
    // `--workers 2` does, then a second sweep on the same, warm processes
    double workersCold;
    double workersWarm;
    try (TrialExecutor pool = TrialExecutors.workers(2)) {
      t = System.nanoTime();
      sweep(pool, file, tmp.resolve("workers-cold"), longer);
      workersCold = seconds(t);
      t = System.nanoTime();
      sweep(pool, file, tmp.resolve("workers-warm"), longer);
      workersWarm = seconds(t);
    }
    rows.add(
        row("2 local worker processes, started by the sweep", workersCold, inProcess, "-", "-"));
    rows.add(
        row("2 local worker processes, warm (second sweep)", workersWarm, inProcess, "-", "-"));

    t = System.nanoTime();
    JavaSparkContext local = new JavaSparkContext(conf("local[2]"));
    double localStart = seconds(t);
    String localTask = emptyTaskLatency(local);
    t = System.nanoTime();
    sweep(local, file, tmp.resolve("local"), longer);
    double localSweep = seconds(t);
    local.stop();
    ratios.add(
        String.format(
            Locale.ROOT,
            "Spark local[2] / 2 local workers started by the sweep: %.2f",
            localSweep / workersCold));
    rows.add(
        row(
            "Spark local[2] (two worker processes, started by the sweep)",
            localSweep,
            inProcess,
            localStart,
            localTask));

    t = System.nanoTime();
    try (LocalSparkCluster cluster =
        LocalSparkCluster.start(
            Files.createDirectories(tmp.resolve("cluster")),
            target.resolve("spark-lib"),
            target.resolve("lib"),
            2,
            null)) {
      double daemons = seconds(t);
      System.out.printf(Locale.ROOT, "standalone Master + Worker started in %.1f s%n", daemons);
      for (int executors : new int[] {1, 2}) {
        t = System.nanoTime();
        SparkConf c =
            conf(cluster.masterUrl())
                .set("spark.cores.max", String.valueOf(executors))
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", "640m")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.jars", runKitJars(target))
                .set(
                    "spark.executor.extraJavaOptions",
                    "-Dlogback.configurationFile=" + cluster.logback());
        JavaSparkContext sc = new JavaSparkContext(c);
        while (sc.sc().statusTracker().getExecutorInfos().length - 1 < executors) {
          Thread.sleep(50);
        }
        double appStart = seconds(t);
        String task = emptyTaskLatency(sc);
        t = System.nanoTime();
        sweep(sc, file, tmp.resolve("cluster-cold-" + executors), longer);
        double cold = seconds(t);
        t = System.nanoTime();
        sweep(sc, file, tmp.resolve("cluster-warm-" + executors), longer);
        double warm = seconds(t);
        sc.stop();
        String name = "standalone, " + executors + " executor" + (executors > 1 ? "s" : "");
        rows.add(row(name + ", first sweep", cold, inProcess, appStart, task));
        rows.add(row(name + ", second sweep", warm, inProcess, "-", "-"));
        if (executors == 2) {
          ratios.add(
              String.format(
                  Locale.ROOT,
                  "standalone, 2 executors / 2 local workers: first sweeps %.2f, second sweeps %.2f",
                  cold / workersCold,
                  warm / workersWarm));
        }
      }
    }
    System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf(
        Locale.ROOT,
        "%d trials x %d iterations; mean trial %.2f s in-process%n%n",
        trials,
        iterations,
        perTrial);
    System.out.println(
        "| where | sweep wall (s) | / in-process | start-up (s) | empty 1-task job (ms) |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    ratios.forEach(System.out::println);
  }

  private static SparkConf conf(String master) {
    return new SparkConf()
        .setMaster(master)
        .setAppName("runkit sweep benchmark")
        .set("spark.ui.enabled", "false");
  }

  private static void sweep(JavaSparkContext sc, Path file, Path dir, String... overrides) {
    try (SparkExecutor spark = SparkExecutor.on(sc)) {
      sweep(spark, file, dir, overrides);
    }
  }

  private static void sweep(TrialExecutor executor, Path file, Path dir, String... overrides) {
    List<String> all = new ArrayList<>(List.of("SWEEP.DIR=" + dir));
    all.addAll(Arrays.asList(overrides));
    Sweep.load(file, all).executor(executor).fit();
  }

  /** The median latency of 20 jobs of one task that does nothing, in ms. */
  private static String emptyTaskLatency(JavaSparkContext sc) {
    double[] ms = new double[20];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      sc.parallelize(List.of(i), 1).count();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return String.format(Locale.ROOT, "%.0f", ms[ms.length / 2]);
  }

  private static String runKitJars(Path target) throws Exception {
    try (Stream<Path> jars = Files.list(target.resolve("lib"));
        Stream<Path> own = Files.list(target)) {
      return Stream.concat(
              own.filter(
                  p ->
                      p.getFileName().toString().matches("runkit-toolkit-[^-]+(-SNAPSHOT)?\\.jar")),
              jars.filter(p -> p.toString().endsWith(".jar")))
          .map(Path::toString)
          .collect(Collectors.joining(","));
    }
  }

  private static String row(String name, double wall, double inProcess, Object start, Object task) {
    String s = start instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : start.toString();
    return String.format(
        Locale.ROOT, "| %s | %.1f | %.2f | %s | %s |", name, wall, wall / inProcess, s, task);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
