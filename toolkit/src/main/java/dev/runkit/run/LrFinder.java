package dev.runkit.run;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.runkit.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning-rate range test (fastai's {@code lr_find}, Lightning's {@code Tuner.lr_find}): the
 * learning rate grows exponentially from {@code start} to {@code end} over {@code steps} updates
 * while the training loss is recorded, smoothed by an exponential moving average (bias corrected)
 * and stopped once it exceeds {@code divergeFactor} times its best value. The model's parameters
 * are put back afterwards, bit for bit. Settings are immutable; each fluent call returns a copy.
 *
 * <pre>{@code
 * LrFinderResult f = Runner.with(model).loss(loss).data(train)
 *     .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9))
 *     .lrFinder(LrFinder.range(1e-6, 10).steps(100));
 * double lr = f.valley().orElse(1e-3);
 * }</pre>
 *
 * <p>Runs through {@code Runner.lrFinder(...)}, which drives the ordinary training loop with the
 * ramp as its schedule on a fresh copy of the optimizer (so the runner's own optimizer state is
 * never touched) and its own data stream (so a following {@code fit()} sees the data as if no
 * search had run).
 */
public final class LrFinder {

  private final double start;
  private final double end;
  private final int steps;
  private final double smoothing;
  private final double divergeFactor;

  private LrFinder(double start, double end, int steps, double smoothing, double divergeFactor) {
    this.start = start;
    this.end = end;
    this.steps = steps;
    this.smoothing = smoothing;
    this.divergeFactor = divergeFactor;
  }

  /**
   * The default search: from 1e-7 to 10 in 100 steps, smoothing 0.98, stop at 4 times the best loss
   * (fastai's and Lightning's defaults).
   *
   * @return the settings
   */
  public static LrFinder defaults() {
    return range(1e-7, 10);
  }

  /**
   * A search over a learning-rate range, in 100 steps.
   *
   * @param start the first learning rate, {@code > 0}
   * @param end the last learning rate, {@code > start}
   * @return the settings
   * @throws IllegalArgumentException if the range is empty, reversed or not positive
   */
  public static LrFinder range(double start, double end) {
    if (!(start > 0) || Double.isInfinite(start)) {
      throw new IllegalArgumentException(
          "lrFinder range start must be a finite learning rate > 0, got " + start);
    }
    if (!(end > start) || Double.isInfinite(end)) {
      throw new IllegalArgumentException(
          "lrFinder range start must be < end (the learning rate grows from start to end), got"
              + " start "
              + start
              + ", end "
              + end);
    }
    return new LrFinder(start, end, 100, 0.98, 4.0);
  }

  /**
   * Sets the number of updates (learning rates tried).
   *
   * @param n updates, {@code >= 5}
   * @return new settings
   * @throws IllegalArgumentException if {@code n < 5}
   */
  public LrFinder steps(int n) {
    if (n < 5) {
      throw new IllegalArgumentException("lrFinder steps must be >= 5, got " + n);
    }
    return new LrFinder(start, end, n, smoothing, divergeFactor);
  }

