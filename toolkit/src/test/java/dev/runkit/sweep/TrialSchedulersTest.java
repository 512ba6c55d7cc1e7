package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runkit.sweep.TrialScheduler.Job;
import dev.runkit.sweep.TrialScheduler.Point;
import dev.runkit.sweep.TrialScheduler.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The schedulers' decisions, without training: trials are loss curves. */
class TrialSchedulersTest {

  /** A report whose validations are every 10 iterations up to the iteration, from a curve. */
  private static Report report(int trial, long iteration, LongToDoubleFunction curve, boolean end) {
    List<Point> points = new ArrayList<>();
    for (long t = 10; t <= iteration; t += 10) {
      points.add(new Point(t, curve.applyAsDouble(t)));
    }
    return new Report(trial, iteration, points, end);
  }

  private static Report at(int trial, long iteration, double loss) {
    return new Report(trial, iteration, List.of(new Point(iteration, loss)), false);
  }

  /** The outcome of a sequential sweep: how far each trial trained, which were pruned. */
  record Outcome(Map<Integer, Long> reached, List<Job> jobs, List<Integer> pruned) {}

  /**
   * Runs a scheduler as a sweep with one executor slot does: each job runs at once, a trial's loss
   * at iteration t is its curve.
   */
  static Outcome simulate(
      TrialScheduler s, long runLength, int budget, Map<Integer, LongToDoubleFunction> curves) {
    s.begin(runLength, 10);
    Map<Integer, Long> reached = new HashMap<>();
    List<Job> jobs = new ArrayList<>();
    int started = 0;
    for (int guard = 0; guard < 10_000; guard++) {
      Job job = s.next(started < budget);
      if (job.kind() == Job.Kind.DONE) {
        break;
      }
      assertThat(job.kind()).as("one slot never waits").isNotEqualTo(Job.Kind.WAIT);
      jobs.add(job);
      if (job.kind() == Job.Kind.START) {
        assertThat(job.trial()).isEqualTo(started);
        started++;
      } else {
        assertThat(job.stopAt()).isGreaterThan(reached.get(job.trial()));
      }
      reached.put(job.trial(), job.stopAt());
      s.report(
          report(job.trial(), job.stopAt(), curves.get(job.trial()), job.stopAt() >= runLength));
    }
    List<Integer> pruned = new ArrayList<>();
    for (int t = 0; t < started; t++) {
      if (s.pruned(t)) {
        pruned.add(t);
      }
    }
    return new Outcome(reached, jobs, pruned);
  }

  /** Trials whose final loss is their quality; all curves fall like 1/t towards it. */
  static Map<Integer, LongToDoubleFunction> curves(double... quality) {
    Map<Integer, LongToDoubleFunction> out = new HashMap<>();
    for (int i = 0; i < quality.length; i++) {
      double q = quality[i];
      out.put(i, t -> q + 1.0 / t);
    }
    return out;
  }

  // ------------------------------------------------------------------ ASHA

  @Test
  void asha_rungs_areGeometricBelowTheRunLength_thenTheRunLength() {
    AshaScheduler a = TrialSchedulers.asha().minIterations(10).reductionFactor(3);
    a.begin(120, 10);
    assertThat(a.rungs()).containsExactly(10, 30, 90, 120);
    a.begin(90, 10);
    assertThat(a.rungs()).containsExactly(10, 30, 90);
    AshaScheduler byValidation = TrialSchedulers.asha();
    byValidation.begin(1000, 50);
    assertThat(byValidation.rungs()).containsExactly(50, 150, 450, 1000);
  }

  @Test
  void asha_promotesTheTopThirdOfWhatReachedARungSoFar() {
    AshaScheduler a = TrialSchedulers.asha().minIterations(10).reductionFactor(3);
    a.begin(120, 10);
    assertThat(a.next(true)).isEqualTo(Job.start(0, 10));
    a.report(at(0, 10, 0.5));
    // one trial at the rung: floor(1/3) = 0 may move on, so a new trial starts
    assertThat(a.next(true)).isEqualTo(Job.start(1, 10));
    a.report(at(1, 10, 0.9));
    assertThat(a.next(true)).isEqualTo(Job.start(2, 10));
    a.report(at(2, 10, 0.8));
    // three at the rung: the best one (trial 0, which got there first) is promoted now
    assertThat(a.next(true)).isEqualTo(Job.resume(0, 30));
    a.report(at(0, 30, 0.4));
    assertThat(a.next(true)).isEqualTo(Job.start(3, 10));
    a.report(at(3, 10, 0.1));
    // four at the rung: floor(4/3) = 1, and the best one (trial 3) has not moved on
    assertThat(a.next(true)).isEqualTo(Job.resume(3, 30));
    a.report(at(3, 30, 0.2));
    assertThat(a.next(true)).isEqualTo(Job.start(4, 10));
    a.report(at(4, 10, 0.7));
    assertThat(a.next(true)).isEqualTo(Job.start(5, 10));
    a.report(at(5, 10, 0.6));
    assertThat(a.next(true)).isEqualTo(Job.start(6, 10));
    a.report(at(6, 10, 0.35));
    // seven at the rung: the top two are trials 3 and 6; 3 already moved on
    assertThat(a.next(true)).isEqualTo(Job.resume(6, 30));
    a.report(at(6, 30, 0.3));
    // three at rung 30 (0.4, 0.2, 0.3): the best moves on to 90, searched top rung first
    assertThat(a.next(true)).isEqualTo(Job.resume(3, 90));
    a.report(at(3, 90, 0.15));
    // nothing promotable, no more trials allowed and none running: done
    assertThat(a.next(false)).isEqualTo(Job.DONE);
  }

