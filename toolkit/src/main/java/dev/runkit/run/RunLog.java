package dev.runkit.run;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import tech.tablesaw.api.Table;

/**
 * What a run records and tells: the history (one row per reported value), the latest value of each
 * metric, the clock, and the events a {@link ProgressListener} receives.
 *
 * <p>A training report is made in two halves: {@link #hold} moves the meters aside on the device,
 * and {@link #complete} reads them an iteration later, so that the engine never runs dry waiting
 * for the host (the hand-tuned trick of reading the loss a step late).
 */
final class RunLog {

  static final String TRAIN = "train";

  private final History history = new History();
  private final Map<String, Double> latest = new LinkedHashMap<>();
  private final TrainMeters meters;
  private final ProgressListener progress;
  private final long total;
  private final DoubleSupplier lr;
  private final Stopping stopping;

  private double elapsedBefore;
  private long startNanos;
  private long intervalStartNanos;
  private long intervalStartIteration;
  private long lastLogged;
  private Held held;

  /** A training report whose values are still on the device. */
  private record Held(long from, long iteration, double lr, double elapsed, double speed) {}

  /**
   * Makes the log of a run.
   *
   * @param meters the training meters it reports
   * @param progress the listener, or null for none
   * @param total the iterations planned
   * @param lr the learning rate of the latest update
   * @param stopping told when a reported training loss is not finite
   */
  RunLog(
      TrainMeters meters,
      ProgressListener progress,
      long total,
      DoubleSupplier lr,
      Stopping stopping) {
    this.meters = meters;
    this.progress = progress;
    this.total = total;
    this.lr = lr;
    this.stopping = stopping;
  }

  /** Starts the clock (seconds of a resumed run add to those before it). */
  void startClock(long iteration) {
    startNanos = System.nanoTime();
    intervalStartNanos = startNanos;
    intervalStartIteration = iteration;
  }

  /**
   * Tells the listener the run starts, its name (when it has one), where a resumed run took up, and
   * what weights a fit of a model that had some continues from (null when it starts afresh or
   * resumes).
   */
  void started(String name, Path resumedFrom, long iteration, String continuing) {
    if (progress != null) {
      progress.onStart(total);
      if (name != null) {
        progress.onNamed(name);
      }
      if (resumedFrom != null) {
        progress.onResume(resumedFrom, iteration);
      }
      if (continuing != null) {
        progress.onContinue(continuing);
      }
    }
  }

  /** Starts a training report of the iterations since the last one (see the class comment). */
  void hold(long iteration) {
    long from = lastLogged + 1;
    lastLogged = iteration;
    if (meters.isEmpty()) {
      return;
    }
    meters.hold();
    long now = System.nanoTime();
    double seconds = (now - intervalStartNanos) / 1e9;
    double speed = seconds > 0 ? (iteration - intervalStartIteration) / seconds : Double.NaN;
    intervalStartNanos = now;
    intervalStartIteration = iteration;
    held = new Held(from, iteration, lr.getAsDouble(), elapsed(), speed);
  }

  /**
   * Finishes the training report started by {@link #hold}, if one is pending: adds its rows, asks
   * for a stop when the loss is not finite, and tells the listener.
   */
  void complete() {
    if (held == null) {
      return;
    }
    Held h = held;
    held = null;
    List<TrainMeters.Reading> readings = meters.readHeld();
    for (TrainMeters.Reading r : readings) {
      add(TRAIN, r.name(), r.value(), h.iteration(), h.lr(), h.elapsed());
    }
    double loss = readings.get(0).value();
    // only the loss is checked here: checking the parameters too would wait for the step just
    // queued (NaN parameters show in the loss a step later, and checkpoints check them anyway)
    if (!Double.isFinite(loss)) {
      stopping.request(
          StopReason.NON_FINITE,
          String.format(
              Locale.ROOT,
              "training loss became %s between iterations %d and %d (lr %.3g); lower the learning"
                  + " rate, clip gradients, or choose nonFinite(SKIP)",
              loss,
              h.from(),
              h.iteration(),
              h.lr()));
    }
    if (progress != null) {
      double speed = h.speed();
      progress.onProgress(
          new Progress(
              h.iteration(),
              total,
              loss,
              h.lr(),
              speed,
              speed > 0 ? (total - h.iteration()) / speed : Double.NaN,
              latest()));
    }
  }

  /** Tells whether the training meters have been reported up to an iteration. */
  boolean reportedThrough(long iteration) {
    return iteration <= lastLogged;
  }

  /** Adds a row measured now, at an iteration. */
  void add(String phase, String metric, double value, long iteration) {
    add(phase, metric, value, iteration, lr.getAsDouble(), elapsed());
  }

  private void add(
      String phase, String metric, double value, long iteration, double lr, double elapsed) {
    history.add(new History.Row(iteration, phase, metric, value, lr, elapsed));
    latest.put(phase + "/" + metric, value);
  }

  /** Tells the listener of a validation or test pass. */
  void evaluated(long iteration, String phase, Map<String, Double> values) {
    if (progress != null) {
      progress.onEvaluation(iteration, phase, Collections.unmodifiableMap(values));
    }
  }

  /** Tells the listener the run ended. */
  void ended(StopReason reason, String message) {
    if (progress != null) {
      progress.onEnd(reason, message);
    }
  }

  /** Returns the seconds trained, those before a resume included. */
  double elapsed() {
    return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
  }

  /** Returns the latest value of each metric, keyed {@code phase/metric}. */
  Map<String, Double> latest() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(latest));
  }

  Table table() {
    return history.toTable();
  }

  List<History.Row> rows() {
    return List.copyOf(history.rows());
  }

  /** Adds what a checkpoint needs of the log besides its rows. */
  void save(Map<String, Double> scalars) {
    scalars.put("lastLogged", (double) lastLogged);
  }

  /** Takes up a checkpoint's history, clock and report position. */
  void restore(Checkpoint c) {
    elapsedBefore = c.elapsed();
    lastLogged = c.scalars().getOrDefault("lastLogged", 0.0).longValue();
    history.restore(c.history());
    for (History.Row r : c.history()) {
      latest.put(r.phase() + "/" + r.metric(), r.value());
    }
  }
}