  /**
   * Sets the factor of the exponential moving average of the loss (0 smooths nothing).
   *
   * @param beta the factor, in {@code [0, 1)}
   * @return new settings
   * @throws IllegalArgumentException if beta is outside {@code [0, 1)}
   */
  public LrFinder smoothing(double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("lrFinder smoothing must be in [0, 1), got " + beta);
    }
    return new LrFinder(start, end, steps, beta, divergeFactor);
  }

  /**
   * Stops the search once the smoothed loss exceeds this many times its best value.
   *
   * @param k the factor, {@code > 1}
   * @return new settings
   * @throws IllegalArgumentException if {@code k <= 1}
   */
  public LrFinder divergeFactor(double k) {
    if (!(k > 1) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("lrFinder divergeFactor must be > 1, got " + k);
    }
    return new LrFinder(start, end, steps, smoothing, k);
  }

  /**
   * Returns the first learning rate.
   *
   * @return the start of the range
   */
  public double start() {
    return start;
  }

  /**
   * Returns the last learning rate.
   *
   * @return the end of the range
   */
  public double end() {
    return end;
  }

  /**
   * Returns the number of updates.
   *
   * @return the steps
   */
  public int steps() {
    return steps;
  }

  /**
   * Returns the smoothing factor.
   *
   * @return beta
   */
  public double smoothing() {
    return smoothing;
  }

  /**
   * Returns the divergence factor.
   *
   * @return k
   */
  public double divergeFactor() {
    return divergeFactor;
  }

  /**
   * The exponential ramp: update {@code i + 1} uses {@code start * (end / start)^(i / (steps -
   * 1))}, so the first update uses {@code start} and the last {@code end}.
   *
   * @return the schedule (absolute learning rates)
   */
  public Schedule schedule() {
    double ratio = Math.log(end / start);
    int last = steps - 1;
    return step -> start * Math.exp(ratio * Math.min(step, last) / last);
  }

  /**
   * Runs the search on prepared settings: adds the recorder, remembers the parameters once the
   * model is initialized, trains, and puts the parameters back whatever happened.
   *
   * @param settings the run (a ramp-scheduled optimizer, {@code steps} iterations, logging every
   *     iteration); {@code Runner.lrFinder} makes them
   * @return the result
   */
  public LrFinderResult search(RunSettings settings) {
    Recorder recorder = new Recorder(settings.model());
    List<Callback> callbacks = new ArrayList<>(settings.callbacks());
    callbacks.add(recorder);
    RunSettings s =
        new RunSettings(
            settings.model(),
            settings.loss(),
            settings.train(),
            settings.validation(),
            settings.test(),
            settings.optimizer(),
            steps,
            0,
            settings.batchSize(),
            0,
            0,
            1,
            settings.metrics(),
            settings.seed(),
            settings.monitor(),
            null,
            null,
            null,
            false,
            settings.fineTuneFrom(),
            settings.fineTuneStrict(),
            settings.reinitialize(),
            settings.accumulate(),
            NonFinitePolicy.STOP,
            settings.gradientClip(),
            settings.devices(),
            List.copyOf(callbacks),
            settings.name(),
            recorder);
    RunOutcome outcome;
    try {
      outcome = TrainingLoop.run(s);
    } finally {
      recorder.restore();
    }
    String message =
        recorder.divergedAt >= 0
            ? String.format(
                Locale.ROOT,
                "stopped at lr %.3g: smoothed loss %.4g > %.3g x best %.4g",
                recorder.lrs.get(recorder.divergedAt),
                recorder.smoothed.get(recorder.divergedAt),
                divergeFactor,
                recorder.best)
            : outcome.reason() + ": " + outcome.message();
    return LrFinderResult.of(
        this,
        toArray(recorder.lrs),
        toArray(recorder.losses),
        toArray(recorder.smoothed),
        recorder.divergedAt >= 0,
        message);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "LrFinder[%.3g .. %.3g, %d steps, smoothing %s, diverge at %s x best]",
        start,
        end,
        steps,
        smoothing,
        divergeFactor);
  }

  /**
   * Records (lr, loss) at every report, smooths, and asks for a stop on divergence; holds the
   * parameters taken before the first update.
   */
  private final class Recorder implements Callback, ProgressListener {
    private final Model model;
    private final List<Double> lrs = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> smoothed = new ArrayList<>();
    private final List<Pair<NDArray, Object>> saved = new ArrayList<>();
    private double average;
    private double best = Double.POSITIVE_INFINITY;
    private int divergedAt = -1;

    Recorder(Model model) {
      this.model = model;
    }

    @Override
    public String name() {
      return "lrFinder";
    }

    @Override
    public void onStart(RunContext context) {
      // the block is initialized by now (the loop does it from the first batch)
      for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
        NDArray array = p.getValue().getArray();
        Object copy =
            switch (array.getDataType()) {
              case FLOAT32 -> array.toFloatArray();
              case FLOAT64 -> array.toDoubleArray();
              default ->
                  throw new IllegalArgumentException(
                      "lrFinder cannot restore parameter "
                          + p.getKey()
                          + " of type "
                          + array.getDataType()
                          + "; expected FLOAT32 or FLOAT64");
            };
        saved.add(new Pair<>(array, copy));
      }
    }

    @Override
    public void onIterationEnd(RunContext context) {
      if (divergedAt >= 0) {
        context.requestStop("loss diverged");
      }
    }

    @Override
    public void onProgress(Progress progress) {
      if (divergedAt >= 0) {
        return; // the stop request lands an iteration later; that report is past the curve
      }
      double loss = progress.loss();
      lrs.add(progress.lr());
      losses.add(loss);
      int k = losses.size();
      average = smoothing * average + (1 - smoothing) * loss;
      double value = average / (1 - Math.pow(smoothing, k));
      smoothed.add(value);
      if (!Double.isFinite(value) || (k > 1 && value > divergeFactor * best)) {
        divergedAt = k - 1;
      } else if (value < best) {
        best = value;
      }
    }

    void restore() {
      for (Pair<NDArray, Object> p : saved) {
        if (p.getValue() instanceof float[] f) {
          p.getKey().set(f);
        } else {
          p.getKey().set((double[]) p.getValue());
        }
      }
      saved.clear();
    }
  }
}
