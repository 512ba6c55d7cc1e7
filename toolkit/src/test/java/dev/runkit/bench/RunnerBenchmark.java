package dev.runkit.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
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
 * <p>Run: {@code mvn -B -q -o test-compile -pl toolkit && java -cp
 * toolkit/target/classes:toolkit/target/test-classes:$(cat cp.txt)
 * dev.runkit.bench.RunnerBenchmark} (cp.txt from {@code mvn -q -o dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -pl toolkit}). Arguments: {@code [steps] [rounds]}, default 468 (one
 * pass) and 3.
 */
public final class RunnerBenchmark {

  private static final int BATCH = 128;
  private static final int WARMUP = 30;
  private static final String[] VARIANTS = {"plain", "tuned", "runner", "runner-rk"};

  private RunnerBenchmark() {}

  /**
   * Runs the comparison (or, with {@code --child}, one thread setting).
   *
   * @param args {@code [steps] [rounds]} or {@code --child steps rounds}
   * @throws Exception when a child fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 468;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    String[] threadSettings = (args.length > 2 ? args[2] : "1,2").split(",");
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
              String.valueOf(rounds));
      pb.environment().put("OMP_NUM_THREADS", threads);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      Map<String, Double> best = new LinkedHashMap<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("RESULT ")) {
            String[] f = line.split(" ");
            best.merge(f[1], Double.parseDouble(f[2]), Math::max);
            System.out.println("OMP_NUM_THREADS=" + threads + " " + line);
          }
        }
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException("child with OMP_NUM_THREADS=" + threads + " failed");
      }
      results.put(threads, best);
    }
    System.out.println();
    System.out.println(
        "| OMP_NUM_THREADS | plain DJL loop | hand-tuned loop | Runner | Runner / plain | Runner /"
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
    System.out.println("(samples/s, best of " + rounds + " rounds of " + steps + " steps)");
  }

  private static void child(int steps, int rounds) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      NDArray x = manager.randomNormal(new Shape(60_000, 784));
      NDArray y = manager.randomInteger(0, 10, new Shape(60_000), DataType.INT32);
      ArrayDataset data =
          new ArrayDataset.Builder()
              .setData(x)
              .optLabels(y.toType(DataType.FLOAT32, false))
              .setSampling(BATCH, true, true)
              .build();
      for (int round = 0; round < rounds; round++) {
        for (String v : VARIANTS) {
          double speed =
              switch (v) {
                case "plain" -> plain(data, steps);
                case "tuned" -> tuned(data, steps);
                case "runner" -> runner(data, steps, sgd());
                default -> runner(data, steps, Optimizers.sgd().lr(0.01).momentum(0.9).build());
              };
          System.out.printf(Locale.ROOT, "RESULT %s %.1f round %d%n", v, speed, round);
          System.out.flush();
        }
      }
    }
  }

  private static Block mlp() {
    return Fixtures.mlp(256, 128, 10);
  }

  private static Optimizer sgd() {
    return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build();
  }

  /** Yields batches forever, starting a new shuffled pass when one ends. */
  private static Iterator<Batch> endless(ArrayDataset data, NDManager manager) {
    return new Iterator<>() {
      private Iterator<Batch> pass;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Batch next() {
        try {
          if (pass == null || !pass.hasNext()) {
            pass = data.getData(manager).iterator();
          }
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
      model.setBlock(mlp());
      try (Trainer trainer =
          model.newTrainer(
              new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd()))) {
        trainer.initialize(new Shape(BATCH, 784));
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
      Block block = mlp();
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(BATCH, 784));
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
        Runner.with(mlp())
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(data)
            .optimizer(optimizer)
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
