package dev.runkit.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.model.Mlp;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Callback;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What resuming from a checkpoint written between scheduled ones costs: a run with checkpoints
 * every {@code n} iterations is stopped at {@code n - 1} (the longest replay there is), then
 * resumed for one more iteration, for an MLP 784-256-128-10 with dropout 0.1 (the generator is
 * replayed: {@code n - 1} forward passes) and without (nothing replayed), batch 128, synthetic
 * data.
 *
 * <p>Run as in BENCHMARKS.md, section Resume replay: {@code java -cp CLASSPATH
 * dev.runkit.bench.ReplayBenchmark [n] [rounds]}, defaults 100 and 3. It prints, per model, the
 * median time of the {@code n - 1} training iterations (a fit stopped at {@code n - 1} less one
 * stopped at 1, so without the set-up), of the resume, and their ratio.
 */
public final class ReplayBenchmark {

  private ReplayBenchmark() {}

  /**
   * Runs the comparison.
   *
   * @param args checkpoint interval and rounds
   * @throws IOException if the temporary folders cannot be made
   */
  public static void main(String[] args) throws IOException {
    int every = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomUniform(0, 1, new Shape(12_800, 784));
      NDArray y =
          manager.randomInteger(0, 10, new Shape(12_800), ai.djl.ndarray.types.DataType.INT32);
      ArrayDataset data =
          new ArrayDataset.Builder()
              .setData(x)
              .optLabels(y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false))
              .setSampling(128, true, true)
              .build();
      System.out.printf(
          Locale.ROOT,
          "%-10s | %d training iterations (ms) | resume at %d + 1 iteration (ms) | ratio%n",
          "model",
          every - 2,
          every - 1);
      for (double dropout : new double[] {0.1, 0}) {
        List<Double> train = new ArrayList<>();
        List<Double> resume = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          long s0 = System.nanoTime();
          fit(
                  data,
                  Files.createTempDirectory("replay-bench"),
                  every,
                  dropout,
                  Fixtures.stopAt(1, "benchmark"))
              .model()
              .close();
          double setup = (System.nanoTime() - s0) / 1e6;
          Path dir = Files.createTempDirectory("replay-bench");
          long t0 = System.nanoTime();
          RunResult stopped =
              fit(data, dir, every, dropout, Fixtures.stopAt(every - 1, "benchmark"));
          long t1 = System.nanoTime();
          stopped.model().close();
          RunResult resumed = fit(data, dir, every, dropout);
          long t2 = System.nanoTime();
          resumed.model().close();
          train.add((t1 - t0) / 1e6 - setup);
          resume.add((t2 - t1) / 1e6);
        }
        double t = median(train);
        double s = median(resume);
        System.out.printf(
            Locale.ROOT,
            "%-10s | %.0f | %.0f | %.2f%n",
            dropout > 0 ? "dropout" : "none",
            t,
            s,
            s / t);
      }
    }
  }

  private static RunResult fit(
      ArrayDataset data, Path dir, int every, double dropout, Callback... extra) {
    return Runner.with(Mlp.outputs(10).hidden(256, 128).dropout(dropout).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(data)
        .optimizer(Optimizers.sgd().lr(0.01).momentum(0.9))
        .iterations(every)
        .seed(3)
        .checkpoints(Checkpoints.to(dir).every(every))
        .resume()
        .callbacks(extra)
        .quiet()
        .fit();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
