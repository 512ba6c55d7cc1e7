package dev.runkit.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Callback;
import dev.runkit.run.Fixtures;
import dev.runkit.run.RunContext;
import dev.runkit.run.StopReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training speed of the Runner against a plain DJL loop ({@code EasyTrain.trainBatch} + {@code
 * trainer.step()}) and a hand-tuned asynchronous loop, on an MLP 784-256-128-10, batch 128, SGD
 * momentum 0.9, synthetic 60,000 x 784 data in memory; each variant in a child JVM per {@code
 * OMP_NUM_THREADS} setting, all in one run.
 *
 * <p>Run as in BENCHMARKS.md, section Runner: {@code java -cp CLASSPATH
 * dev.runkit.bench.RunnerBenchmark [steps] [rounds] [threads] [model] [dp]}, defaults 468 (one
 * pass), 3, {@code 1,2} (the OMP_NUM_THREADS settings to compare, comma-separated) and {@code mlp}
 * ({@code cnn}: a small CNN on the same data as 1 x 28 x 28 images); {@code dp} adds the Runner on
 * two data-parallel replicas on the CPU. Each round runs every variant once, interleaved; the
 * output gives best and median rounds and the median of per-round ratios.
 */
public final class RunnerBenchmark {

  private static final int BATCH = 128;
  private static final int WARMUP = 30;
  // small enough that random labels on uniform inputs never diverge over a pass
  private static final float LR = 0.002f;
  private static final String[] VARIANTS = {"plain", "tuned", "runner", "runner-rk"};
  // with "dp": the Runner again on two replicas on the one CPU (devices cpu, cpu), to show what
  // the data-parallel split, reduce and broadcast cost where they cannot gain anything
  private static final String[] WITH_DP = {"plain", "tuned", "runner", "runner-rk", "runner-dp2"};
  private static boolean dp;

  private RunnerBenchmark() {}

