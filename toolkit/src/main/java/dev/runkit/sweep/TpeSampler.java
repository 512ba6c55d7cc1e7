package dev.runkit.sweep;

import dev.runkit.registry.Params;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011) as Optuna's {@code TPESampler}
 * defines it, univariate, with Optuna's defaults. The first {@code n_startup_trials} (10) trials
 * are drawn at random. After that, the finished trials are split: the best {@code gamma(n) =
 * min(ceil(0.1 n), 25)} of the n completed and pruned trials form the good group (completed trials
 * by objective first, then pruned ones by how far they trained and their last value), the rest the
 * other; each dimension gets a {@link ParzenEstimator} l(x) on the good group and g(x) on the other
 * (weights 1 each, older trials ramped down past 25), {@code n_ei_candidates} (24) values are drawn
 * from l, and the one with the largest {@code log l(x) - log g(x)} is taken. Failed trials are
 * ignored.
 *
 * <pre>{@code
 * Sampler tpe = TpeSampler.defaults().startupTrials(5);
 * }</pre>
 */
public final class TpeSampler implements Sampler {

  private final int startupTrials;
  private final int eiCandidates;
  private final double priorWeight;
  private final boolean considerEndpoints;
  private final boolean magicClip;

  private TpeSampler(
      int startupTrials,
      int eiCandidates,
      double priorWeight,
      boolean considerEndpoints,
      boolean magicClip) {
    if (startupTrials < 0) {
      throw new IllegalArgumentException("tpe.n_startup_trials must be >= 0, got " + startupTrials);
    }
    if (eiCandidates < 1) {
      throw new IllegalArgumentException("tpe.n_ei_candidates must be >= 1, got " + eiCandidates);
    }
    if (!(priorWeight > 0) || Double.isInfinite(priorWeight)) {
      throw new IllegalArgumentException(
          "tpe.prior_weight must be a finite number > 0, got " + priorWeight);
    }
    this.startupTrials = startupTrials;
    this.eiCandidates = eiCandidates;
    this.priorWeight = priorWeight;
    this.considerEndpoints = considerEndpoints;
    this.magicClip = magicClip;
  }

  /**
   * Returns TPE with Optuna's defaults: 10 startup trials, 24 candidates, prior weight 1, endpoints
   * not considered, magic clip on.
   *
   * @return the sampler
   */
  public static TpeSampler defaults() {
    return new TpeSampler(10, 24, 1.0, false, true);
  }

  /**
   * Reads a {@code SAMPLER.PARAM} section with Optuna's argument names: {@code n_startup_trials},
   * {@code n_ei_candidates}, {@code prior_weight}, {@code consider_endpoints}, {@code
   * consider_magic_clip}.
   *
   * @param p the parameters
   * @return the sampler
   * @throws IllegalArgumentException for an unknown key or a value out of range
   */
  static TpeSampler from(Params p) {
    TpeSampler d = defaults();
    long startup = p.optionalLong("n_startup_trials", d.startupTrials);
    p.check("n_startup_trials", startup, startup >= 0 && startup <= 1_000_000, "in [0, 1000000]");
    long candidates = p.optionalLong("n_ei_candidates", d.eiCandidates);
    p.check(
        "n_ei_candidates", candidates, candidates >= 1 && candidates <= 100_000, "in [1, 100000]");
    double prior = p.optionalDouble("prior_weight", d.priorWeight);
    p.check("prior_weight", prior, prior > 0 && !Double.isInfinite(prior), "> 0");
    boolean endpoints = p.optionalBoolean("consider_endpoints", d.considerEndpoints);
    boolean clip = p.optionalBoolean("consider_magic_clip", d.magicClip);
    p.requireNoUnknown();
    return new TpeSampler((int) startup, (int) candidates, prior, endpoints, clip);
  }

  /**
   * Sets the number of trials drawn at random before TPE takes over.
   *
   * @param n trials, {@code >= 0}
   * @return a new sampler
   */
  public TpeSampler startupTrials(int n) {
    return new TpeSampler(n, eiCandidates, priorWeight, considerEndpoints, magicClip);
  }

  /**
   * Sets the number of candidates drawn from l(x) per dimension.
   *
   * @param n candidates, {@code >= 1}
   * @return a new sampler
   */
  public TpeSampler eiCandidates(int n) {
    return new TpeSampler(startupTrials, n, priorWeight, considerEndpoints, magicClip);
  }

  /**
   * Sets the weight of the prior kernel.
   *
   * @param w the weight, {@code > 0}
   * @return a new sampler
   */
  public TpeSampler priorWeight(double w) {
    return new TpeSampler(startupTrials, eiCandidates, w, considerEndpoints, magicClip);
  }

  /**
   * Says whether the outer kernels' bandwidths also look at the range's ends.
   *
   * @param yes true to consider them
   * @return a new sampler
   */
  public TpeSampler considerEndpoints(boolean yes) {
    return new TpeSampler(startupTrials, eiCandidates, priorWeight, yes, magicClip);
  }

