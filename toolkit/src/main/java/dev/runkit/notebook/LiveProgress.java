package dev.runkit.notebook;

import dev.runkit.run.Progress;
import dev.runkit.run.ProgressListener;
import dev.runkit.run.ProgressListenerProvider;
import dev.runkit.run.StopReason;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Shows a running fit in one notebook display, updated in place: the latest value of every metric
 * and the loss curve, through a {@link LiveDisplay} (throttled, so reports cost little between
 * updates). Inside a Java kernel {@code Runner.fit()} uses it without being asked ({@link
 * Provider}, found by {@link dev.runkit.run.ProgressListeners#automatic()}); pass one to {@code
 * Runner.progress(...)} to choose the throttling.
 *
 * <pre>{@code
 * Runner.with(model)...progress(LiveProgress.create(Duration.ofMillis(500), Duration.ofSeconds(5)))
 *     .fit();
 * }</pre>
 *
 * <p>The reports carry the latest value of each metric, so the curve is rebuilt here: a train value
 * at every report, a validation or test value whenever it changes.
 */
public final class LiveProgress implements ProgressListener {

  private final LiveDisplay live;
  private final LongColumn iteration = LongColumn.create("iteration");
  private final StringColumn phase = StringColumn.create("phase");
  private final StringColumn metric = StringColumn.create("metric");
  private final DoubleColumn value = DoubleColumn.create("value");
  private final DoubleColumn lr = DoubleColumn.create("lr");
  private final DoubleColumn elapsed = DoubleColumn.create("elapsed");
  private final Table history =
      Table.create("training", iteration, phase, metric, value, lr, elapsed);
  private final Map<String, Double> lastShown = new HashMap<>();
  private long startNanos = System.nanoTime();

  private LiveProgress(LiveDisplay live) {
    this.live = live;
  }

  /**
   * Makes a live progress display with {@link LiveDisplay#create()}'s throttling (table at most 4
   * times a second, chart every 2 seconds).
   *
   * @return the listener
   */
  public static LiveProgress create() {
    return new LiveProgress(LiveDisplay.create());
  }

  /**
   * Makes a live progress display with chosen throttling.
   *
   * @param minInterval the least time between two updates
   * @param chartInterval the least time between two redraws of the chart
   * @return the listener
   * @throws IllegalArgumentException if an interval is negative
   */
  public static LiveProgress create(Duration minInterval, Duration chartInterval) {
    return new LiveProgress(LiveDisplay.create(minInterval, chartInterval));
  }

  @Override
  public void onStart(long total) {
    startNanos = System.nanoTime();
  }

  @Override
  public void onProgress(Progress p) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    for (Map.Entry<String, Double> e : p.latest().entrySet()) {
      String key = e.getKey();
      double v = e.getValue() == null ? Double.NaN : e.getValue();
      int slash = key.indexOf('/');
      String ph = slash < 0 ? "train" : key.substring(0, slash);
      Double before = lastShown.put(key, v);
      if (!ph.equals("train") && before != null && Double.compare(before, v) == 0) {
        continue; // a validation value repeats in every report until the next validation
      }
      iteration.append(p.iteration());
      phase.append(ph);
      metric.append(slash < 0 ? key : key.substring(slash + 1));
      value.append(v);
      lr.append(p.lr());
      elapsed.append(seconds);
    }
    live.offer(history);
  }

  @Override
  public void onEnd(StopReason reason, String message) {
    live.finish(history);
  }

  /**
   * Returns how many updates the display has shown.
   *
   * @return the count
   */
  public int updates() {
    return live.updates();
  }

  /**
   * Returns the id of the display.
   *
   * @return the Jupyter display id
   */
  public String id() {
    return live.id();
  }

  /**
   * Returns the history rebuilt from the reports so far (long format, as {@code
   * RunResult.history()}).
   *
   * @return a copy
   */
  public Table history() {
    return history.copy();
  }

  /**
   * Offers a {@link LiveProgress} to fits that run inside a Java kernel; registered in {@code
   * META-INF/services/dev.runkit.run.ProgressListenerProvider}.
   */
  public static final class Provider implements ProgressListenerProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public Provider() {}

    @Override
    public Optional<ProgressListener> listener() {
      return Show.kernel().isPresent() ? Optional.of(create()) : Optional.empty();
    }
  }
}
