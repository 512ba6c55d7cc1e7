package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.TypeAndParams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The median stopping rule (Golovin et al. 2017, as Ray Tune's {@code MedianStoppingRule}): a trial
 * trains in segments of {@code interval} iterations; at the end of each segment past the grace
 * period, at iteration t, it is stopped when its best loss so far is worse than the median, over
 * the other trials, of their running averages at t (the mean of each one's validations between the
 * grace period and t), provided at least {@code min_trials} other trials have such values. A trial
 * that goes on is continued before any new trial starts.
 *
 * <pre>{@code
 * TrialScheduler median = MedianStoppingRule.create().graceIterations(50).minTrials(3);
 * }</pre>
 */
public final class MedianStoppingRule implements TrialScheduler {

  private final long grace;
  private final long interval;
  private final int minTrials;

  private long runLength;
  private long step;
  private int started;
  private final Map<Integer, List<Point>> points = new HashMap<>();
  private final Map<Integer, Long> reached = new HashMap<>();
  private final Set<Integer> running = new HashSet<>();
  private final ArrayDeque<Integer> toContinue = new ArrayDeque<>();
  private final Set<Integer> pruned = new HashSet<>();

  private MedianStoppingRule(long grace, long interval, int minTrials) {
    if (grace < 0) {
      throw new IllegalArgumentException("median.grace_iterations must be >= 0, got " + grace);
    }
    if (interval < 0) {
      throw new IllegalArgumentException(
          "median.interval must be >= 1 (0: the validation interval), got " + interval);
    }
    if (minTrials < 1) {
      throw new IllegalArgumentException("median.min_trials must be >= 1, got " + minTrials);
    }
    this.grace = grace;
    this.interval = interval;
    this.minTrials = minTrials;
  }

  /**
   * Returns the rule with no grace period, a decision at every validation interval, and at least 3
   * other trials to compare with.
   *
   * @return the scheduler
   */
  public static MedianStoppingRule create() {
    return new MedianStoppingRule(0, 0, 3);
  }

  /**
   * Sets the grace period: no trial is stopped before this iteration.
   *
   * @param n iterations, {@code >= 0}
   * @return a new scheduler
   */
  public MedianStoppingRule graceIterations(long n) {
    return new MedianStoppingRule(n, interval, minTrials);
  }

  /**
   * Sets how often a trial is judged (each judgement ends a segment, continued by exact resume).
   *
   * @param n iterations, {@code >= 1}
   * @return a new scheduler
   */
  public MedianStoppingRule interval(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("median.interval must be >= 1, got " + n);
    }
    return new MedianStoppingRule(grace, n, minTrials);
  }

  /**
   * Sets how many other trials must have values before any trial is stopped.
   *
   * @param n trials, {@code >= 1}
   * @return a new scheduler
   */
  public MedianStoppingRule minTrials(int n) {
    return new MedianStoppingRule(grace, interval, n);
  }

  static MedianStoppingRule from(Params p) {
    long g = p.optionalLong("grace_iterations", 0);
    p.check("grace_iterations", g, g >= 0, ">= 0");
    long iv = p.has("interval") ? p.requiredLong("interval") : 0;
    if (p.has("interval")) {
      p.check("interval", iv, iv >= 1, ">= 1");
    }
    long m = p.optionalLong("min_trials", 3);
    p.check("min_trials", m, m >= 1 && m <= 1_000_000, "in [1, 1000000]");
    return new MedianStoppingRule(g, iv, (int) m);
  }

  @Override
  public void begin(long runLength, long validateEvery) {
    if (grace >= runLength) {
      throw new IllegalArgumentException(
          "median.grace_iterations must be below the run length ("
              + runLength
              + " iterations), got "
              + grace);
    }
    this.runLength = runLength;
    this.step = interval > 0 ? interval : Math.max(1, validateEvery);
    started = 0;
    points.clear();
    reached.clear();
    running.clear();
    toContinue.clear();
    pruned.clear();
  }

  /** The next decision point after an iteration: a multiple of the interval, past the grace. */
  long stopAfter(long from) {
    long t = (from / step + 1) * step;
    long firstJudged = Math.max(step, ((grace + step - 1) / step) * step);
    return Math.min(runLength, Math.max(t, firstJudged));
  }

  @Override
  public Job next(boolean mayStart) {
    if (!toContinue.isEmpty()) {
      int trial = toContinue.poll();
      running.add(trial);
      return Job.resume(trial, stopAfter(reached.get(trial)));
    }
    if (mayStart) {
      int trial = started++;
      running.add(trial);
      return Job.start(trial, stopAfter(0));
    }
    return running.isEmpty() ? Job.DONE : Job.WAIT;
  }

  @Override
  public void report(Report report) {
    int trial = report.trial();
    running.remove(trial);
    points.put(trial, report.points());
    reached.put(trial, report.iteration());
    if (report.ended()) {
      return;
    }
    if (shouldStop(trial, report.iteration())) {
      pruned.add(trial);
    } else {
      toContinue.add(trial);
    }
  }

  /** Whether the trial's best loss by t is worse than the median of the others' running means. */
  boolean shouldStop(int trial, long t) {
    if (t < grace) {
      return false;
    }
    double best = Double.POSITIVE_INFINITY;
    boolean any = false;
    for (Point p : points.get(trial)) {
      if (p.iteration() <= t) {
        best = Math.min(best, p.loss());
        any = true;
      }
    }
    if (!any) {
      return false;
    }
    List<Double> means = new ArrayList<>();
    for (Map.Entry<Integer, List<Point>> e : points.entrySet()) {
      if (e.getKey() == trial) {
        continue;
      }
      double sum = 0;
      int n = 0;
      for (Point p : e.getValue()) {
        if (p.iteration() >= grace && p.iteration() <= t) {
          sum += p.loss();
          n++;
        }
      }
      if (n > 0) {
        means.add(sum / n);
      }
    }
    if (means.size() < minTrials) {
      return false;
    }
    means.sort(Double::compare);
    int m = means.size();
    double median = m % 2 == 1 ? means.get(m / 2) : 0.5 * (means.get(m / 2 - 1) + means.get(m / 2));
    return best > median;
  }

  @Override
  public boolean pruned(int trial) {
    return pruned.contains(trial);
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("grace_iterations", grace);
    long iv = interval > 0 ? interval : step;
    if (iv > 0) {
      p.put("interval", iv);
    }
    p.put("min_trials", minTrials);
    return TypeAndParams.toConfig("median", p);
  }

  @Override
  public String toString() {
    return "MedianStoppingRule" + toConfig().get("PARAM");
  }
}
