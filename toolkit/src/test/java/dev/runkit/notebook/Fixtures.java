package dev.runkit.notebook;

import dev.runkit.schedule.Schedule;
import java.util.OptionalDouble;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Small exact schedules and histories for the notebook tests; the schedule families themselves are
 * built and tested in package {@code schedule}.
 */
final class Fixtures {

  private Fixtures() {}

  /** Linear warm-up to 0.1 over {@code warmup} steps, then cosine decay to 0 at {@code total}. */
  static Schedule warmupCosine(long warmup, long total) {
    return step -> {
      if (step < warmup) {
        return 0.1 * (step + 1) / warmup;
      }
      double t = Math.min(1.0, (double) (step - warmup) / Math.max(1, total - warmup));
      return 0.05 * (1 + Math.cos(Math.PI * t));
    };
  }

  /** Cosine with hard restarts every {@code period} steps (SGDR), from 0.1 to 0.001. */
  static Schedule restarts(long period) {
    return step -> 0.001 + 0.0495 * (1 + Math.cos(Math.PI * (step % period) / period));
  }

  /** A one-cycle-like schedule that also cycles momentum between 0.85 and 0.95. */
  static Schedule cyclingMomentum(long total) {
    return new Schedule() {
      @Override
      public double lr(long step) {
        double t = (double) step / total;
        return t < 0.3 ? 0.01 + 0.09 * t / 0.3 : 0.1 * (1 - (t - 0.3) / 0.7) + 1e-6;
      }

      @Override
      public OptionalDouble momentum(long step) {
        double t = (double) step / total;
        return OptionalDouble.of(t < 0.3 ? 0.95 - 0.1 * t / 0.3 : 0.85 + 0.1 * (t - 0.3) / 0.7);
      }
    };
  }

  /**
   * A history in long format: train loss every iteration, validation loss and accuracy every {@code
   * every} iterations.
   */
  static Table history(int iterations, int every) {
    HistoryRows rows = new HistoryRows();
    for (int i = 1; i <= iterations; i++) {
      rows.add(i, "train", "loss", 2.0 / i, 0.1, i * 0.01);
      if (i % every == 0) {
        rows.add(i, "validation", "loss", 3.0 / i, 0.1, i * 0.01);
        rows.add(i, "validation", "accuracy", 1 - 1.0 / i, 0.1, i * 0.01);
      }
    }
    return rows.table("run");
  }

  /** A history in long format (the columns of {@code RunResult.history()}), built row by row. */
  static final class HistoryRows {
    private final LongColumn iteration = LongColumn.create("iteration");
    private final StringColumn phase = StringColumn.create("phase");
    private final StringColumn metric = StringColumn.create("metric");
    private final DoubleColumn value = DoubleColumn.create("value");
    private final DoubleColumn lr = DoubleColumn.create("lr");
    private final DoubleColumn elapsed = DoubleColumn.create("elapsed");

    /** Appends one row. */
    void add(long i, String p, String m, double v, double l, double e) {
      iteration.append(i);
      phase.append(p);
      metric.append(m);
      value.append(v);
      lr.append(l);
      elapsed.append(e);
    }

    /** The rows so far as a table of that name. */
    Table table(String name) {
      return Table.create(name, iteration, phase, metric, value, lr, elapsed);
    }
  }

  /**
   * The series a reader sees: those in the legend (Charts adds invisible helpers for tick layout).
   */
  static java.util.Map<String, org.knowm.xchart.XYSeries> shown(org.knowm.xchart.XYChart chart) {
    java.util.Map<String, org.knowm.xchart.XYSeries> shown = new java.util.LinkedHashMap<>();
    chart
        .getSeriesMap()
        .forEach(
            (name, s) -> {
              if (s.isShowInLegend()) {
                shown.put(name, s);
              }
            });
    return shown;
  }
}
