package dev.runkit.notebook;

import dev.runkit.run.Progress;
import dev.runkit.run.ProgressListener;
import dev.runkit.run.ProgressListenerProvider;
import dev.runkit.run.StopReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * <p>The curve is rebuilt here: train values from every report, validation and test values from
 * each pass ({@link #onEvaluation}). Drawing (tables, the PNG chart) happens on a background
 * thread; the training thread only appends rows to arrays and, when an update is due, hands their
 * length over. The final state is drawn before {@code fit()} returns. A second fit with the same
 * listener starts a new curve in the same display.
 */
public final class LiveProgress implements ProgressListener {

  private final LiveDisplay live;
  // append-only rows: an array is never written below the row count handed to the drawing thread,
  // and growing replaces it, so that thread reads a consistent prefix without locks or copies
  private long[] iteration = new long[256];
  private String[] phase = new String[256];
  private String[] metric = new String[256];
  private double[] value = new double[256];
  private double[] lr = new double[256];
  private double[] elapsed = new double[256];
  private int rows;
  private double lastLr = Double.NaN;
  private Progress lastProgress;
  private long startNanos = System.nanoTime();

  /**
   * "resumed from ... at iteration n; " while a resumed fit runs, what a fit continues from when it
   * continues from the model's weights, else empty.
   */
  private String resumed = "";

  /** The run's name with ": " while a named fit runs, else empty. */
  private String named = "";

  /** The name of the history the display shows ("training" for an unnamed run). */
  private String title = "training";

  private final long minNanos;
  private ExecutorService worker;
  private Future<?> pending;
  private long lastSubmit = Long.MIN_VALUE;

  private LiveProgress(LiveDisplay live, Duration minInterval) {
    this.live = live;
    this.minNanos = minInterval.toNanos();
  }

  /**
   * Makes a live progress display with {@link LiveDisplay#create()}'s throttling (table at most 4
   * times a second, chart every 2 seconds).
   *
   * @return the listener
   */
  public static LiveProgress create() {
    return create(Duration.ofMillis(250), Duration.ofSeconds(2));
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
    return new LiveProgress(LiveDisplay.create(minInterval, chartInterval), minInterval);
  }

  @Override
  public void onStart(long total) {
    resumed = "";
    named = "";
    title = "training";
    startNanos = System.nanoTime();
    rows = 0; // no drawing thread reads the arrays now: the last fit's ended in onEnd
    lastSubmit = Long.MIN_VALUE;
    pending = null;
    worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "runkit-live-progress");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void onResume(Path checkpoint, long iteration) {
    resumed = "resumed from " + checkpoint.getFileName() + " at iteration " + iteration + "; ";
  }

  @Override
  public void onNamed(String name) {
    named = name + ": ";
    title = name;
  }

  @Override
  public void onContinue(String description) {
    resumed = description + "; ";
  }

  /**
   * Hands the rows so far to the drawing thread when an update is due and the previous one is done.
   */
  private void offer() {
    long now = System.nanoTime();
    if (worker == null) {
      live.offer(current()); // used without onStart: draw here
      return;
    }
    if ((pending != null && !pending.isDone())
        || (lastSubmit != Long.MIN_VALUE && now - lastSubmit < minNanos)) {
      return;
    }
    lastSubmit = now;
    Progress p = lastProgress;
    if (p != null) {
      // formatted only when an update is due: most reports pass here without drawing anything
      live.note(
          named
              + resumed
              + String.format(
                  Locale.ROOT,
                  "iteration %d of %d, %.1f it/s",
                  p.iteration(),
                  p.total(),
                  p.iterationsPerSecond()));
    }
    int n = rows;
    long[] it = iteration;
    String[] ph = phase;
    String[] me = metric;
    double[] va = value;
    double[] rate = lr;
    double[] el = elapsed;
    String name = title;
    pending = worker.submit(() -> live.offer(table(name, n, it, ph, me, va, rate, el)));
  }

  @Override
  public void onProgress(Progress p) {
    double seconds = seconds();
    for (Map.Entry<String, Double> e : p.latest().entrySet()) {
      String key = e.getKey();
      // validation and test values come with their own iteration, through onEvaluation
      if (key.startsWith("train/")) {
        append(p.iteration(), "train", key.substring(6), e.getValue(), p.lr(), seconds);
      }
    }
    lastLr = p.lr();
    lastProgress = p;
    offer();
  }

  @Override
  public void onEvaluation(long at, String phaseName, Map<String, Double> values) {
    double seconds = seconds();
    for (Map.Entry<String, Double> e : values.entrySet()) {
      append(at, phaseName, e.getKey(), e.getValue(), lastLr, seconds);
    }
    offer();
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void append(long at, String ph, String name, Double v, double rate, double seconds) {
    if (rows == iteration.length) {
      int n = rows * 2;
      iteration = Arrays.copyOf(iteration, n);
      phase = Arrays.copyOf(phase, n);
      metric = Arrays.copyOf(metric, n);
      value = Arrays.copyOf(value, n);
      lr = Arrays.copyOf(lr, n);
      elapsed = Arrays.copyOf(elapsed, n);
    }
    iteration[rows] = at;
    phase[rows] = ph;
    metric[rows] = name;
    value[rows] = v == null ? Double.NaN : v;
    lr[rows] = rate;
    elapsed[rows] = seconds;
    rows++;
  }

  /** The rows so far as a history table; the arrays are read, never written, from here. */
  private static Table table(
      String name,
      int n,
      long[] it,
      String[] ph,
      String[] me,
      double[] va,
      double[] rate,
      double[] el) {
    return Table.create(
        name,
        LongColumn.create("iteration", Arrays.copyOf(it, n)),
        StringColumn.create("phase", Arrays.copyOf(ph, n)),
        StringColumn.create("metric", Arrays.copyOf(me, n)),
        DoubleColumn.create("value", Arrays.copyOf(va, n)),
        DoubleColumn.create("lr", Arrays.copyOf(rate, n)),
        DoubleColumn.create("elapsed", Arrays.copyOf(el, n)));
  }

  private Table current() {
    return table(title, rows, iteration, phase, metric, value, lr, elapsed);
  }

  @Override
  public void onEnd(StopReason reason, String message) {
    if (worker != null) {
      // the final state must be on screen when fit() returns, after any update still drawing
      worker.shutdown();
      try {
        worker.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker = null;
    }
    live.note(
        named
            + resumed
            + "stopped: "
            + reason
            + " ("
            + message
            + String.format(Locale.ROOT, ") after %.1f s", seconds()));
    live.finish(current());
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
    return current();
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