  @Test
  void asha_waitsWhileATrialRuns_andNeverPromotesAnEndedTrial() {
    AshaScheduler a = TrialSchedulers.asha().minIterations(10).reductionFactor(2);
    a.begin(40, 10);
    assertThat(a.next(true)).isEqualTo(Job.start(0, 10));
    assertThat(a.next(false)).isEqualTo(Job.WAIT);
    // trial 0 failed before its rung: it cannot be promoted
    a.report(new Report(0, 3, List.of(), true));
    assertThat(a.next(true)).isEqualTo(Job.start(1, 10));
    a.report(at(1, 10, 0.5));
    assertThat(a.next(true)).isEqualTo(Job.start(2, 10));
    a.report(at(2, 10, 0.7));
    assertThat(a.next(false)).isEqualTo(Job.resume(1, 20));
  }

  @Test
  void asha_sweep_trainsLessThanFifo_andTheBestTrialReachesTheEnd() {
    double[] quality = {0.5, 0.3, 0.9, 0.1, 0.7, 0.6, 0.8, 0.2, 0.4};
    Outcome asha =
        simulate(
            TrialSchedulers.asha().minIterations(10).reductionFactor(3), 90, 9, curves(quality));
    assertThat(asha.reached()).hasSize(9);
    assertThat(asha.reached().get(3)).as("the best trial").isEqualTo(90);
    long iterations = asha.reached().values().stream().mapToLong(Long::longValue).sum();
    // 9 trials to 10, the top 3 to 30, the top 1 to 90
    assertThat(iterations).isEqualTo(6 * 10 + 2 * 30 + 90);
    assertThat(asha.reached().values().stream().filter(r -> r == 90)).hasSize(1);
  }

  @Test
  void asha_minIterationsAtTheRunLength_throws() {
    assertThatThrownBy(() -> TrialSchedulers.asha().minIterations(100).begin(100, 10))
        .hasMessage("asha.min_iterations must be below the run length (100 iterations), got 100");
    assertThatThrownBy(() -> TrialSchedulers.asha().begin(100, 100))
        .hasMessage(
            "asha.min_iterations must be below the run length (100 iterations), got 100 (the"
                + " validation interval)");
    assertThatThrownBy(() -> TrialSchedulers.asha().reductionFactor(1))
        .hasMessage("asha.reduction_factor must be a finite number > 1, got 1.0");
  }

  // ------------------------------------------------------------------ Hyperband

  @Test
  void hyperband_brackets_areTheOnesOfThePaper() {
    // Li et al. 2017, Table 1: R = 81, eta = 3
    HyperbandScheduler h = TrialSchedulers.hyperband().minIterations(1).reductionFactor(3);
    h.begin(81, 10);
    List<long[]> brackets = h.brackets();
    assertThat(brackets).hasSize(5);
    assertThat(brackets.get(0)).containsExactly(1, 3, 9, 27, 81);
    assertThat(brackets.get(1)).containsExactly(3, 9, 27, 81);
    assertThat(brackets.get(2)).containsExactly(9, 27, 81);
    assertThat(brackets.get(3)).containsExactly(27, 81);
    assertThat(brackets.get(4)).containsExactly(81);
    assertThat(h.trials()).hasValue(81 + 34 + 15 + 8 + 5);
  }

  @Test
  void hyperband_halvesEachBracketSynchronously_andPrunesTheRest() {
    HyperbandScheduler h = TrialSchedulers.hyperband().minIterations(10).reductionFactor(3);
    // R = 90: s_max = 2; brackets of 9 trials at 10/30/90, 5 at 30/90 (ceil(3/2 * 3)), 3 at 90
    double[] quality = new double[17];
    for (int i = 0; i < quality.length; i++) {
      quality[i] = (i * 7 % 17) / 17.0;
    }
    Outcome o = simulate(h, 90, 17, curves(quality));
    assertThat(h.trials()).hasValue(17);
    // bracket 0: trials 0-8 all run to 10 before any is promoted
    List<Job> first = o.jobs().subList(0, 9);
    assertThat(first).allMatch(j -> j.kind() == Job.Kind.START && j.stopAt() == 10);
    assertThat(o.jobs().get(9).kind()).isEqualTo(Job.Kind.CONTINUE);
    long toThirty = o.jobs().subList(9, 12).stream().filter(j -> j.stopAt() == 30).count();
    assertThat(toThirty).isEqualTo(3);
    // the best of bracket 0 (trial 0: quality 0) trains to the end; 8 of its 9 are pruned
    assertThat(o.reached().get(0)).isEqualTo(90);
    assertThat(o.pruned().stream().filter(t -> t < 9)).hasSize(8);
    // bracket 1: 5 trials start at 30, the best 1 goes on; bracket 2: 3 trials to 90
    assertThat(o.reached().entrySet().stream().filter(e -> e.getKey() >= 9 && e.getKey() < 14))
        .allMatch(e -> e.getValue() >= 30);
    assertThat(o.pruned().stream().filter(t -> t >= 9 && t < 14)).hasSize(4);
    assertThat(o.reached().entrySet().stream().filter(e -> e.getKey() >= 14))
        .allMatch(e -> e.getValue() == 90);
  }

