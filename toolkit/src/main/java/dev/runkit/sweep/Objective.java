package dev.runkit.sweep;

import dev.runkit.config.RunConfig;
import dev.runkit.registry.Names;
import dev.runkit.run.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a sweep optimises: one metric of one phase of the history ({@code validation/accuracy}),
 * maximised or minimised. A trial's objective is the best value of that series (its iteration is
 * the trial's best iteration); a scheduler sees the series as losses (negated when maximised).
 *
 * @param phase {@code validation} or {@code train}
 * @param metric the metric name ({@code loss}, {@code accuracy}, ...)
 * @param maximize whether larger is better
 */
public record Objective(String phase, String metric, boolean maximize) implements Serializable {

  /** The phases an objective may read. */
  static final List<String> PHASES = List.of("validation", "train");

  /**
   * Checks the names.
   *
   * @throws IllegalArgumentException for a blank metric or a phase other than validation or train
   */
  public Objective {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(metric, "metric");
    if (!PHASES.contains(phase)) {
      throw new IllegalArgumentException(
          "an objective reads the phase validation or train, got \""
              + phase
              + "\""
              + (phase.equals("test")
                  ? " (the test data judges the chosen trial, not the choice)"
                  : "." + Names.didYouMean(phase, PHASES)));
    }
    if (metric.isBlank()) {
      throw new IllegalArgumentException("an objective needs a metric name, got \"\"");
    }
  }

  /**
   * Reads an objective as written: {@code validation/accuracy}, {@code validation accuracy}, or
   * {@code accuracy} alone (the validation phase).
   *
   * @param text the name
   * @param maximize whether larger is better
   * @return the objective
   * @throws IllegalArgumentException for an empty name or an unknown phase
   */
  public static Objective parse(String text, boolean maximize) {
    String[] parts = text.trim().split("[/\\s]+");
    if (parts.length == 1 && !parts[0].isEmpty()) {
      return new Objective("validation", parts[0], maximize);
    }
    if (parts.length == 2) {
      return new Objective(parts[0].toLowerCase(Locale.ROOT), parts[1], maximize);
    }
    throw new IllegalArgumentException(
        "an objective is written metric, phase/metric or \"phase metric\" (e.g."
            + " validation/accuracy), got \""
            + text
            + "\"");
  }

  /**
   * Returns the name as the history writes it.
   *
   * @return {@code phase/metric}
   */
  public String name() {
    return phase + "/" + metric;
  }

  /**
   * Tells whether larger is better for a metric the config measures: false for the loss and unknown
   * names.
   *
   * @param config the run's config
   * @param metric the metric name
   * @return the direction
   */
  static boolean higherIsBetter(RunConfig config, String metric) {
    for (Metric m : config.metrics()) {
      if (m.name().equals(metric)) {
        return m.higherIsBetter();
      }
    }
    return false;
  }

  /**
   * Tells whether larger is better for a metric by its name alone, for runs built in code: true for
   * RunKit's metrics where it is (accuracy, top-k accuracy, R²), false for the loss, the errors and
   * other names (a sweep maximises those only when told to).
   *
   * @param metric the metric name
   * @return the direction
   */
  static boolean higherIsBetter(String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    return m.equals("accuracy") || m.endsWith("_accuracy") || m.equals("r2");
  }

  /**
   * Checks that a run of this config reports this objective.
   *
   * @param config the base config
   * @param key where the objective was written, for the message (e.g. {@code SWEEP.METRIC})
   * @throws IllegalArgumentException naming what the run reports and the nearest name
   */
  void check(RunConfig config, String key) {
    List<String> measured = measured(config);
    if (!measured.contains(name())) {
      throw new IllegalArgumentException(
          key
              + " \""
              + name()
              + "\" is not reported by the base config's run; it reports "
              + measured
              + "."
              + Names.didYouMean(name(), measured));
    }
  }

  /** The phase/metric names a run of the config reports that an objective may read. */
  static List<String> measured(RunConfig config) {
    List<String> metrics = new ArrayList<>(List.of("loss"));
    config.metrics().forEach(m -> metrics.add(m.name()));
    List<String> out = new ArrayList<>();
    if (config.data().validation() != null) {
      metrics.forEach(m -> out.add("validation/" + m));
    }
    metrics.forEach(m -> out.add("train/" + m));
    if (config.resolved().get("TRAIN") instanceof Map<?, ?> t && t.get("CLIP_GRAD_PARAM") != null) {
      out.add("train/grad_norm");
    }
    return out;
  }

  /**
   * Turns a value into a loss: negated when maximised, NaN as +Infinity.
   *
   * @param value the value
   * @return the loss
   */
  public double loss(double value) {
    if (Double.isNaN(value)) {
      return Double.POSITIVE_INFINITY;
    }
    return maximize ? -value : value;
  }

  /**
   * Returns the series of this objective in a history, as losses.
   *
   * @param history the rows
   * @return one point per row of this phase and metric, in order
   */
  public List<TrialScheduler.Point> points(List<TrialResult.Row> history) {
    List<TrialScheduler.Point> out = new ArrayList<>();
    for (TrialResult.Row r : history) {
      if (r.phase().equals(phase) && r.metric().equals(metric)) {
        out.add(new TrialScheduler.Point(r.iteration(), loss(r.value())));
      }
    }
    return out;
  }

  /**
   * Finds the best row of this objective in a history (the earliest of equal ones).
   *
   * @param history the rows
   * @return the row, or null when the history has none
   */
  public TrialResult.Row best(List<TrialResult.Row> history) {
    TrialResult.Row best = null;
    for (TrialResult.Row r : history) {
      if (r.phase().equals(phase) && r.metric().equals(metric)) {
        if (best == null || loss(r.value()) < loss(best.value())) {
          best = r;
        }
      }
    }
    return best;
  }

  /**
   * Tells whether one objective value is better than another.
   *
   * @param a a value
   * @param b another value
   * @return true when a is strictly better (NaN is worst)
   */
  public boolean better(double a, double b) {
    return loss(a) < loss(b);
  }
}