  /**
   * Says whether to raise small bandwidths to the range over {@code min(100, kernels + 1)}.
   *
   * @param yes true to clip
   * @return a new sampler
   */
  public TpeSampler magicClip(boolean yes) {
    return new TpeSampler(startupTrials, eiCandidates, priorWeight, considerEndpoints, yes);
  }

  /**
   * Returns the size of the good group among n trials: {@code min(ceil(0.1 n), 25)}.
   *
   * @param n the completed and pruned trials
   * @return the size
   */
  static int gamma(int n) {
    return Math.min((int) Math.ceil(0.1 * n), 25);
  }

  /**
   * Returns the weights of n observations in trial order: 1 each below 25; from 25 on, the newest
   * 25 weigh 1 and the older ones ramp linearly from {@code 1/n} up to 1.
   *
   * @param n the observations
   * @return the weights
   */
  static double[] weights(int n) {
    double[] w = new double[n];
    if (n < 25) {
      java.util.Arrays.fill(w, 1.0);
      return w;
    }
    int ramp = n - 25;
    for (int i = 0; i < ramp; i++) {
      // numpy's linspace(1/n, 1, ramp)
      w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
    }
    for (int i = ramp; i < n; i++) {
      w[i] = 1.0;
    }
    return w;
  }

  @Override
  public Map<String, Object> sample(
      Space space, int trial, List<Observation> observations, long seed) {
    Random random = Seeds.forTrial(seed, trial);
    Map<String, Object> out = new LinkedHashMap<>();
    if (observations.size() < startupTrials) {
      for (Param p : space.params()) {
        out.put(p.key(), RandomSampler.draw(p, random));
      }
      return out;
    }
    List<List<Observation>> groups = split(observations, gamma(observations.size()));
    for (Param p : space.params()) {
      out.put(p.key(), sampleOne(p, groups.get(0), groups.get(1), random));
    }
    return out;
  }

  /**
   * Splits trials into the good group (the first n of the completed by loss, then of the pruned by
   * iteration reached and last loss) and the rest, each in trial order.
   */
  static List<List<Observation>> split(List<Observation> observations, int n) {
    List<Observation> completed = new ArrayList<>();
    List<Observation> pruned = new ArrayList<>();
    for (Observation o : observations) {
      (o.status() == TrialStatus.COMPLETED ? completed : pruned).add(o);
    }
    completed.sort(Comparator.comparingDouble(Observation::loss));
    pruned.sort(
        Comparator.comparingLong((Observation o) -> -o.iteration())
            .thenComparingDouble(Observation::loss));
    List<Observation> below = new ArrayList<>();
    List<Observation> above = new ArrayList<>();
    int fromCompleted = Math.min(n, completed.size());
    below.addAll(completed.subList(0, fromCompleted));
    above.addAll(completed.subList(fromCompleted, completed.size()));
    int fromPruned = Math.min(n - fromCompleted, pruned.size());
    below.addAll(pruned.subList(0, fromPruned));
    above.addAll(pruned.subList(fromPruned, pruned.size()));
    below.sort(Comparator.comparingInt(Observation::trial));
    above.sort(Comparator.comparingInt(Observation::trial));
    return List.of(below, above);
  }

  private Object sampleOne(
      Param param, List<Observation> below, List<Observation> above, Random random) {
    ParzenEstimator l = estimator(param, below);
    ParzenEstimator g = estimator(param, above);
    double[] candidates = l.sample(random, eiCandidates);
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.length; i++) {
      double score = l.logPdf(candidates[i]) - g.logPdf(candidates[i]);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    double x = candidates[best];
    List<Object> choices = RandomSampler.choices(param);
    if (choices != null) {
      return choices.get((int) x);
    }
    return param instanceof Param.Int ? (Object) (long) x : (Object) x;
  }

  /** Fits the estimator of one dimension to the trials that hold a value of it. */
  ParzenEstimator estimator(Param param, List<Observation> group) {
    List<Double> values = new ArrayList<>();
    List<Object> choices = RandomSampler.choices(param);
    for (Observation o : group) {
      Object v = o.params().get(param.key());
      if (v == null) {
        continue;
      }
      if (choices != null) {
        int index = choices.indexOf(v);
        if (index >= 0) {
          values.add((double) index);
        }
      } else if (v instanceof Number n) {
        values.add(n.doubleValue());
      }
    }
    double[] observed = values.stream().mapToDouble(Double::doubleValue).toArray();
    return new ParzenEstimator(
        param, observed, weights(observed.length), priorWeight, considerEndpoints, magicClip);
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> param = new LinkedHashMap<>();
    param.put("n_startup_trials", startupTrials);
    param.put("n_ei_candidates", eiCandidates);
    param.put("prior_weight", priorWeight);
    param.put("consider_endpoints", considerEndpoints);
    param.put("consider_magic_clip", magicClip);
    return dev.runkit.registry.TypeAndParams.toConfig("tpe", param);
  }

  @Override
  public String toString() {
    return "TpeSampler" + toConfig().get("PARAM");
  }
}
