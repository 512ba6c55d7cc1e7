package dev.runkit.notebook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import tech.tablesaw.api.Table;

/**
 * Live training progress in one display updated in place: the latest value of every metric and the
 * training curves, from a history table in long format (columns {@code iteration}, {@code phase},
 * {@code metric}, {@code value}, optional {@code lr}, {@code elapsed}). Updates are throttled (the
 * table at most every {@code minInterval}, the chart, which costs more to draw, at most every
 * {@code chartInterval}, or 49 times the last redraw's cost when that is longer, so drawing takes
 * at most 2% of the time), so a training loop may offer every iteration. Outside a kernel each
 * shown update is one console line, and {@link #finish} prints the table and writes the chart.
 *
 * <pre>{@code
 * LiveDisplay live = LiveDisplay.create();
 * for (...) { ...; live.offer(history); }   // cheap when not due
 * live.finish(history);                    // always shows the final state
 * }</pre>
 *
 * <p>Like {@link Show}, no method throws: a bad history is shown as a message.
 */
public final class LiveDisplay {

  private final Display display = Display.create();
  private final long minNanos;
  private final LongSupplier clock;
  private long lastShown = Long.MIN_VALUE;
  private final LiveChart chart;
  private volatile String note = "";
  private int updates;

  LiveDisplay(Duration minInterval, Duration chartInterval, LongSupplier clock) {
    if (minInterval.isNegative() || chartInterval.isNegative()) {
      throw new IllegalArgumentException(
          "intervals must be >= 0, got " + minInterval + " and " + chartInterval);
    }
    this.minNanos = minInterval.toNanos();
    this.chart = new LiveChart(chartInterval.toNanos(), clock);
    this.clock = clock;
  }

  /**
   * Makes a live display updating the table at most 4 times a second and the chart every 2 seconds.
   *
   * @return the display (nothing is shown before the first offer)
   */
  public static LiveDisplay create() {
    return create(Duration.ofMillis(250), Duration.ofSeconds(2));
  }

  /**
   * Makes a live display with chosen throttling.
   *
   * @param minInterval the least time between two updates
   * @param chartInterval the least time between two redraws of the chart
   * @return the display
   * @throws IllegalArgumentException if an interval is negative
   */
  public static LiveDisplay create(Duration minInterval, Duration chartInterval) {
    return new LiveDisplay(minInterval, chartInterval, System::nanoTime);
  }

  /**
   * Shows the history if the last update is at least {@code minInterval} old.
   *
   * @param history the history so far
   * @return whether it was shown
   */
  public boolean offer(Table history) {
    long now = clock.getAsLong();
    if (lastShown != Long.MIN_VALUE && now - lastShown < minNanos) {
      return false;
    }
    show(history, now, false);
    return true;
  }

  /**
   * Shows the final state, chart redrawn, whatever the throttling.
   *
   * @param history the whole history
   */
  public void finish(Table history) {
    show(history, clock.getAsLong(), true);
    if (Show.kernel().isEmpty()) {
      Show.table(safeFinalMetrics(history));
      Show.emit(null, false, () -> Show.chartOutput(Charts.curves(history), false));
    }
  }

  /**
   * Sets a line shown under the table from the next update on (e.g. the iteration and speed).
   *
   * @param text the line; empty for none
   */
  public void note(String text) {
    note = text == null ? "" : text;
  }

  /**
   * Returns how many updates were shown.
   *
   * @return the count
   */
  public int updates() {
    return updates;
  }

  /**
   * Returns the id of the underlying display.
   *
   * @return the Jupyter display id
   */
  public String id() {
    return display.id();
  }

  private void show(Table history, long now, boolean last) {
    lastShown = now;
    updates++;
    if (Show.kernel().isEmpty()) {
      display.text(consoleLine(history));
      return;
    }
    boolean redraw = last || chart.due(now);
    int shown = updates;
    Show.emit(
        display.id(),
        updates > 1,
        () -> {
          Table latest = Tables.finalMetrics(history);
          if (redraw) {
            // a small chart with few buckets: drawn every few seconds during training, it must be
            // cheap
            chart.drawImage(
                now,
                () ->
                    Charts.curves(history, ChartOptions.defaults().size(640, 320).maxPoints(250)));
          }
          TableRenderer r = TableRenderer.of(latest, 40);
          String status = note.isEmpty() ? "" : "<p>" + Formats.html(note) + "</p>";
          // the count of updates is for tools (a notebook keeps only a display's last state), not
          // for readers
          return Output.html(
              "progress",
              "<div class=\"runkit-live\" data-updates=\""
                  + shown
                  + "\">"
                  + r.html()
                  + status
                  + chart.html()
                  + "</div>",
              r.text());
        });
  }

  private static Table safeFinalMetrics(Table history) {
    try {
      return Tables.finalMetrics(history);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** One line: the last iteration and the last value of every phase and metric. */
  static String consoleLine(Table history) {
    try {
      Table latest = Tables.finalMetrics(history);
      if (latest.rowCount() == 0) {
        return "progress: nothing recorded yet";
      }
      long iteration = 0;
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < latest.rowCount(); i++) {
        iteration = Math.max(iteration, latest.longColumn("iteration").getLong(i));
        parts.add(
            latest.stringColumn("phase").get(i)
                + " "
                + latest.stringColumn("metric").get(i)
                + " "
                + Formats.number(latest.doubleColumn("last").getDouble(i)));
      }
      return "iteration " + iteration + ": " + String.join(", ", parts);
    } catch (IllegalArgumentException e) {
      return "progress: " + e.getMessage();
    }
  }
}
