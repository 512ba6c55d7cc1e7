package dev.runkit.notebook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A training history in long format, checked once and read as arrays: one row per (iteration,
 * phase, metric) with columns {@code iteration}, {@code phase} ("train", "validation", "test"),
 * {@code metric}, {@code value} and, optionally, {@code lr} and {@code elapsed} (seconds).
 */
final class History {

  /** The columns a history table has, in order; the last two are optional. */
  static final List<String> COLUMNS =
      List.of("iteration", "phase", "metric", "value", "lr", "elapsed");

  final String name;
  final int rows;
  final double[] iteration;
  final String[] phase;
  final String[] metric;
  final double[] value;
  final double[] lr;
  final double[] elapsed;

  private History(Table t) {
    name = t.name() == null ? "history" : t.name();
    rows = t.rowCount();
    iteration = doubles(t, "iteration", true);
    phase = strings(t, "phase");
    metric = strings(t, "metric");
    value = doubles(t, "value", true);
    lr = doubles(t, "lr", false);
    elapsed = doubles(t, "elapsed", false);
  }

  /**
   * Reads and checks a history table.
   *
   * @param table the table
   * @param caller the method name, for messages
   * @return the history
   * @throws IllegalArgumentException if the table is null or lacks a required column or has one of
   *     the wrong type
   */
  static History of(Table table, String caller) {
    if (table == null) {
      throw new IllegalArgumentException(caller + ": the history table is null");
    }
    for (String required : COLUMNS.subList(0, 4)) {
      if (!table.containsColumn(required)) {
        throw new IllegalArgumentException(
            caller
                + ": history table \""
                + table.name()
                + "\" lacks column \""
                + required
                + "\"; expected the long format "
                + COLUMNS
                + " (lr and elapsed optional), got "
                + table.columnNames());
      }
    }
    return new History(table);
  }

  private static double[] doubles(Table t, String name, boolean required) {
    if (!t.containsColumn(name)) {
      return null;
    }
    Column<?> c = t.column(name);
    if (!(c instanceof NumericColumn<?> n)) {
      throw new IllegalArgumentException(
          "history column \"" + name + "\" must be numeric, got " + c.type().name());
    }
    double[] out = new double[t.rowCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.isMissing(i) ? Double.NaN : n.getDouble(i);
    }
    return out;
  }

  private static String[] strings(Table t, String name) {
    Column<?> c = t.column(name);
    String[] out = new String[t.rowCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.getString(i);
    }
    return out;
  }

  /** The metric names in order of first appearance. */
  List<String> metrics() {
    Set<String> names = new LinkedHashSet<>();
    for (String m : metric) {
      names.add(m);
    }
    return new ArrayList<>(names);
  }

  /** The phase names in order of first appearance. */
  List<String> phases() {
    Set<String> names = new LinkedHashSet<>();
    for (String p : phase) {
      names.add(p);
    }
    return new ArrayList<>(names);
  }

  /** The row indices of one phase and metric, in table order. */
  int[] rowsOf(String phaseName, String metricName) {
    int count = 0;
    int[] idx = new int[rows];
    for (int i = 0; i < rows; i++) {
      if (phase[i].equals(phaseName) && metric[i].equals(metricName)) {
        idx[count++] = i;
      }
    }
    return java.util.Arrays.copyOf(idx, count);
  }
}
