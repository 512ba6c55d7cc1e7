package dev.runkit.notebook;

import dev.runkit.RunResult;
import dev.runkit.run.LrFinderResult;
import dev.runkit.schedule.Schedule;
import dev.runkit.schedule.ScheduleSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds tablesaw tables worth showing: a schedule sampled at chosen steps, a configuration, and
 * summaries of a training history in long format (columns {@code iteration}, {@code phase}, {@code
 * metric}, {@code value}, optional {@code lr} and {@code elapsed}).
 *
 * <pre>{@code
 * Show.table(Tables.schedule(schedule, 0, 100, 500, 1_000));
 * Show.table(Tables.config("optimizer", Map.of("TYPE", "AdamW", "PARAM", Map.of("lr", 1e-3))));
 * Show.table(Tables.historySummary(result.history()));
 * }</pre>
 */
public final class Tables {

  private Tables() {}

  /**
   * Samples a schedule at chosen steps: columns {@code step}, {@code lr} and, when it cycles
   * momentum, {@code momentum}.
   *
   * @param schedule the schedule
   * @param steps the steps, each {@code >= 0}; none gives an empty table
   * @return the table
   * @throws IllegalArgumentException if a step is negative or the schedule is null
   */
  public static Table schedule(Schedule schedule, long... steps) {
    if (schedule == null) {
      throw new IllegalArgumentException("Tables.schedule: the schedule is null");
    }
    return schedule.tableAt(steps).setName("schedule");
  }

