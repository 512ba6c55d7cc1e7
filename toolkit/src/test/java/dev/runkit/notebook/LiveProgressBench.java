package dev.runkit.notebook;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.ConsoleProgress;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Progress;
import dev.runkit.run.ProgressListener;
import dev.runkit.run.StopReason;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Measures what live progress costs a real fit (target: under 2% of training time): the digits MLP
 * (64-128-10, batch 32, RunKit SGD) trained with no progress output, with the console line (to a
 * discarding stream), and with the display a fit gets in a kernel ({@link LiveProgress}, default
 * throttling: table at most every 250 ms, chart every 2 s) sending to a stand-in JJava kernel that
 * keeps what it is sent (so the cost measured is RunKit's: history rows, tables, PNG encoding,
 * base64). Rounds interleave the three variants (order rotating) so other load hits both alike; it
 * prints each round, the median of per-round ratios, and the time spent inside the listener as a
 * share of the fit (the steadiest figure on a shared machine).
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
      fit(digits, 1000, logEvery, null);
      BaseKernel.active = kernel;
      Show.resetKernel();
      fit(digits, 1000, logEvery, new Timed(LiveProgress.create()));
      BaseKernel.active = null;
      Show.resetKernel();

      List<Double> consoleRatios = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> shares = new ArrayList<>();
      System.out.printf(
          Locale.ROOT,
          "%d iterations per fit, progress reported every %d, %d rounds%n%n",
          iterations,
          logEvery,
          rounds);
      System.out.println(
          "| round | quiet (ms) | console line (ms) | live display (ms) | live / quiet | in listener"
              + " (ms) | of which onEnd (ms) | share of fit | updates |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
      for (int round = 1; round <= rounds; round++) {
        double[] ms = new double[3];
        Timed timed = null;
        for (int k = 0; k < 3; k++) {
          int variant = (k + round) % 3; // rotate the order so drifts in load hit all three
          if (variant == 2) {
            BaseKernel.active = kernel;
            Show.resetKernel();
            timed = new Timed(LiveProgress.create());
            ms[2] = fit(digits, iterations, logEvery, timed);
            BaseKernel.active = null;
            Show.resetKernel();
          } else if (variant == 1) {
            ms[1] = fit(digits, iterations, logEvery, new ConsoleProgress(discard, true));
          } else {
            ms[0] = fit(digits, iterations, logEvery, null);
          }
        }
        double inListener = timed.nanos / 1e6;
        consoleRatios.add(ms[1] / ms[0]);
        ratios.add(ms[2] / ms[0]);
        shares.add(inListener / ms[2]);
        System.out.printf(
            Locale.ROOT,
            "| %d | %.0f | %.0f | %.0f | %.3f | %.1f | %.1f | %.2f%% | %d |%n",
            round,
            ms[0],
            ms[1],
            ms[2],
            ms[2] / ms[0],
            inListener,
            timed.endNanos / 1e6,
            100 * inListener / ms[2],
            ((LiveProgress) timed.inner).updates());
      }
      System.out.printf(
          Locale.ROOT,
          "%nmedian per-round ratios: console/quiet %.3f, live/quiet %.3f; median share of the"
              + " live fit spent in the listener (training thread): %.2f%%%n",
          median(consoleRatios),
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
    long endNanos;

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
      endNanos = System.nanoTime() - t;
      nanos += endNanos;
    }
  }
}
