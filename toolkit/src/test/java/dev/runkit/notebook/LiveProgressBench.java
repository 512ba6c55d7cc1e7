package dev.runkit.notebook;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Progress;
import dev.runkit.run.ProgressListener;
import dev.runkit.run.StopReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Measures what live progress costs a real fit (target: under 2% of training time): the digits MLP
 * (64-128-10, batch 32, RunKit SGD) trained with no progress output, and again with the display a
 * fit gets in a kernel ({@link LiveProgress}, default throttling: table at most every 250 ms, chart
 * every 2 s) sending to a stand-in JJava kernel that keeps what it is sent (so the cost measured is
 * RunKit's: history rows, tables, PNG encoding, base64). Rounds interleave the two variants (order
 * alternating) so other load hits both alike; it prints each round, the median of per-round ratios,
 * and the time spent inside the listener as a share of the fit (the steadiest figure on a shared
 * machine).
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -o test-compile -pl toolkit} and {@code
 * mvn -B -q -o dependency:build-classpath -pl toolkit -Dmdep.outputFile=target/cp.txt}): {@code
 * java -Djava.awt.headless=true -Dai.djl.offline=true -cp
 * toolkit/target/classes:toolkit/target/test-classes:$(cat toolkit/target/cp.txt)
 * dev.runkit.notebook.LiveProgressBench ITERATIONS ROUNDS LOG_EVERY}, defaults 4000 5 10.
 */
public final class LiveProgressBench {

  private LiveProgressBench() {}

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args iterations per fit, rounds, logging interval
   */
  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int logEvery = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    BaseKernel kernel = new BaseKernel();
    try (NDManager manager = NDManager.newBaseManager()) {
      ArrayDataset[] digits = Fixtures.digits(manager, 32);
      // warm-up: JIT, MXNet, AWT and XChart start-up are paid once, outside the rounds
      fit(digits, 300, logEvery, null);
      BaseKernel.active = kernel;
      Show.resetKernel();
      fit(digits, 300, logEvery, new Timed(LiveProgress.create()));
      BaseKernel.active = null;
      Show.resetKernel();

      List<Double> ratios = new ArrayList<>();
      List<Double> shares = new ArrayList<>();
      System.out.printf(
          Locale.ROOT,
          "%d iterations per fit, progress reported every %d, %d rounds%n%n",
          iterations,
          logEvery,
          rounds);
      System.out.println(
          "| round | without (ms) | with live display (ms) | ratio | in listener (ms) | share |"
              + " updates | chart redraws |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (int round = 1; round <= rounds; round++) {
        double without = 0;
        double with = 0;
        Timed timed = null;
        int before = kernel.updated.size();
        for (int k = 0; k < 2; k++) {
          boolean live = (k + round) % 2 == 0;
          if (live) {
            BaseKernel.active = kernel;
            Show.resetKernel();
            timed = new Timed(LiveProgress.create());
            with = fit(digits, iterations, logEvery, timed);
            BaseKernel.active = null;
            Show.resetKernel();
          } else {
            without = fit(digits, iterations, logEvery, null);
          }
        }
        long redraws =
            kernel.updated.subList(before, kernel.updated.size()).stream()
                .map(d -> String.valueOf(d.data.get("text/html")))
                .distinct()
                .filter(h -> h.contains("base64"))
                .map(h -> h.substring(h.indexOf("base64,")))
                .distinct()
                .count();
        double inListener = timed.nanos / 1e6;
        ratios.add(with / without);
        shares.add(inListener / with);
        System.out.printf(
            Locale.ROOT,
            "| %d | %.0f | %.0f | %.3f | %.1f | %.2f%% | %d | %d |%n",
            round,
            without,
            with,
            with / without,
            inListener,
            100 * inListener / with,
            ((LiveProgress) timed.inner).updates(),
            redraws);
      }
      System.out.printf(
          Locale.ROOT,
          "%nmedian ratio with/without: %.3f; median share of the fit spent in the listener: %.2f%%%n",
          median(ratios),
          100 * median(shares));
    }
  }

  private static double fit(
      ArrayDataset[] digits, int iterations, int logEvery, ProgressListener listener) {
    Runner runner =
        Runner.with(Fixtures.mlp(128, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits[0], digits[1])
            .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
            .iterations(iterations)
            .validateEvery(Math.max(1, iterations / 10))
            .logEvery(logEvery);
    runner = listener == null ? runner.quiet() : runner.progress(listener);
    long t0 = System.nanoTime();
    RunResult r = runner.fit();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (r.stopReason() != StopReason.COMPLETED) {
      throw new IllegalStateException(r.message());
    }
    r.model().close();
    return ms;
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Adds up the time the training thread spends inside a listener. */
  private static final class Timed implements ProgressListener {
    final ProgressListener inner;
    long nanos;

    Timed(ProgressListener inner) {
      this.inner = inner;
    }

    @Override
    public void onStart(long total) {
      long t = System.nanoTime();
      inner.onStart(total);
      nanos += System.nanoTime() - t;
    }

    @Override
    public void onProgress(Progress progress) {
      long t = System.nanoTime();
      inner.onProgress(progress);
      nanos += System.nanoTime() - t;
    }

    @Override
    public void onEvaluation(long iteration, String phase, Map<String, Double> values) {
      long t = System.nanoTime();
      inner.onEvaluation(iteration, phase, values);
      nanos += System.nanoTime() - t;
    }

    @Override
    public void onEnd(StopReason reason, String message) {
      long t = System.nanoTime();
      inner.onEnd(reason, message);
      nanos += System.nanoTime() - t;
    }
  }
}
