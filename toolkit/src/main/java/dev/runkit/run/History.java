package dev.runkit.run;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The rows a run reports, one per (iteration, phase, metric): kept as plain lists while training
 * (cheap to append, to checkpoint and to restore) and turned into a tablesaw table on request.
 */
final class History {

  /** One reported value. */
  record Row(
      long iteration, String phase, String metric, double value, double lr, double elapsed) {}

  private final List<Row> rows = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return rows;
  }

  void restore(List<Row> saved) {
    rows.clear();
    rows.addAll(saved);
  }

  /** Returns the rows as a table with columns iteration, phase, metric, value, lr, elapsed. */
  Table toTable() {
    int n = rows.size();
    long[] iteration = new long[n];
    String[] phase = new String[n];
    String[] metric = new String[n];
    double[] value = new double[n];
    double[] lr = new double[n];
    double[] elapsed = new double[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      iteration[i] = r.iteration();
      phase[i] = r.phase();
      metric[i] = r.metric();
      value[i] = r.value();
      lr[i] = r.lr();
      elapsed[i] = r.elapsed();
    }
    return Table.create(
        "history",
        LongColumn.create("iteration", iteration),
        StringColumn.create("phase", phase),
        StringColumn.create("metric", metric),
        DoubleColumn.create("value", value),
        DoubleColumn.create("lr", lr),
        DoubleColumn.create("elapsed", elapsed));
  }
}