  /**
   * Samples several schedules at the same steps, one lr column each.
   *
   * @param schedules name to schedule, in column order
   * @param steps the steps, each {@code >= 0}
   * @return the table with columns {@code step} and one per schedule
   * @throws IllegalArgumentException if a step is negative or a schedule is null
   */
  public static Table schedules(Map<String, ? extends Schedule> schedules, long... steps) {
    Table table = Table.create("schedules", LongColumn.create("step", steps));
    for (Map.Entry<String, ? extends Schedule> e : schedules.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException(
            "Tables.schedules: schedule \"" + e.getKey() + "\" is null");
      }
      table.addColumns(
          DoubleColumn.create(
              e.getKey(), e.getValue().tableAt(steps).doubleColumn("lr").asDoubleArray()));
    }
    return table;
  }

  /**
   * Lists a configuration as {@code key}/{@code value} rows, nested maps flattened to dotted keys
   * ({@code PARAM.T_max}) so an optimizer or schedule config reads as one table.
   *
   * @param name the table name (e.g. "optimizer")
   * @param config the configuration, as read from YAML/JSON or built in code
   * @return the table
   */
  public static Table config(String name, Map<String, ?> config) {
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if (config != null) {
      flatten("", config, keys, values);
    }
    return Table.create(
        name == null ? "config" : name,
        StringColumn.create("key", keys),
        StringColumn.create("value", values));
  }

  /**
   * Lists a schedule spec ({@code TYPE} and each {@code PARAM}) as a configuration table.
   *
   * @param spec the spec, e.g. from the fluent factories of {@code Schedules}
   * @return the table
   */
  public static Table config(ScheduleSpec spec) {
    return config("schedule", spec.toConfig());
  }

  private static void flatten(
      String prefix, Map<?, ?> map, List<String> keys, List<String> values) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested && !nested.isEmpty()) {
        flatten(key + ".", nested, keys, values);
      } else {
        keys.add(key);
        values.add(valueText(v));
      }
    }
  }

  private static String valueText(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return Formats.number(((Number) v).doubleValue());
    }
    if (v instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>();
      for (Object o : c) {
        parts.add(valueText(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(v);
  }

  /**
   * Summarises an LR-finder search: the two suggested learning rates with their loss, the range and
   * how the search ended.
   *
   * @param result the search result
   * @return columns {@code item}, {@code lr}, {@code smoothed_loss}, {@code note}
   * @throws IllegalArgumentException if the result is null
   */
  public static Table lrFinder(LrFinderResult result) {
    if (result == null) {
      throw new IllegalArgumentException("Tables.lrFinder: the LR-finder result is null");
    }
    StringColumn item = StringColumn.create("item");
    DoubleColumn lr = DoubleColumn.create("lr");
    DoubleColumn loss = DoubleColumn.create("smoothed_loss");
    StringColumn note = StringColumn.create("note");
    double[] lrs = result.lrs();
    double[] smoothed = result.smoothed();
    addSuggestion(
        item,
        lr,
        loss,
        note,
        "valley",
        result.valleyIndex(),
        lrs,
        smoothed,
        "fastai's default: within the longest descent");
    addSuggestion(
        item,
        lr,
        loss,
        note,
        "steepest",
        result.steepestIndex(),
        lrs,
        smoothed,
        "steepest fall of the smoothed loss");
    item.append("range");
    lr.append(result.settings().start());
    loss.appendMissing();
    note.append(
        "to "
            + Formats.number(result.settings().end())
            + ", "
            + result.size()
            + " of "
            + result.settings().steps()
            + " steps; "
            + result.message());
    return Table.create("LR finder", item, lr, loss, note);
  }

  private static void addSuggestion(
      StringColumn item,
      DoubleColumn lr,
      DoubleColumn loss,
      StringColumn note,
      String name,
      java.util.OptionalInt index,
      double[] lrs,
      double[] smoothed,
      String meaning) {
    item.append(name);
    if (index.isPresent()) {
      lr.append(lrs[index.getAsInt()]);
      loss.append(smoothed[index.getAsInt()]);
      note.append(meaning);
    } else {
      lr.appendMissing();
      loss.appendMissing();
      note.append("no suggestion: fewer than three finite points");
    }
  }

  /**
   * Summarises a run per validation interval, as {@link #historySummary(Table)} does for its
   * history.
   *
   * @param result the result of {@code Runner.fit()}
   * @return one row per validation
   * @throws IllegalArgumentException if the result is null
   */
  public static Table historySummary(RunResult result) {
    return historySummary(Charts.historyOf(result, "Tables.historySummary"));
  }

  /**
   * Lists the final value of every phase and metric of a run, as {@link #finalMetrics(Table)} does
   * for its history.
   *
   * @param result the result of {@code Runner.fit()}
   * @return one row per phase and metric
   * @throws IllegalArgumentException if the result is null
   */
  public static Table finalMetrics(RunResult result) {
    return finalMetrics(Charts.historyOf(result, "Tables.finalMetrics"));
  }

  /**
   * Compares runs in one table, a row per run under its name ({@code Runner.name(...)}): how it
   * stopped, its iterations and wall time, its best monitored validation value and iteration, and
   * the last value of every phase and metric any of the runs recorded ({@code validation_accuracy},
   * {@code test_loss}, ...).
   *
   * <pre>{@code
   * Show.table(Tables.compare(adamw, sgd, lion));
   * }</pre>
   *
   * @param runs the runs, in row order; runs of one name are told apart as "name (2)", ...
   * @return the table
   * @throws IllegalArgumentException if a run is null
   */
  public static Table compare(RunResult... runs) {
    return compare(List.of(runs));
  }

  /**
   * Compares runs in one table; see {@link #compare(RunResult...)}.
   *
   * @param runs the runs, in row order
   * @return the table
   * @throws IllegalArgumentException if the list or a run is null
   */
  public static Table compare(List<RunResult> runs) {
    return compare(byName(runs, "Tables.compare"));
  }

  /**
   * Compares runs in one table under the names given; see {@link #compare(RunResult...)}.
   *
   * @param runs name to run, in row order (a {@code LinkedHashMap} keeps it)
   * @return the table
   * @throws IllegalArgumentException if the map or a run is null
   */
  public static Table compare(Map<String, RunResult> runs) {
    if (runs == null) {
      throw new IllegalArgumentException("Tables.compare: the runs are null");
    }
    StringColumn name = StringColumn.create("run");
    StringColumn stopped = StringColumn.create("stopped");
    LongColumn iterations = LongColumn.create("iterations");
    DoubleColumn seconds = DoubleColumn.create("seconds");
    StringColumn monitor = StringColumn.create("monitor");
    DoubleColumn best = DoubleColumn.create("best");
    LongColumn bestAt = LongColumn.create("best_iteration");
    Map<String, DoubleColumn> last = new LinkedHashMap<>();
    int row = 0;
    for (Map.Entry<String, RunResult> e : runs.entrySet()) {
      RunResult r = e.getValue();
      if (r == null) {
        throw new IllegalArgumentException("Tables.compare: run \"" + e.getKey() + "\" is null");
      }
      Table finals = finalMetrics(r.history());
      name.append(e.getKey());
      stopped.append(r.stopReason().name());
      iterations.append(r.iterations());
      seconds.append(
          r.history().rowCount() == 0 ? Double.NaN : r.history().doubleColumn("elapsed").max());
      monitor.append(
          "validation "
              + r.monitor().metric()
              + (r.monitor().higherIsBetter() ? " (max)" : " (min)"));
      best.append(r.best().orElse(Double.NaN));
      if (r.bestIteration() >= 0) {
        bestAt.append(r.bestIteration());
      } else {
        bestAt.appendMissing();
      }
      for (int i = 0; i < finals.rowCount(); i++) {
        String column =
            finals.stringColumn("phase").get(i) + "_" + finals.stringColumn("metric").get(i);
        DoubleColumn c = last.computeIfAbsent(column, k -> DoubleColumn.create(k));
        while (c.size() < row) {
          c.appendMissing();
        }
        c.append(finals.doubleColumn("last").get(i));
      }
      row++;
    }
    Table out = Table.create("runs", name, stopped, iterations, seconds, monitor, best, bestAt);
    for (DoubleColumn c : last.values()) {
      while (c.size() < row) {
        c.appendMissing();
      }
      out.addColumns(c);
    }
    return out;
  }

  /** Names runs by {@link RunResult#name()}, in order; a name met again gets " (2)", " (3)", ... */
  static Map<String, RunResult> byName(List<RunResult> runs, String caller) {
    if (runs == null) {
      throw new IllegalArgumentException(caller + ": the runs are null");
    }
    Map<String, RunResult> named = new LinkedHashMap<>();
    for (RunResult r : runs) {
      if (r == null) {
        throw new IllegalArgumentException(caller + ": run " + (named.size() + 1) + " is null");
      }
      String name = r.name();
      for (int k = 2; named.containsKey(name); k++) {
        name = r.name() + " (" + k + ")";
      }
      named.put(name, r);
    }
    return named;
  }

  /**
   * Renders a table as aligned text with readable numbers (head and tail of long tables), as {@link
   * Show#table} prints it outside a kernel; for consoles and logs.
   *
   * @param table the table
   * @return the text, ending with a note when rows were left out
   */
  public static String text(Table table) {
    return TableRenderer.of(table, TableRenderer.DEFAULT_MAX_ROWS).text();
  }

  /**
   * Summarises a history per validation interval: one row per iteration with a validation result,
   * the mean of each train metric over the interval that ends there, each validation (and test)
   * metric at that iteration, the learning rate in force and the elapsed time. Without validation
   * rows the whole run is one interval.
   *
   * @param history the history in long format
   * @return the summary; an empty history gives an empty table with the {@code iteration} column
   * @throws IllegalArgumentException if the table lacks a required column
   */
  public static Table historySummary(Table history) {
    History h = History.of(history, "Tables.historySummary");
    Table out = Table.create(h.name + " summary");
    if (h.rows == 0) {
      out.addColumns(IntColumn.create("iteration"));
      return out;
    }
    // interval ends: iterations with a non-train row, ascending; else the last iteration
    java.util.TreeSet<Double> ends = new java.util.TreeSet<>();
    double lastIteration = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < h.rows; i++) {
      lastIteration = Math.max(lastIteration, h.iteration[i]);
      if (!h.phase[i].equals("train")) {
        ends.add(h.iteration[i]);
      }
    }
    if (ends.isEmpty()) {
      ends.add(lastIteration);
    }
    List<Double> endList = new ArrayList<>(ends);
    int m = endList.size();
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, int[]> counts = new LinkedHashMap<>();
    double[] lr = new double[m];
    double[] elapsed = new double[m];
    double[] lrIter = new double[m];
    java.util.Arrays.fill(lr, Double.NaN);
    java.util.Arrays.fill(elapsed, Double.NaN);
    java.util.Arrays.fill(lrIter, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < h.rows; i++) {
      double it = h.iteration[i];
      Double end = ends.ceiling(it);
      if (end == null) {
        continue; // train rows after the last validation belong to no finished interval
      }
      int k = java.util.Collections.binarySearch(endList, end);
      boolean train = h.phase[i].equals("train");
      String column = h.phase[i] + "_" + h.metric[i];
      sums.computeIfAbsent(column, c -> new double[m]);
      counts.computeIfAbsent(column, c -> new int[m]);
      if (train || it == end) {
        double v = h.value[i];
        if (Double.isNaN(v)) {
          sums.get(column)[k] = Double.NaN; // a NaN loss in the interval must show, not vanish
        } else {
          sums.get(column)[k] += v;
        }
        counts.get(column)[k]++;
      }
      // the rate in force at the interval's end: a validation row there has it; train rows are
      // logged at their own interval and may end earlier
      if (h.lr != null && (train || it == end) && it >= lrIter[k] && !Double.isNaN(h.lr[i])) {
        lr[k] = h.lr[i];
        lrIter[k] = it;
      }
      if (h.elapsed != null && !Double.isNaN(h.elapsed[i])) {
        elapsed[k] = Double.isNaN(elapsed[k]) ? h.elapsed[i] : Math.max(elapsed[k], h.elapsed[i]);
      }
    }
    double[] iterations = new double[m];
    for (int k = 0; k < m; k++) {
      iterations[k] = endList.get(k);
    }
    out.addColumns(LongColumn.create("iteration", toLongs(iterations)));
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      int[] c = counts.get(e.getKey());
      double[] mean = new double[m];
      for (int k = 0; k < m; k++) {
        mean[k] = c[k] == 0 ? Double.NaN : e.getValue()[k] / c[k];
      }
      out.addColumns(DoubleColumn.create(e.getKey(), mean));
    }
    if (h.lr != null) {
      out.addColumns(DoubleColumn.create("lr", lr));
    }
    if (h.elapsed != null) {
      out.addColumns(DoubleColumn.create("elapsed", elapsed));
    }
    return out;
  }

  private static long[] toLongs(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (long) v[i];
    }
    return out;
  }

  /**
   * Lists the final value of every phase and metric: the last value recorded, its iteration, the
   * lowest and highest values and how many were recorded (NaN values counted in {@code nan}).
   *
   * @param history the history in long format
   * @return columns {@code phase}, {@code metric}, {@code last}, {@code iteration}, {@code min},
   *     {@code max}, {@code count}, {@code nan}; an empty history gives no rows
   * @throws IllegalArgumentException if the table lacks a required column
   */
  public static Table finalMetrics(Table history) {
    History h = History.of(history, "Tables.finalMetrics");
    StringColumn phase = StringColumn.create("phase");
    StringColumn metric = StringColumn.create("metric");
    DoubleColumn last = DoubleColumn.create("last");
    LongColumn iteration = LongColumn.create("iteration");
    DoubleColumn min = DoubleColumn.create("min");
    DoubleColumn max = DoubleColumn.create("max");
    IntColumn count = IntColumn.create("count");
    IntColumn nan = IntColumn.create("nan");
    for (String p : h.phases()) {
      for (String mName : h.metrics()) {
        int[] rows = h.rowsOf(p, mName);
        if (rows.length == 0) {
          continue;
        }
        int lastRow = rows[0];
        double lo = Double.NaN;
        double hi = Double.NaN;
        int nans = 0;
        for (int r : rows) {
          if (h.iteration[r] >= h.iteration[lastRow]) {
            lastRow = r;
          }
          double v = h.value[r];
          if (Double.isNaN(v)) {
            nans++;
          } else {
            lo = Double.isNaN(lo) ? v : Math.min(lo, v);
            hi = Double.isNaN(hi) ? v : Math.max(hi, v);
          }
        }
        phase.append(p);
        metric.append(mName);
        last.append(h.value[lastRow]);
        iteration.append((long) h.iteration[lastRow]);
        min.append(lo);
        max.append(hi);
        count.append(rows.length);
        nan.append(nans);
      }
    }
    return Table.create(
        h.name + " final metrics", phase, metric, last, iteration, min, max, count, nan);
  }
}
