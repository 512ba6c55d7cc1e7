package dev.runkit.notebook;

import dev.runkit.schedule.Schedule;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Times what a notebook user waits for: showing a 10,000-row history and a 100,000-step schedule
 * chart (target: under 1 s each), cold (first call in a fresh JVM, class loading and AWT start-up
 * included) and warm (median of repeated calls), next to naive baselines (every row rendered, every
 * point drawn), printing the ratios.
 *
 * <p>Run: {@code java -Djava.awt.headless=true -cp
 * toolkit/target/test-classes:toolkit/target/classes:toolkit/target/lib/*
 * dev.runkit.notebook.NotebookBench}
 */
public final class NotebookBench {

  private NotebookBench() {}

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args unused
   * @throws Exception if a temporary folder cannot be made
   */
  public static void main(String[] args) throws Exception {
    Path out = Files.createTempDirectory("runkit-bench");
    Show.outputDir(out);
    PrintStream realOut = System.out;
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());

    Table history = history(10_000);
    Schedule sgdr = step -> 0.001 + 0.0495 * (1 + Math.cos(Math.PI * (step % 10_000) / 10_000));

    System.setOut(sink);
    double coldTable = once(() -> Show.table(history));
    double coldChart = once(() -> Show.chart(Charts.schedule(sgdr, 100_000)));
    System.setOut(realOut);

    System.setOut(sink);
    double table = median(() -> Show.table(history), 20);
    double tableAll = median(() -> Show.table(history, Integer.MAX_VALUE), 5);
    double chart = median(() -> Show.chart(Charts.schedule(sgdr, 100_000)), 10);
    double chartAll =
        median(
            () ->
                Show.chart(
                    Charts.schedule(
                        "lr", sgdr, 100_000, ChartOptions.defaults().maxPoints(1_000_000))),
            3);
    double summary = median(() -> Show.table(Tables.historySummary(history)), 10);
    double curves = median(() -> Show.chart(Charts.curves(history)), 10);
    System.setOut(realOut);

    XYChart probe = Charts.schedule(sgdr, 100_000);
    int kept = probe.getSeriesMap().get("learning rate").getXData().length;
    int pngBytes = BitmapEncoder.getBitmapBytes(probe, BitmapEncoder.BitmapFormat.PNG).length;

    System.out.printf(
        Locale.ROOT,
        "JVM %s, %d cores; history %,d rows; schedule 100,000 steps (%,d points kept, PNG %,d"
            + " bytes)%n%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        history.rowCount(),
        kept,
        pngBytes);
    System.out.println("| what | RunKit (ms) | baseline (ms) | baseline / RunKit | under 1 s |");
    System.out.println("|---|---|---|---|---|");
    row("Show.table, 10,000-row history, first call in the JVM", coldTable, Double.NaN);
    row("Show.table, 10,000-row history (40 rows shown) vs all rows rendered", table, tableAll);
    row("Show.chart(Charts.schedule), 100,000 steps, first call in the JVM", coldChart, Double.NaN);
    row("Show.chart(Charts.schedule), 100,000 steps thinned vs every point drawn", chart, chartAll);
    row("Show.table(Tables.historySummary), 10,000 iterations", summary, Double.NaN);
    row("Show.chart(Charts.curves), 10,000 iterations", curves, Double.NaN);

    // live progress: a simulated training loop (about 2 ms of work per iteration) offering its
    // growing history every iteration to a LiveDisplay in a kernel (IJava's API stand-in from the
    // test sources, which only records what it is sent; rendering is the cost)
    io.github.spencerpark.ijava.IJava.active = new io.github.spencerpark.ijava.IJava.Kernel();
    Show.resetKernel();
    String where = Show.kernelName();
    double plain = train(4_000, false);
    double live = train(4_000, true);
    double plain2 = train(4_000, false);
    io.github.spencerpark.ijava.IJava.active = null;
    Show.resetKernel();
    double base = Math.min(plain, plain2);
    System.out.printf(
        Locale.ROOT,
        "%nLive progress (%s API): 4,000 iterations of ~2 ms: %.0f ms without, %.0f ms with"
            + " LiveDisplay (defaults: table every 250 ms, chart every 2 s): overhead %.1f%% (target"
            + " < 2%%)%n",
        where,
        base,
        live,
        100 * (live - base) / base);
  }

  private static volatile double sink;

  /** A fake training loop: busy work, and a history row per iteration, optionally shown live. */
  private static double train(int iterations, boolean showLive) {
    LongColumn iteration = LongColumn.create("iteration");
    StringColumn phase = StringColumn.create("phase");
    StringColumn metric = StringColumn.create("metric");
    DoubleColumn value = DoubleColumn.create("value");
    Table h = Table.create("history", iteration, phase, metric, value);
    LiveDisplay live = LiveDisplay.create();
    long t0 = System.nanoTime();
    for (int i = 1; i <= iterations; i++) {
      long until = System.nanoTime() + 2_000_000;
      double x = 0;
      while (System.nanoTime() < until) {
        x += Math.sqrt(x + i);
      }
      sink = x;
      iteration.append(i);
      phase.append("train");
      metric.append("loss");
      value.append(1.0 / i);
      if (showLive) {
        live.offer(h);
      }
    }
    if (showLive) {
      live.finish(h);
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static void row(String what, double ms, double baseline) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %s | %s | %s |%n",
        what,
        ms,
        Double.isNaN(baseline) ? "-" : String.format(Locale.ROOT, "%.1f", baseline),
        Double.isNaN(baseline) ? "-" : String.format(Locale.ROOT, "%.1fx", baseline / ms),
        ms < 1_000 ? "yes" : "NO");
  }

  private static double once(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(Runnable r, int n) {
    r.run(); // warm-up
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      ms[i] = once(r);
    }
    Arrays.sort(ms);
    return ms[n / 2];
  }

  /** A 10,000-iteration history in long format: train loss each iteration, validation every 100. */
  static Table history(int iterations) {
    Fixtures.HistoryRows rows = new Fixtures.HistoryRows();
    for (int i = 1; i <= iterations; i++) {
      rows.add(i, "train", "loss", 2.0 / Math.sqrt(i), 1e-3, i * 0.01);
      if (i % 100 == 0) {
        rows.add(i, "validation", "loss", 2.2 / Math.sqrt(i), 1e-3, i * 0.01);
      }
    }
    return rows.table("history");
  }
}
