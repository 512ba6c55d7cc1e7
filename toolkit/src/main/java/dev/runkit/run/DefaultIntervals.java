package dev.runkit.run;

/**
 * The intervals a run takes when its settings leave them unset: the one place they are decided, so
 * that a run and anything that plans around its reports (a sweep's schedulers) agree.
 */
public final class DefaultIntervals {

  private DefaultIntervals() {}

  /**
   * Returns the validation interval of a run with validation data and none set: ten validations a
   * run.
   *
   * @param total the run's iterations
   * @return the interval, at least 1
   */
  public static long validateEvery(long total) {
    return Math.max(1, (total + 9) / 10);
  }

  /**
   * Returns the training-report interval of a run with none set: about twenty reports a run, at
   * least every 100 iterations, and with validation a divisor of the validation interval nearest to
   * that, so that every validation has the training meters of its interval beside it.
   *
   * @param total the run's iterations
   * @param validateEvery the run's validation interval, 0 when it has no validation data
   * @return the interval, at least 1
   */
  public static long logEvery(long total, long validateEvery) {
    long about = Math.max(1, Math.min(100, total / 20));
    return validateEvery > 0 ? Timetable.dividing(validateEvery, about) : about;
  }
}
