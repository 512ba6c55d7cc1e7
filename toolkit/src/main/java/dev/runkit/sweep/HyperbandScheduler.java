package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.TypeAndParams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Hyperband (Li et al. 2017): brackets of synchronous successive halving. With run length R, first
 * rung r and factor eta, {@code s_max = floor(log_eta(R / r))}; bracket s (from {@code s_max} down
 * to 0) starts {@code n_s = ceil((s_max + 1) / (s + 1) * eta^s)} trials at {@code R * eta^-s}
 * iterations, and at each of its rungs {@code R * eta^(i - s)} waits until every trial of the rung
 * has reported, continues the best {@code floor(n_i / eta)} to the next rung and prunes the others.
 * Brackets run one after another; one pass over all brackets is {@link #trials()} trials, and a
 * sweep given more trials runs the brackets again.
 *
 * <pre>{@code
 * TrialScheduler hb = HyperbandScheduler.create().minIterations(10).reductionFactor(3);
 * }</pre>
 */
public final class HyperbandScheduler implements TrialScheduler {

  private final long minIterations;
  private final double reductionFactor;

  private final List<long[]> budgets = new ArrayList<>();
  private final List<Integer> sizes = new ArrayList<>();
  private long resolvedMin;
  private int bracket;
  private int rung;
  private int startedInBracket;
  private int target;
  private int started;
  private final Map<Integer, Double> reported = new LinkedHashMap<>();
  private final Set<Integer> ended = new HashSet<>();
  private final Set<Integer> running = new HashSet<>();
  private final ArrayDeque<Integer> promotions = new ArrayDeque<>();
  private final Set<Integer> pruned = new HashSet<>();

  private HyperbandScheduler(long minIterations, double reductionFactor) {
    if (!(reductionFactor > 1) || Double.isInfinite(reductionFactor)) {
      throw new IllegalArgumentException(
          "hyperband.reduction_factor must be a finite number > 1, got " + reductionFactor);
    }
    this.minIterations = minIterations;
    this.reductionFactor = reductionFactor;
  }

  /**
   * Returns Hyperband with its smallest rung at the base config's validation interval and a
   * reduction factor of 3.
   *
   * @return the scheduler
   */
  public static HyperbandScheduler create() {
    return new HyperbandScheduler(0, 3);
  }

  /**
   * Sets the smallest rung: the iterations of the most aggressive bracket's first rung.
   *
   * @param n iterations, {@code >= 1}, below the run length
   * @return a new scheduler
   */
  public HyperbandScheduler minIterations(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("hyperband.min_iterations must be >= 1, got " + n);
    }
    return new HyperbandScheduler(n, reductionFactor);
  }

  /**
   * Sets eta: rungs grow by this factor and the best 1/eta of a rung move on.
   *
   * @param eta the factor, {@code > 1}
   * @return a new scheduler
   */
  public HyperbandScheduler reductionFactor(double eta) {
    return new HyperbandScheduler(minIterations, eta);
  }

  static HyperbandScheduler from(Params p) {
    long min = p.has("min_iterations") ? p.requiredLong("min_iterations") : 0;
    if (p.has("min_iterations")) {
      p.check("min_iterations", min, min >= 1, ">= 1");
    }
    double eta = p.optionalDouble("reduction_factor", 3);
    p.check("reduction_factor", eta, eta > 1 && !Double.isInfinite(eta), "> 1");
    return new HyperbandScheduler(min, eta);
  }

  @Override
  public void begin(long runLength, long validateEvery) {
    resolvedMin = minIterations > 0 ? minIterations : Math.max(1, validateEvery);
    if (resolvedMin >= runLength) {
      throw new IllegalArgumentException(
          "hyperband.min_iterations must be below the run length ("
              + runLength
              + " iterations), got "
              + resolvedMin
              + (minIterations > 0 ? "" : " (the validation interval)"));
    }
    int sMax =
        (int)
            Math.floor(
                Math.log((double) runLength / resolvedMin) / Math.log(reductionFactor) + 1e-9);
    budgets.clear();
    sizes.clear();
    for (int s = sMax; s >= 0; s--) {
      sizes.add((int) Math.ceil((sMax + 1.0) / (s + 1) * Math.pow(reductionFactor, s)));
      long[] b = new long[s + 1];
      for (int i = 0; i <= s; i++) {
        long v = Math.round(runLength * Math.pow(reductionFactor, i - s));
        // strictly increasing, the last rung the run length
        b[i] =
            i == s
                ? runLength
                : Math.min(Math.max(i == 0 ? 1 : b[i - 1] + 1, v), runLength - (s - i));
      }
      budgets.add(b);
    }
    bracket = 0;
    rung = 0;
    startedInBracket = 0;
    target = sizes.get(0);
    started = 0;
    reported.clear();
    ended.clear();
    running.clear();
    promotions.clear();
    pruned.clear();
  }

  /**
   * Returns the rung iterations of each bracket of the sweep begun, the most aggressive first.
   *
   * @return one array per bracket
   */
  public List<long[]> brackets() {
    return budgets.stream().map(long[]::clone).toList();
  }

  /**
   * Returns the trials of one pass over all brackets.
   *
   * @return the count, once begun
   */
  @Override
  public OptionalInt trials() {
    return sizes.isEmpty()
        ? OptionalInt.empty()
        : OptionalInt.of(sizes.stream().mapToInt(Integer::intValue).sum());
  }

  @Override
  public Job next(boolean mayStart) {
    while (true) {
      long[] b = budgets.get(bracket % budgets.size());
      if (rung == 0 && startedInBracket < target) {
        if (mayStart) {
          int trial = started++;
          startedInBracket++;
          running.add(trial);
          return Job.start(trial, b[0]);
        }
        if (startedInBracket == 0) {
          return running.isEmpty() ? Job.DONE : Job.WAIT;
        }
        // the trial budget ends inside this bracket: halve the trials it has
        target = startedInBracket;
      }
      if (!promotions.isEmpty()) {
        int trial = promotions.poll();
        running.add(trial);
        return Job.resume(trial, b[rung]);
      }
      if (!running.isEmpty()) {
        return Job.WAIT;
      }
      List<Integer> next = new ArrayList<>();
      if (rung < b.length - 1) {
        List<Map.Entry<Integer, Double>> entries = new ArrayList<>(reported.entrySet());
        entries.sort(AshaScheduler.byLoss());
        int keep = (int) Math.floor(entries.size() / reductionFactor);
        for (Map.Entry<Integer, Double> e : entries) {
          if (ended.contains(e.getKey())) {
            continue;
          }
          if (next.size() < keep) {
            next.add(e.getKey());
          } else {
            pruned.add(e.getKey());
          }
        }
      }
      reported.clear();
      if (next.isEmpty()) {
        // the bracket is over: its last rung reported, or nobody moves on
        bracket++;
        rung = 0;
        startedInBracket = 0;
        target = sizes.get(bracket % sizes.size());
        if (!mayStart) {
          return Job.DONE;
        }
        continue;
      }
      rung++;
      promotions.addAll(next);
    }
  }

  @Override
  public void report(Report report) {
    running.remove(report.trial());
    if (report.ended()) {
      ended.add(report.trial());
    }
    reported.put(report.trial(), report.lossAt(report.iteration()));
  }

  @Override
  public boolean pruned(int trial) {
    return pruned.contains(trial);
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> p = new LinkedHashMap<>();
    long min = minIterations > 0 ? minIterations : resolvedMin;
    if (min > 0) {
      p.put("min_iterations", min);
    }
    p.put("reduction_factor", reductionFactor);
    return TypeAndParams.toConfig("hyperband", p);
  }

  @Override
  public String toString() {
    return "HyperbandScheduler" + toConfig().get("PARAM");
  }
}
