package dev.runkit.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Callback;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Metrics;
import dev.runkit.run.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;

/**
 * Memory over a long run: 20,000 iterations of an MLP on the digits (validation, accuracy and a
 * progress report every 1,000), printing the Java heap in use and the process's resident memory
 * (Java heap + native, from {@code /proc/self/status}) every 2,000 iterations. Both must stay flat.
 *
 * <p>Run like {@link RunnerBenchmark}, with main class {@code dev.runkit.bench.RunnerMemoryCheck};
 * a second argument trains on that many data-parallel replicas on the CPU.
 */
public final class RunnerMemoryCheck {

  private RunnerMemoryCheck() {}

  /**
   * Runs the check.
   *
   * @param args {@code [iterations] [replicas]}, defaults 20,000 and 1
   */
  public static void main(String[] args) {
    long iterations = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
    int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Callback probe =
        new Callback() {
          @Override
          public void onIterationEnd(RunContext context) {
            if (context.iteration() % 2_000 == 0) {
              Runtime rt = Runtime.getRuntime();
              System.gc();
              System.out.printf(
                  Locale.ROOT,
                  "iteration %6d  heap %6.1f MB  rss %6.1f MB%n",
                  context.iteration(),
                  (rt.totalMemory() - rt.freeMemory()) / 1e6,
                  rssKb() / 1e3);
            }
          }
        };
    try (NDManager manager = NDManager.newBaseManager()) {
      ArrayDataset[] split = Fixtures.digits(manager, 64);
      RunResult r =
          Runner.with(Fixtures.mlp(64, 10))
              .loss(Loss.softmaxCrossEntropyLoss())
              .data(split[0], split[1])
              .optimizer(Optimizers.sgd().lr(0.01).momentum(0.9))
              .metrics(Metrics.accuracy())
              .devices(Collections.nCopies(replicas, Device.cpu()))
              .iterations(iterations)
              .validateEvery(1_000)
              .logEvery(1_000)
              .callbacks(probe)
              .quiet()
              .fit();
      System.out.println(r + " validation accuracy " + r.last("validation", "accuracy"));
    }
  }

  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
