package dev.runkit.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where a trial stands after a segment: plain, serialisable data that an executor returns.
 *
 * @param trial the trial number
 * @param status RUNNING when it stopped at its stop point short of the run length (it may be
 *     continued), COMPLETED, PRUNED or FAILED
 * @param objective the best value of the objective so far, NaN when none was measured
 * @param bestIteration the iteration of that value, -1 when none
 * @param iterations the iterations trained so far
 * @param startIteration the iteration this segment continued from (0 for a fresh start)
 * @param seconds wall time spent on the trial
 * @param history every reported value, as the run's history table holds them
 * @param message why it stopped, in words (the error for a failure)
 */
public record TrialResult(
    int trial,
    TrialStatus status,
    double objective,
    long bestIteration,
    long iterations,
    long startIteration,
    double seconds,
    List<Row> history,
    String message)
    implements Serializable {

  /**
   * One history row.
   *
   * @param iteration the iteration
   * @param phase train, validation or test
   * @param metric the metric
   * @param value the value
   * @param lr the learning rate then
   * @param elapsed seconds of training then
   */
  public record Row(
      long iteration, String phase, String metric, double value, double lr, double elapsed)
      implements Serializable {}

  /** Copies the history. */
  public TrialResult {
    history = List.copyOf(history);
    message = message == null ? "" : message;
  }

  /**
   * Returns a failure before or during training.
   *
   * @param trial the trial
   * @param message what went wrong
   * @param seconds the time spent
   * @return the result
   */
  public static TrialResult failed(Trial trial, String message, double seconds) {
    return new TrialResult(
        trial.id(), TrialStatus.FAILED, Double.NaN, -1, 0, 0, seconds, List.of(), message);
  }

  /**
   * Returns this result with another status and message (a trial the scheduler pruned).
   *
   * @param s the status
   * @param why the message
   * @return the result
   */
  public TrialResult withStatus(TrialStatus s, String why) {
    return new TrialResult(
        trial, s, objective, bestIteration, iterations, startIteration, seconds, history, why);
  }

  /**
   * Returns this result with another wall time (the sum over a trial's segments).
   *
   * @param s seconds
   * @return the result
   */
  public TrialResult withSeconds(double s) {
    return new TrialResult(
        trial, status, objective, bestIteration, iterations, startIteration, s, history, message);
  }

  /**
   * Returns the history as a table with the columns of {@code RunResult.history()}: iteration,
   * phase, metric, value, lr, elapsed.
   *
   * @return a new table
   */
  public Table historyTable() {
    int n = history.size();
    long[] iteration = new long[n];
    String[] phase = new String[n];
    String[] metric = new String[n];
    double[] value = new double[n];
    double[] lr = new double[n];
    double[] elapsed = new double[n];
    for (int i = 0; i < n; i++) {
      Row r = history.get(i);
      iteration[i] = r.iteration();
      phase[i] = r.phase();
      metric[i] = r.metric();
      value[i] = r.value();
      lr[i] = r.lr();
      elapsed[i] = r.elapsed();
    }
    return Table.create(
        "trial " + trial,
        LongColumn.create("iteration", iteration),
        StringColumn.create("phase", phase),
        StringColumn.create("metric", metric),
        DoubleColumn.create("value", value),
        DoubleColumn.create("lr", lr),
        DoubleColumn.create("elapsed", elapsed));
  }

  /**
   * Reads a run's history table into rows.
   *
   * @param table a table with the columns of {@code RunResult.history()}
   * @return the rows
   */
  public static List<Row> rows(Table table) {
    List<Row> out = new ArrayList<>(table.rowCount());
    LongColumn iteration = table.longColumn("iteration");
    StringColumn phase = table.stringColumn("phase");
    StringColumn metric = table.stringColumn("metric");
    DoubleColumn value = table.doubleColumn("value");
    DoubleColumn lr = table.doubleColumn("lr");
    DoubleColumn elapsed = table.doubleColumn("elapsed");
    for (int i = 0; i < table.rowCount(); i++) {
      out.add(
          new Row(
              iteration.getLong(i),
              phase.get(i),
              metric.get(i),
              value.getDouble(i),
              lr.getDouble(i),
              elapsed.getDouble(i)));
    }
    return out;
  }
}