  /**
   * Runs the comparison (or, with {@code --child}, one thread setting).
   *
   * @param args {@code [steps] [rounds]} or {@code --child steps rounds}
   * @throws Exception when a child fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      cnn = args.length > 3 && args[3].equals("cnn");
      dp = args.length > 4 && args[4].equals("dp");
      child(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 468;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    String[] threadSettings = (args.length > 2 ? args[2] : "1,2").split(",");
    String model = args.length > 3 ? args[3] : "mlp";
    dp = args.length > 4 && args[4].equals("dp");
    for (String threads : threadSettings) {
      ProcessBuilder pb =
          new ProcessBuilder(
              ProcessHandle.current().info().command().orElse("java"),
              "-cp",
              System.getProperty("java.class.path"),
              "-Dai.djl.offline=true",
              RunnerBenchmark.class.getName(),
              "--child",
              String.valueOf(steps),
              String.valueOf(rounds),
              model,
              dp ? "dp" : "");
      pb.environment().put("OMP_NUM_THREADS", threads);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      Map<String, List<Double>> all = new LinkedHashMap<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("RESULT ")) {
            String[] f = line.split(" ");
            all.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[2]));
            System.out.println("OMP_NUM_THREADS=" + threads + " " + line);
          } else if (!line.contains("CudaUtils")) {
            System.out.println("  child: " + line);
          }
        }
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException("child with OMP_NUM_THREADS=" + threads + " failed");
      }
      results.put(threads + " best", summary(all, rounds - 1));
      results.put(threads + " median", summary(all, rounds / 2));
      // load on a shared machine swings between rounds; a ratio within one round compares
      // variants measured seconds apart, so the median of those ratios is the steadiest figure
      System.out.printf(
          Locale.ROOT,
          "OMP_NUM_THREADS=%s median per-round ratio: Runner/plain %.2f, Runner/tuned %.3f,"
              + " Runner(RunKit SGD)/tuned %.3f, tuned/plain %.2f%n",
          threads,
          medianRatio(all, "runner", "plain"),
          medianRatio(all, "runner", "tuned"),
          medianRatio(all, "runner-rk", "tuned"),
          medianRatio(all, "tuned", "plain"));
      if (dp) {
        System.out.printf(
            Locale.ROOT,
            "OMP_NUM_THREADS=%s median per-round ratio: Runner on [cpu, cpu] / Runner %.3f%n",
            threads,
            medianRatio(all, "runner-dp2", "runner"));
      }
    }
    System.out.println();
    System.out.println(
        "| OMP_NUM_THREADS, of rounds | plain DJL loop | hand-tuned loop | Runner | Runner / plain | Runner /"
            + " tuned | Runner, RunKit SGD | its ratio to tuned |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (var e : results.entrySet()) {
      Map<String, Double> b = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.0f | %.0f | %.2fx | %.3f | %.0f | %.3f |%n",
          e.getKey(),
          b.get("plain"),
          b.get("tuned"),
          b.get("runner"),
          b.get("runner") / b.get("plain"),
          b.get("runner") / b.get("tuned"),
          b.get("runner-rk"),
          b.get("runner-rk") / b.get("tuned"));
    }
    System.out.println(
        "("
            + model
            + ", samples/s, best and median of "
            + rounds
            + " rounds of "
            + steps
            + " steps)");
  }

  /** Returns the median over rounds of {@code a / b} within the same round. */
  private static double medianRatio(Map<String, List<Double>> all, String a, String b) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < all.get(a).size(); i++) {
      ratios.add(all.get(a).get(i) / all.get(b).get(i));
    }
    ratios.sort(null);
    int n = ratios.size();
    return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
  }

  /** Picks, per variant, the value at a rank of the sorted rounds (last: best, middle: median). */
  private static Map<String, Double> summary(Map<String, List<Double>> all, int rank) {
    Map<String, Double> out = new LinkedHashMap<>();
    all.forEach(
        (variant, values) -> {
          List<Double> sorted = new ArrayList<>(values);
          sorted.sort(null);
          out.put(variant, sorted.get(rank));
        });
    return out;
  }

  private static void child(int steps, int rounds) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      // pixel-like values in [0, 1), as MNIST scaled
      NDArray x = manager.randomUniform(0, 1, new Shape(60_000, 784)).reshape(input(60_000));
      NDArray y = manager.randomInteger(0, 10, new Shape(60_000), DataType.INT32);
      ArrayDataset data =
          new ArrayDataset.Builder()
              .setData(x)
              .optLabels(y.toType(DataType.FLOAT32, false))
              .setSampling(BATCH, true, true)
              .build();
      for (int round = 0; round < rounds; round++) {
        for (String v : dp ? WITH_DP : VARIANTS) {
          double speed =
              switch (v) {
                case "plain" -> plain(data, steps);
                case "tuned" -> tuned(data, steps);
                case "runner" -> runner(data, steps, sgd());
                case "runner-dp2" -> runner(data, steps, sgd(), 2);
                default -> runner(data, steps, Optimizers.sgd().lr(LR).momentum(0.9).build());
              };
          System.out.printf(Locale.ROOT, "RESULT %s %.1f round %d%n", v, speed, round);
          System.out.flush();
        }
      }
    }
  }

  private static boolean cnn;

  /** The shape of {@code rows} inputs: flat for the MLP, one 28 x 28 channel for the CNN. */
  private static Shape input(long rows) {
    return cnn ? new Shape(rows, 1, 28, 28) : new Shape(rows, 784);
  }

  /** The MLP 784-256-128-10, or the small CNN (two 3x3 conv + max-pool stages, then 10 units). */
  private static Block model() {
    if (!cnn) {
      return Fixtures.mlp(256, 128, 10);
    }
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2)))
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(10).build());
  }

  private static Optimizer sgd() {
    return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LR)).optMomentum(0.9f).build();
  }

  /**
   * Yields batches forever, starting a new shuffled pass when one ends. It never asks an exhausted
   * pass {@code hasNext()}: DJL then closes the pass's manager, and with it a batch the tuned loop
   * still holds; each pass gets its own manager, closed two passes later.
   */
  private static Iterator<Batch> endless(ArrayDataset data, NDManager manager) {
    long perPass = data.size() / BATCH;
    return new Iterator<>() {
      private Iterator<Batch> pass;
      private long taken;
      private NDManager current;
      private NDManager previous;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Batch next() {
        try {
          if (pass == null || taken == perPass) {
            if (previous != null) {
              previous.close();
            }
            previous = current;
            current = manager.newSubManager();
            pass = data.getData(current).iterator();
            taken = 0;
          }
          taken++;
          return pass.next();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /** The DJL way: EasyTrain.trainBatch, then trainer.step(), which closes each gradient. */
  private static double plain(ArrayDataset data, int steps) {
    try (Model model = Model.newInstance("plain")) {
      model.setBlock(model());
      try (Trainer trainer =
          model.newTrainer(
              new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd()))) {
        trainer.initialize(input(BATCH));
        Iterator<Batch> batches = endless(data, trainer.getManager());
        long t0 = 0;
        for (int i = 0; i < WARMUP + steps; i++) {
          if (i == WARMUP) {
            t0 = System.nanoTime();
          }
          try (Batch b = batches.next()) {
            EasyTrain.trainBatch(trainer, b);
            trainer.step();
          }
        }
        model.getBlock().getParameters().values().forEach(p -> p.getArray().sum().getFloat());
        return steps * (double) BATCH / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  /** Cached gradient handles, batches closed one step late, loss read one step late. */
  private static double tuned(ArrayDataset data, int steps) {
    try (Model model = Model.newInstance("tuned");
        NDManager manager = model.getNDManager().newSubManager()) {
      Block block = model();
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, input(BATCH));
      Optimizer optimizer = sgd();
      Loss loss = Loss.softmaxCrossEntropyLoss();
      ParameterStore store = new ParameterStore(manager, false);
      List<String> ids = new ArrayList<>();
      List<NDArray> weights = new ArrayList<>();
      List<NDArray> grads = new ArrayList<>();
      for (var pair : block.getParameters()) {
        Parameter p = pair.getValue();
        ids.add(p.getId());
        weights.add(p.getArray());
        NDArray g = p.getArray().getGradient();
        g.attach(manager);
        grads.add(g);
      }
      Iterator<Batch> batches = endless(data, manager);
      Batch previous = null;
      NDArray previousLoss = null;
      double sum = 0;
      long t0 = 0;
      for (int i = 0; i < WARMUP + steps; i++) {
        if (i == WARMUP) {
          t0 = System.nanoTime();
        }
        Batch b = batches.next();
        NDArray l;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDList preds = block.forward(store, b.getData(), true);
          l = loss.evaluate(b.getLabels(), preds);
          gc.backward(l);
        }
        for (int k = 0; k < weights.size(); k++) {
          optimizer.update(ids.get(k), weights.get(k), grads.get(k));
        }
        if (previousLoss != null) {
          sum += previousLoss.getFloat();
        }
        if (previous != null) {
          previous.close();
        }
        previous = b;
        previousLoss = l;
      }
      sum += previousLoss.getFloat();
      previous.close();
      double speed = steps * (double) BATCH / ((System.nanoTime() - t0) / 1e9);
      if (!Double.isFinite(sum)) {
        throw new IllegalStateException("tuned loop diverged");
      }
      return speed;
    }
  }

  /**
   * The Runner (with DJL's or RunKit's SGD), timed from the end of the warm-up iterations to the
   * end of the fit.
   */
  private static double runner(ArrayDataset data, int steps, Optimizer optimizer) {
    return runner(data, steps, optimizer, 1);
  }

  /** The Runner on {@code replicas} data-parallel replicas, all on the CPU. */
  private static double runner(ArrayDataset data, int steps, Optimizer optimizer, int replicas) {
    long[] t = new long[2];
    Callback clock =
        new Callback() {
          @Override
          public void onIterationEnd(RunContext context) {
            if (context.iteration() == WARMUP) {
              t[0] = System.nanoTime();
            }
          }

          @Override
          public void onEnd(RunContext context, StopReason reason) {
            t[1] = System.nanoTime();
          }
        };
    var result =
        Runner.with(model())
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(data)
            .optimizer(optimizer)
            .devices(Collections.nCopies(replicas, Device.cpu()))
            .iterations(WARMUP + steps)
            .callbacks(clock)
            .quiet()
            .fit();
    if (result.stopReason() != StopReason.COMPLETED) {
      throw new IllegalStateException("runner stopped: " + result.message());
    }
    result.model().close();
    return steps * (double) BATCH / ((t[1] - t[0]) / 1e9);
  }
}