  @Test
  void hyperband_budgetEndingInsideABracket_halvesTheTrialsItHas() {
    HyperbandScheduler h = TrialSchedulers.hyperband().minIterations(10).reductionFactor(3);
    Outcome o = simulate(h, 90, 6, curves(0.6, 0.5, 0.4, 0.3, 0.2, 0.1));
    // 6 trials at 10, floor(6/3) = 2 to 30 (trials 5 and 4), floor(2/3) = 0 to 90
    assertThat(o.reached()).containsEntry(5, 30L).containsEntry(4, 30L).containsEntry(0, 10L);
    assertThat(o.pruned()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
  }

  // ------------------------------------------------------------------ median

  @Test
  void median_stopsATrialWorseThanTheMedianOfTheOthersRunningMeans() {
    MedianStoppingRule m = TrialSchedulers.median().minTrials(3);
    // three good trials, then a bad one and a good one
    Outcome o = simulate(m, 60, 5, curves(0.2, 0.3, 0.25, 0.9, 0.1));
    assertThat(o.reached()).containsEntry(0, 60L).containsEntry(1, 60L).containsEntry(2, 60L);
    // trial 3's best at 10 (1.0) is worse than the median of the others' means at 10 (0.35)
    assertThat(o.reached()).containsEntry(3, 10L).containsEntry(4, 60L);
    assertThat(o.pruned()).containsExactly(3);
    // segments of one validation interval, each continued before a new trial starts
    assertThat(o.jobs().subList(0, 6))
        .extracting(Job::stopAt)
        .containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
  }

  @Test
  void median_gracePeriodAndMinTrials_protectTrials() {
    Outcome fewOthers =
        simulate(TrialSchedulers.median().minTrials(4), 40, 4, curves(0.1, 0.2, 0.3, 0.9));
    assertThat(fewOthers.pruned()).isEmpty();
    MedianStoppingRule graced = TrialSchedulers.median().graceIterations(25).minTrials(2);
    Outcome o = simulate(graced, 60, 3, curves(0.1, 0.2, 0.9));
    // the first judgement is at 30, the first multiple of the interval past the grace
    assertThat(o.reached()).containsEntry(2, 30L);
    assertThat(o.jobs().get(0).stopAt()).isEqualTo(30);
  }

  // ------------------------------------------------------------------ by name

  @Test
  void schedulersByName_readTheirParameters_andNameTheNearest() {
    TrialScheduler a =
        TrialSchedulers.build(
            Map.of("TYPE", "ASHA", "PARAM", Map.of("min_iterations", 20, "reduction_factor", 4)),
            "SWEEP.SCHEDULER");
    a.begin(400, 10);
    assertThat(((AshaScheduler) a).rungs()).containsExactly(20, 80, 320, 400);
    assertThat(a.toConfig())
        .isEqualTo(
            Map.of(
                "TYPE", "asha", "PARAM", Map.of("min_iterations", 20L, "reduction_factor", 4.0)));
    assertThatThrownBy(() -> TrialSchedulers.build(Map.of("TYPE", "hyperbnd"), "SWEEP.SCHEDULER"))
        .hasMessage(
            "Unknown trial scheduler \"hyperbnd\" at SWEEP.SCHEDULER.TYPE; expected one of [fifo,"
                + " asha, hyperband, median]. Did you mean \"hyperband\"?");
    assertThatThrownBy(
            () ->
                TrialSchedulers.build(
                    Map.of("TYPE", "asha", "PARAM", Map.of("reduction_factor", 1)),
                    "SWEEP.SCHEDULER"))
        .hasMessage("SWEEP.SCHEDULER.PARAM.reduction_factor must be > 1, got 1.0");
    assertThatThrownBy(
            () ->
                TrialSchedulers.build(
                    Map.of("TYPE", "median", "PARAM", Map.of("grace", 1)), "SWEEP.SCHEDULER"))
        .hasMessageStartingWith("Unknown parameter \"grace\" at SWEEP.SCHEDULER.PARAM.grace;")
        .hasMessageEndingWith("Did you mean \"grace_iterations\"?");
  }

  @Test
  void fifo_runsEveryTrialToTheEnd() {
    Outcome o = simulate(TrialSchedulers.fifo(), 50, 4, curves(0.4, 0.3, 0.2, 0.1));
    assertThat(o.reached())
        .containsOnly(Map.entry(0, 50L), Map.entry(1, 50L), Map.entry(2, 50L), Map.entry(3, 50L));
    assertThat(o.pruned()).isEmpty();
  }
}
