package dev.runkit.bench;

import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.runkit.optim.GradientClipping;
import dev.runkit.optim.Optimizers;
import dev.runkit.optim.ScheduledOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Benchmark (not a test): per-step update time of RunKit's optimizers on ~10M float32 parameters
 * against DJL's built-in fused {@code Sgd}, {@code Adam} and {@code AdamW}, side by side in one
 * run, then a 10,000-update native-memory check for every registered optimizer.
 *
 * <p>Run from the repository root (see BENCHMARKS.md):
 *
 * <pre>
 * mvn -B -q -o test-compile -pl toolkit
 * mvn -B -q -o dependency:build-classpath -pl toolkit -Dmdep.outputFile=target/cp.txt
 * OMP_NUM_THREADS=1 java -Dai.djl.offline=true -cp \
 *   toolkit/target/test-classes:toolkit/target/classes:$(cat toolkit/target/cp.txt) \
 *   dev.runkit.bench.OptimizerBenchmark [repeats] [steps] [all]
 * </pre>
 */
public final class OptimizerBenchmark {

  private static final int TENSORS = 10;
  private static final int SIDE = 1000;

  private OptimizerBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: repeats (default 5), steps per repeat (default 10), and {@code all} to
   *     time every registered optimizer (default: the fused pairs only)
   * @throws IOException if /proc cannot be read
   */
  public static void main(String[] args) throws IOException {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    boolean all = args.length > 2 && args[2].equals("all");
    System.out.printf(
        "OMP_NUM_THREADS=%s, %d tensors x %dx%d = %,d float32 parameters, median of %d repeats"
            + " x %d steps%n",
        System.getenv("OMP_NUM_THREADS"),
        TENSORS,
        SIDE,
        SIDE,
        TENSORS * SIDE * SIDE,
        repeats,
        steps);
    Map<String, Supplier<Optimizer>> runs = new LinkedHashMap<>();
    runs.put(
        "DJL Sgd momentum 0.9",
        () ->
            Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build());
    runs.put("RunKit SGD momentum 0.9", () -> Optimizers.sgd().lr(0.01).momentum(0.9).build());
    runs.put(
        "DJL Adam", () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
    runs.put("RunKit Adam", () -> Optimizers.adam().lr(1e-3).build());
    runs.put(
        "DJL AdamW wd 0.01",
        () ->
            Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed(1e-3f))
                .optWeightDecays(0.01f)
                .build());
    runs.put("RunKit AdamW wd 0.01", () -> Optimizers.adamW().lr(1e-3).weightDecay(0.01).build());
    for (String name : Optimizers.names()) {
      if (!name.equals("SGD")
          && !name.equals("Adam")
          && !name.equals("AdamW")
          && !name.equals("AdamWnanoGPT")) {
        runs.put("RunKit " + name, () -> Optimizers.build(name, Map.of()));
      }
    }
    runs.put(
        "RunKit SGD nesterov",
        () -> Optimizers.sgd().lr(0.01).momentum(0.9).nesterov(true).build());
    runs.put("RunKit Adam amsgrad", () -> Optimizers.adam().lr(1e-3).amsgrad(true).build());

    Map<String, Double> millis = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      List<NDArray> weights = new ArrayList<>();
      List<NDArray> grads = new ArrayList<>();
      for (int i = 0; i < TENSORS; i++) {
        weights.add(manager.randomUniform(-1f, 1f, new Shape(SIDE, SIDE)));
        grads.add(manager.randomUniform(-1e-3f, 1e-3f, new Shape(SIDE, SIDE)));
      }
      // alternate the runs across repeats so that load from other processes hits all alike
      Map<String, List<Double>> samples = new LinkedHashMap<>();
      Map<String, Optimizer> optimizers = new LinkedHashMap<>();
      runs.forEach((k, v) -> optimizers.put(k, v.get()));
      for (String key : runs.keySet()) {
        time(optimizers.get(key), weights, grads, 2); // warm-up: creates state
        samples.put(key, new ArrayList<>());
      }
      for (int r = 0; r < repeats; r++) {
        for (String key : runs.keySet()) {
          samples.get(key).add(time(optimizers.get(key), weights, grads, steps));
        }
      }
      samples.forEach((k, v) -> millis.put(k, median(v)));
      samples.forEach(
          (k, v) -> best.put(k, v.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
    }
    System.out.println();
    System.out.printf(
        "%-28s %12s %10s %12s %10s%n", "optimizer", "median ms", "ratio", "min ms", "ratio");
    for (Map.Entry<String, Double> e : millis.entrySet()) {
      String key = e.getKey();
      Double base = baseline(key, millis);
      Double baseBest = baseline(key, best);
      System.out.printf(
          "%-28s %12.2f %10s %12.2f %10s%n",
          key,
          e.getValue(),
          base == null ? "" : String.format("%.2fx", e.getValue() / base),
          best.get(key),
          baseBest == null ? "" : String.format("%.2fx", best.get(key) / baseBest));
    }
    System.out.println("(ratio: against DJL Sgd for SGD runs, DJL AdamW for AdamW, else DJL Adam)");
    memoryCheck();
  }

  private static Double baseline(String key, Map<String, Double> millis) {
    if (key.startsWith("DJL")) {
      return null;
    }
    if (key.contains("SGD")) {
      return millis.get("DJL Sgd momentum 0.9");
    }
    if (key.startsWith("RunKit AdamW")) {
      return millis.get("DJL AdamW wd 0.01");
    }
    return millis.get("DJL Adam");
  }

  private static double time(Optimizer opt, List<NDArray> weights, List<NDArray> grads, int steps) {
    JnaUtils.waitAll();
    long start = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      if (opt instanceof ScheduledOptimizer scheduled) {
        scheduled.beginStep(grads);
      }
      for (int i = 0; i < weights.size(); i++) {
        opt.update("p" + i, weights.get(i), grads.get(i));
      }
    }
    JnaUtils.waitAll();
    return (System.nanoTime() - start) / 1e6 / steps;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  /** 10,000 updates per optimizer (with global clipping) on a small model; reports RSS. */
  private static void memoryCheck() throws IOException {
    System.out.println();
    System.out.println("10,000 updates (weight 256x256 + bias 256, L2 clipping each step):");
    System.out.printf(
        "%-22s %14s %14s %14s %12s%n",
        "optimizer", "RSS@1k (MiB)", "RSS@10k (MiB)", "delta (MiB)", "arrays +");
    List<String> names = new ArrayList<>();
    names.add("SGD"); // warm-up pass: lets the JVM heap and MXNet's pools reach their size
    names.addAll(Optimizers.names());
    for (int n = 0; n < names.size(); n++) {
      String name = names.get(n);
      try (NDManager manager = NDManager.newBaseManager();
          ScheduledOptimizer opt = Optimizers.build(name, Map.of())) {
        NDArray w = manager.randomUniform(-1f, 1f, new Shape(256, 256));
        NDArray b = manager.zeros(new Shape(256));
        NDArray gw = manager.randomUniform(-1e-3f, 1e-3f, new Shape(256, 256));
        NDArray gb = manager.randomUniform(-1e-3f, 1e-3f, new Shape(256));
        GradientClipping clip = GradientClipping.byNorm(1.0);
        long rssAt1k = 0;
        int arraysAt1k = 0;
        for (int i = 1; i <= 10_000; i++) {
          clip.apply(List.of(gw, gb)).close();
          opt.beginStep(List.of(gw, gb));
          opt.update("w", w, gw);
          opt.update("b", b, gb);
          if (i % 1000 == 0) {
            JnaUtils.waitAll();
          }
          if (i == 1000) {
            System.gc();
            rssAt1k = rssKib();
            arraysAt1k = ((BaseNDManager) manager).getManagedArrays().size();
          }
        }
        JnaUtils.waitAll();
        System.gc();
        long rss = rssKib();
        int arrays = ((BaseNDManager) manager).getManagedArrays().size();
        System.out.printf(
            "%-22s %14.1f %14.1f %14.1f %12d%n",
            n == 0 ? "(warm-up) SGD" : name,
            rssAt1k / 1024.0,
            rss / 1024.0,
            (rss - rssAt1k) / 1024.0,
            arrays - arraysAt1k);
      }
    }
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(Arrays.stream(line.split("\\s+")).skip(1).findFirst().orElse("0"));
      }
    }
    return -1;
  }
}
