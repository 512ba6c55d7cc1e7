package dev.runkit.sweep;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Decides how far each trial trains: which trial a free executor runs next, to which iteration, and
 * which trials stop for good. A scheduler is pure decision logic, never trains, and is a
 * deterministic function of the calls it receives, so a sweep rebuilds it by replaying its log. The
 * sweep calls {@link #begin} once, then {@link #next} whenever an executor slot is free and {@link
 * #report} whenever a trial's segment ends; it marks a trial PRUNED when {@link #pruned} says so,
 * or when the sweep ends with the trial short of the run length.
 */
public interface TrialScheduler {

  /**
   * What to run next.
   *
   * @param kind what kind of job
   * @param trial the trial to start or continue (-1 for WAIT and DONE)
   * @param stopAt the iteration to stop at (the run length runs to the end; 0 for WAIT and DONE)
   */
  record Job(Kind kind, int trial, long stopAt) {

    /** The kinds of job. */
    public enum Kind {
      /** Start a new trial with this number. */
      START,
      /** Continue a trial from where it stopped. */
      CONTINUE,
      /** Nothing to run until a running trial reports. */
      WAIT,
      /** Nothing more to run. */
      DONE
    }

    /** No job until a trial reports. */
    public static final Job WAIT = new Job(Kind.WAIT, -1, 0);

    /** The sweep is over. */
    public static final Job DONE = new Job(Kind.DONE, -1, 0);

    /**
     * Starts a new trial.
     *
     * @param trial its number
     * @param stopAt the iteration to stop at
     * @return the job
     */
    public static Job start(int trial, long stopAt) {
      return new Job(Kind.START, trial, stopAt);
    }

    /**
     * Continues a trial from its latest checkpoint.
     *
     * @param trial its number
     * @param stopAt the iteration to stop at
     * @return the job
     */
    public static Job resume(int trial, long stopAt) {
      return new Job(Kind.CONTINUE, trial, stopAt);
    }
  }

  /**
   * One validation of the objective, as a loss (lower is better).
   *
   * @param iteration when it was measured
   * @param loss the value, negated for a maximised objective; NaN reads as +Infinity
   */
  record Point(long iteration, double loss) {

    /** Reads NaN as the worst loss. */
    public Point {
      if (Double.isNaN(loss)) {
        loss = Double.POSITIVE_INFINITY;
      }
    }
  }

  /**
   * What a trial reached when its segment ended.
   *
   * @param trial the trial
   * @param iteration the iteration it trained to
   * @param points its validations of the objective so far, by iteration
   * @param ended whether it can go no further (completed, stopped by its own early stopping, or
   *     failed)
   */
  record Report(int trial, long iteration, List<Point> points, boolean ended) {

    /** Copies the points. */
    public Report {
      points = List.copyOf(points);
    }

    /**
     * Returns the latest loss measured at or before an iteration.
     *
     * @param at the iteration
     * @return the loss, or +Infinity when none was measured by then
     */
    public double lossAt(long at) {
      double loss = Double.POSITIVE_INFINITY;
      for (Point p : points) {
        if (p.iteration() <= at) {
          loss = p.loss();
        }
      }
      return loss;
    }
  }

  /**
   * Starts a sweep, forgetting any earlier one.
   *
   * @param runLength the iterations of a full trial (the base config's run length)
   * @param validateEvery how often a run reports the objective: the base config's validation
   *     interval (its logging interval for a training metric); the default first rung
   * @throws IllegalArgumentException if the scheduler's settings do not fit the run (a first rung
   *     past its end)
   */
  void begin(long runLength, long validateEvery);

  /**
   * Decides what a free executor slot runs next; returns WAIT or DONE without changing anything.
   *
   * @param mayStart whether the sweep's trial budget allows starting a new trial
   * @return the job
   */
  Job next(boolean mayStart);

  /**
   * Records the end of a trial's segment.
   *
   * @param report what the trial reached
   */
  void report(Report report);

  /**
   * Tells whether a trial that stopped short of the run length will never be continued.
   *
   * @param trial the trial
   * @return true when it is pruned
   */
  boolean pruned(int trial);

  /**
   * Returns the number of trials this scheduler is made for, when it has one (Hyperband's
   * brackets).
   *
   * @return the count, or empty
   */
  default OptionalInt trials() {
    return OptionalInt.empty();
  }

  /**
   * Returns this scheduler as a {@code SWEEP.SCHEDULER} section, with the values it uses.
   *
   * @return {@code {TYPE: name, PARAM: {...}}}
   */
  Map<String, Object> toConfig();
}
