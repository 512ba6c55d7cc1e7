package dev.runkit.notebook;

import dev.runkit.sweep.Objective;
import dev.runkit.sweep.Param;
import dev.runkit.sweep.SweepListener;
import dev.runkit.sweep.SweepListenerProvider;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialResult;
import dev.runkit.sweep.TrialStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Shows a running sweep in one notebook display, updated in place: how many trials started,
 * completed, were pruned or failed and which are training, the best so far with its parameters, a
 * table of the trials that ended last, and the trials' curves. Inside a Java kernel {@code
 * Sweep.fit()} shows it without being asked ({@link Provider}); the trials themselves train quiet,
 * so their own progress does not fill the cell.
 *
 * <p>Updates are throttled (at most every {@code minInterval}; one that comes sooner is shown when
 * the interval has passed, so the display never lags behind a long trial), the chart, which costs
 * more to draw, at most every {@code chartInterval} and no more than 2% of the time. The final
 * state is shown before {@code fit()} returns. Outside a kernel each update is printed as text.
 */
public final class SweepProgress implements SweepListener {

  /** How many of the latest trials the table lists. */
  static final int LATEST = 8;

  private final Display display = Display.create();
  private final long minNanos;
  private final LongSupplier clock;

  // the sweep's state, guarded by this
  private int budget;
  private Path directory;
  private SweepResult latest;
  private final Map<Integer, Long> training = new TreeMap<>();
  private final Deque<Integer> recent = new ArrayDeque<>();
  private int started;
  private long startNanos;
  private boolean ended;

  private long lastShown = Long.MIN_VALUE;
  private final LiveChart chart;
  private int updates;
  private ScheduledExecutorService timer;
  private ScheduledFuture<?> pending;

  SweepProgress(Duration minInterval, Duration chartInterval, LongSupplier clock) {
    if (minInterval.isNegative() || chartInterval.isNegative()) {
      throw new IllegalArgumentException(
          "intervals must be >= 0, got " + minInterval + " and " + chartInterval);
    }
    this.minNanos = minInterval.toNanos();
    this.chart = new LiveChart(chartInterval.toNanos(), clock);
    this.clock = clock;
    this.startNanos = clock.getAsLong();
  }

  /**
   * Makes a sweep display updated at most 4 times a second, its chart every 2 seconds.
   *
   * @return the listener
   */
  public static SweepProgress create() {
    return create(Duration.ofMillis(250), Duration.ofSeconds(2));
  }

  /**
   * Makes a sweep display with chosen throttling.
   *
   * @param minInterval the least time between two updates
   * @param chartInterval the least time between two redraws of the chart
   * @return the listener
   * @throws IllegalArgumentException if an interval is negative
   */
  public static SweepProgress create(Duration minInterval, Duration chartInterval) {
    return new SweepProgress(minInterval, chartInterval, System::nanoTime);
  }

  @Override
  public synchronized void onStart(int trials, Path dir) {
    budget = trials;
    directory = dir;
    startNanos = clock.getAsLong();
    request();
  }

  @Override
  public synchronized void onTrialStart(Trial trial) {
    training.put(trial.id(), trial.stopAt());
    started = Math.max(started, trial.id() + 1);
    request();
  }

  @Override
  public synchronized void onTrialEnd(Trial trial, TrialResult result) {
    training.remove(trial.id());
    recent.remove(trial.id());
    recent.addFirst(trial.id());
  }

  @Override
  public synchronized void onUpdate(SweepResult sweep) {
    latest = sweep;
    request();
  }

  @Override
  public void onEnd(SweepResult result) {
    ScheduledExecutorService t;
    synchronized (this) {
      latest = result;
      ended = true;
      training.clear();
      t = timer;
      timer = null;
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
    }
    if (t != null) {
      t.shutdownNow();
    }
    synchronized (this) {
      show(true);
    }
  }

