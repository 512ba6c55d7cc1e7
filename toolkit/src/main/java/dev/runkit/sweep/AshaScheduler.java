package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.TypeAndParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018, Algorithm 2, one bracket): rungs at {@code
 * r * eta^k} iterations below the run length R, then R. A new trial trains to the first rung and
 * waits there. Whenever an executor is free, the rungs are searched from the top down for a trial
 * that is among the best {@code floor(n / eta)} of the n trials that have reached that rung so far
 * and has not been promoted from it; the first found is continued to the next rung. Only when none
 * is promotable does a new trial start. Trials left waiting when the sweep ends are pruned. The
 * loss at a rung is the latest validation at or before it. {@code r} is Ray Tune's grace period;
 * Ray's several brackets are not offered.
 *
 * <pre>{@code
 * TrialScheduler asha = AshaScheduler.create().minIterations(30).reductionFactor(3);
 * }</pre>
 */
public final class AshaScheduler implements TrialScheduler {

  private final long minIterations;
  private final double reductionFactor;

  private long[] rungs = new long[0];
  private final List<Map<Integer, Double>> recorded = new ArrayList<>();
  private final List<Set<Integer>> promoted = new ArrayList<>();
  private final Set<Integer> ended = new HashSet<>();
  private final Map<Integer, Long> running = new HashMap<>();
  private long resolvedMin;
  private int started;

  private AshaScheduler(long minIterations, double reductionFactor) {
    if (minIterations < 0) {
      throw new IllegalArgumentException(
          "asha.min_iterations must be >= 1 (0: the validation interval), got " + minIterations);
    }
    if (!(reductionFactor > 1) || Double.isInfinite(reductionFactor)) {
      throw new IllegalArgumentException(
          "asha.reduction_factor must be a finite number > 1, got " + reductionFactor);
    }
    this.minIterations = minIterations;
    this.reductionFactor = reductionFactor;
  }

  /**
   * Returns ASHA with its first rung at the base config's validation interval and a reduction
   * factor of 3.
   *
   * @return the scheduler
   */
  public static AshaScheduler create() {
    return new AshaScheduler(0, 3);
  }

  /**
   * Sets the first rung (Ray Tune's {@code grace_period}).
   *
   * @param n iterations, {@code >= 1}, below the run length
   * @return a new scheduler
   */
  public AshaScheduler minIterations(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("asha.min_iterations must be >= 1, got " + n);
    }
    return new AshaScheduler(n, reductionFactor);
  }

  /**
   * Sets eta: rungs grow by this factor and the best 1/eta of a rung move on.
   *
   * @param eta the factor, {@code > 1}
   * @return a new scheduler
   */
  public AshaScheduler reductionFactor(double eta) {
    return new AshaScheduler(minIterations, eta);
  }

  static AshaScheduler from(Params p) {
    AshaScheduler d = create();
    long min = p.has("min_iterations") ? p.requiredLong("min_iterations") : 0;
    if (p.has("min_iterations")) {
      p.check("min_iterations", min, min >= 1, ">= 1");
    }
    double eta = p.optionalDouble("reduction_factor", d.reductionFactor);
    p.check("reduction_factor", eta, eta > 1 && !Double.isInfinite(eta), "> 1");
    return new AshaScheduler(min, eta);
  }

  /**
   * Returns the rungs of the sweep begun: the iterations trials stop at, the run length last.
   *
   * @return the rungs
   */
  public long[] rungs() {
    return rungs.clone();
  }

  @Override
  public void begin(long runLength, long validateEvery) {
    resolvedMin = minIterations > 0 ? minIterations : Math.max(1, validateEvery);
    if (resolvedMin >= runLength) {
      throw new IllegalArgumentException(
          "asha.min_iterations must be below the run length ("
              + runLength
              + " iterations), got "
              + resolvedMin
              + (minIterations > 0 ? "" : " (the validation interval)"));
    }
    rungs = geometric(resolvedMin, reductionFactor, runLength);
    recorded.clear();
    promoted.clear();
    for (int k = 0; k < rungs.length - 1; k++) {
      recorded.add(new HashMap<>());
      promoted.add(new HashSet<>());
    }
    ended.clear();
    running.clear();
    started = 0;
  }

  /**
   * Returns {@code round(r * eta^k)} for k = 0, 1, ... while below the run length, then the run
   * length, strictly increasing.
   */
  static long[] geometric(long r, double eta, long runLength) {
    List<Long> out = new ArrayList<>();
    for (int k = 0; ; k++) {
      long b = Math.round(r * Math.pow(eta, k));
      if (b >= runLength) {
        break;
      }
      if (out.isEmpty() || b > out.get(out.size() - 1)) {
        out.add(b);
      }
    }
    out.add(runLength);
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Override
  public Job next(boolean mayStart) {
    for (int k = rungs.length - 2; k >= 0; k--) {
      List<Map.Entry<Integer, Double>> entries = new ArrayList<>(recorded.get(k).entrySet());
      entries.sort(byLoss());
      int top = (int) Math.floor(entries.size() / reductionFactor);
      for (int i = 0; i < top; i++) {
        int trial = entries.get(i).getKey();
        if (!promoted.get(k).contains(trial) && !ended.contains(trial)) {
          promoted.get(k).add(trial);
          running.put(trial, rungs[k + 1]);
          return Job.resume(trial, rungs[k + 1]);
        }
      }
    }
    if (mayStart) {
      int trial = started++;
      running.put(trial, rungs[0]);
      return Job.start(trial, rungs[0]);
    }
    return running.isEmpty() ? Job.DONE : Job.WAIT;
  }

  @Override
  public void report(Report report) {
    running.remove(report.trial());
    if (report.ended()) {
      ended.add(report.trial());
      return;
    }
    for (int k = 0; k < rungs.length - 1; k++) {
      if (rungs[k] == report.iteration()) {
        recorded.get(k).put(report.trial(), report.lossAt(report.iteration()));
        return;
      }
    }
    // a trial stopped short of every rung cannot be placed: it goes no further
    ended.add(report.trial());
  }

  @Override
  public boolean pruned(int trial) {
    return false;
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> p = new LinkedHashMap<>();
    long min = minIterations > 0 ? minIterations : resolvedMin;
    if (min > 0) {
      p.put("min_iterations", min);
    }
    p.put("reduction_factor", reductionFactor);
    return TypeAndParams.toConfig("asha", p);
  }

  @Override
  public String toString() {
    return "AshaScheduler" + toConfig().get("PARAM");
  }

  /** Orders (trial, loss) entries by loss, then by trial number. */
  static Comparator<Map.Entry<Integer, Double>> byLoss() {
    return Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey());
  }
}
