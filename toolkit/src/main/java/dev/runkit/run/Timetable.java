package dev.runkit.run;

import java.util.Map;
import java.util.Set;

/**
 * When things happen in a run: its length, and after which iterations it reports training meters,
 * validates, tests, writes a checkpoint and seeds MXNet's generator. Pure arithmetic on the
 * settings, decided once before the first step.
 */
final class Timetable {

  private final long total;
  private final long logEvery;
  private final long validateEvery;
  private final long testEvery;
  private final boolean validation;
  private final boolean test;
  private final Checkpoints checkpoints;
  private final Set<Long> savePoints;

  /**
   * Works out a run's timetable; the intervals left unset get their {@link DefaultIntervals}.
   *
   * @param s the settings
   * @param batchesPerEpoch batches in one pass over the training data
   * @throws IllegalArgumentException if a listed checkpoint lies past the run's end
   */
  Timetable(RunSettings s, long batchesPerEpoch) {
    total =
        s.epochs() > 0
            ? Math.max(1, s.epochs() * batchesPerEpoch / s.accumulate())
            : s.iterations();
    validation = s.validation() != null;
    test = s.test() != null;
    validateEvery =
        s.validateEvery() > 0
            ? s.validateEvery()
            : validation ? DefaultIntervals.validateEvery(total) : 0;
    logEvery = s.logEvery() > 0 ? s.logEvery() : DefaultIntervals.logEvery(total, validateEvery);
    testEvery = s.testEvery();
    checkpoints = s.checkpoints();
    savePoints =
        checkpoints == null
            ? Set.of()
            : checkpoints.iterations(batchesPerEpoch, s.accumulate(), total);
  }

  /**
   * Returns the divisor of {@code interval} nearest to {@code about} (by ratio), so that every
   * validation is also a training report: the history then has the training meters of each
   * validation interval beside its validation values.
   */
  static long dividing(long interval, long about) {
    long best = 1;
    for (long d = 1; d * d <= interval; d++) {
      if (interval % d == 0) {
        for (long c : new long[] {d, interval / d}) {
          if (Math.abs(Math.log((double) c / about)) < Math.abs(Math.log((double) best / about))) {
            best = c;
          }
        }
      }
    }
    return best;
  }

  /** Returns the number of iterations the run makes. */
  long total() {
    return total;
  }

  boolean isLast(long it) {
    return it == total;
  }

  /** Tells whether the training meters are reported after an iteration. */
  boolean logs(long it) {
    return it % logEvery == 0 || it == total;
  }

  boolean validates(long it) {
    return validation && (it % validateEvery == 0 || it == total);
  }

  /** At the last iteration the test at the end (on the best parameters) takes this one's place. */
  boolean tests(long it) {
    return test && testEvery > 0 && it % testEvery == 0 && it != total;
  }

  /** Tells whether the schedule writes a checkpoint after an iteration (not counting the end). */
  boolean checkpoints(long it) {
    if (checkpoints == null) {
      return false;
    }
    return (checkpoints.every() > 0 && it % checkpoints.every() == 0)
        || (validates(it) && checkpoints.atValidation())
        || savePoints.contains(it);
  }

  /**
   * Tells whether an iteration's scheduled work waits for the engine anyway (to validate, test,
   * write a checkpoint, or at the end), so that a held training report is best read first.
   */
  boolean waits(long it) {
    return validates(it) || tests(it) || checkpoints(it) || isLast(it);
  }

  /**
   * Tells whether MXNet's generator is seeded after an iteration (see {@link GeneratorReplay}): at
   * scheduled checkpoints and validations, which wait for the engine anyway; seeding every
   * iteration instead cost ~30% of the speed. Never after the last iteration, which is a seeding
   * point only because it is the end: a run resumed from there with more iterations replays from
   * the point before, as a longer run seeds.
   */
  boolean seeds(long it) {
    return checkpoints != null && it != total && (checkpoints(it) || validates(it));
  }

  /** The settings {@link #seeds} follows, saved so that a resume that changes them is told. */
  Map<String, Double> seedingRule() {
    Checkpoints c = checkpoints;
    return Map.of(
        "rng.rule.every",
        c == null ? -1.0 : c.every(),
        "rng.rule.atValidation",
        c != null && c.atValidation() ? 1.0 : 0.0,
        "rng.rule.points",
        (double) savePoints.hashCode(),
        "rng.rule.validateEvery",
        (double) validateEvery);
  }

  /** Returns the listed checkpoint iterations, which pruning never deletes. */
  Set<Long> savePoints() {
    return savePoints;
  }
}