  /** Shows the state now when the last update is old enough, else once it is. */
  private void request() {
    long now = clock.getAsLong();
    if (lastShown == Long.MIN_VALUE || now - lastShown >= minNanos) {
      show(false);
      return;
    }
    if (pending != null && !pending.isDone()) {
      return;
    }
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread th = new Thread(r, "runkit-sweep-progress");
                th.setDaemon(true);
                return th;
              });
    }
    long wait = lastShown + minNanos - now;
    pending = timer.schedule(this::deferred, wait, TimeUnit.NANOSECONDS);
  }

  private synchronized void deferred() {
    // from here on a new request schedules its own update: this one may show an older state
    pending = null;
    if (!ended) {
      show(false);
    }
  }

  private void show(boolean last) {
    long now = clock.getAsLong();
    lastShown = now;
    updates++;
    boolean redraw = latest != null && (last || chart.due(now));
    String status = status(now);
    String best = best();
    Table table = latestTrials();
    int shown = updates;
    SweepResult sweep = latest;
    if (Show.kernel().isEmpty()) {
      display.text(status + (best.isEmpty() ? "" : "\n" + best));
      return;
    }
    Show.emit(
        display.id(),
        shown > 1,
        () -> {
          if (redraw) {
            chart.drawImage(
                now,
                () ->
                    SweepCharts.curves(
                        sweep,
                        ChartOptions.defaults()
                            .size(640, 320)
                            .title("Trials: " + SweepCharts.objectiveName(sweep.objective()))));
          }
          StringBuilder html = new StringBuilder();
          html.append("<div class=\"runkit-live runkit-sweep\" data-updates=\"")
              .append(shown)
              .append("\">");
          html.append("<p>").append(Formats.html(status)).append("</p>");
          if (!best.isEmpty()) {
            html.append("<p><b>").append(Formats.html(best)).append("</b></p>");
          }
          String text = status + (best.isEmpty() ? "" : "\n" + best);
          if (table != null) {
            TableRenderer r = TableRenderer.of(table, LATEST);
            html.append(r.html());
            text += "\n" + r.text();
          }
          html.append(chart.html()).append("</div>");
          return Output.html("sweep progress", html.toString(), text);
        });
  }

  /** One line: what started, how the trials stand, and the time. */
  private String status(long now) {
    int completed = 0;
    int pruned = 0;
    int failed = 0;
    int waiting = 0;
    int started = Math.max(this.started, latest == null ? 0 : latest.trials().size());
    if (latest != null) {
      for (TrialResult r : latest.results()) {
        switch (r.status()) {
          case COMPLETED -> completed++;
          case PRUNED -> pruned++;
          case FAILED -> failed++;
          case RUNNING -> waiting += training.containsKey(r.trial()) ? 0 : 1;
        }
      }
    }
    StringBuilder b = new StringBuilder("sweep");
    if (directory != null) {
      b.append(' ').append(directory.getFileName());
    }
    boolean stopped = ended && latest != null && latest.stopped();
    b.append(stopped ? " stopped: " : ended ? " ended: " : ": ");
    b.append(started).append(budget > 0 ? " of " + budget : "").append(" trials started, ");
    b.append(completed).append(" completed, ");
    b.append(pruned).append(" pruned, ");
    b.append(failed).append(" failed");
    if (waiting > 0) {
      b.append(", ").append(waiting).append(" waiting at a rung");
    }
    if (!training.isEmpty()) {
      List<String> busy = new ArrayList<>();
      training.forEach((id, stop) -> busy.add("trial " + id + " to iteration " + stop));
      b.append("; training ").append(String.join(", ", busy));
    }
    b.append(String.format(Locale.ROOT, "; %.1f s", (now - startNanos) / 1e9));
    if (stopped) {
      b.append("; ").append(latest.resumeCall()).append(" continues it");
    }
    return b.toString();
  }

  /** The best completed trial so far, with its parameters; empty when none completed. */
  private String best() {
    if (latest == null) {
      return "";
    }
    return latest
        .bestIfAny()
        .map(
            b -> {
              Objective o = latest.objective();
              List<String> params = new ArrayList<>();
              for (Param p : latest.space().params()) {
                params.add(p.key() + " = " + SweepCharts.label(b.trial().params().get(p.key())));
              }
              return "best so far: "
                  + SweepCharts.objectiveName(o)
                  + " "
                  + Formats.number(b.result().objective())
                  + ", trial "
                  + b.trial().id()
                  + " ("
                  + String.join(", ", params)
                  + ")";
            })
        .orElse("");
  }

  /** The trials that ended last, newest first: rows of the trials table. */
  private Table latestTrials() {
    if (latest == null || recent.isEmpty()) {
      return null;
    }
    List<Integer> rows = new ArrayList<>();
    for (int t : recent) {
      if (rows.size() == LATEST) {
        break;
      }
      if (t < latest.trials().size()) {
        rows.add(t);
      }
    }
    Table all = latest.table();
    Table table = all.emptyCopy();
    rows.forEach(row -> table.addRow(row, all));
    table.removeColumns("best_iteration", "seconds", "message");
    StringColumn status = table.stringColumn("status");
    for (int i = 0; i < rows.size(); i++) {
      if (status.get(i).equals(TrialStatus.RUNNING.name()) && !training.containsKey(rows.get(i))) {
        status.set(i, "RUNNING (waiting)");
      }
    }
    table.column("objective").setName(latest.objective().name());
    return table.setName("latest trials");
  }

  /**
   * Returns how many updates the display has shown.
   *
   * @return the count
   */
  public synchronized int updates() {
    return updates;
  }

  /**
   * Returns the id of the display.
   *
   * @return the Jupyter display id
   */
  public String id() {
    return display.id();
  }

  @Override
  public String toString() {
    return "SweepProgress[" + display.id() + "]";
  }

  /**
   * Offers a {@link SweepProgress} to sweeps that run inside a Java kernel; registered in {@code
   * META-INF/services/dev.runkit.sweep.SweepListenerProvider}.
   */
  public static final class Provider implements SweepListenerProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public Provider() {}

    @Override
    public Optional<SweepListener> listener() {
      return Show.kernel().isPresent() ? Optional.of(create()) : Optional.empty();
    }
  }
}
