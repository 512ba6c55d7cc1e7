package dev.runkit.schedule;

import ai.djl.training.tracker.Tracker;
import java.util.OptionalDouble;
import java.util.stream.LongStream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * A learning-rate schedule: a pure function from the step number to the learning rate.
 *
 * <p>{@code lr(step)} is the learning rate used by update {@code step + 1} (steps count from 0), so
 * a schedule can be plotted, resumed and tested at any step without replaying the ones before.
 *
 * <pre>{@code
 * Schedule s = Schedules.build("StepLR", Map.of("step_size", 30, "gamma", 0.1), 0.1);
 * double lr = s.lr(45); // 0.01
 * }</pre>
 */
public interface Schedule {

  /**
   * Returns the learning rate of update {@code step + 1}.
   *
   * @param step the number of updates already made (0, 1, 2, ...)
   * @return the learning rate
   */
  double lr(long step);

  /**
   * Returns the momentum (for Adam-type optimizers: beta1) of update {@code step + 1}, for
   * schedules that cycle it (OneCycle, Cyclic); empty for the others.
   *
   * @param step the number of updates already made
   * @return the momentum, or empty when this schedule leaves momentum alone
   */
  default OptionalDouble momentum(long step) {
    return OptionalDouble.empty();
  }

  /**
   * Adapts this schedule to a DJL {@link Tracker}; DJL counts updates from 1, so update {@code n}
   * gets {@code lr(n - 1)}.
   *
   * @return a tracker giving the same learning rates
   */
  default Tracker asTracker() {
    return numUpdate -> (float) lr(numUpdate - 1L);
  }

  /**
   * Samples the schedule at steps {@code 0 .. steps - 1} into a table with columns {@code step},
   * {@code lr} and, when momentum is cycled, {@code momentum}.
   *
   * @param steps how many steps to sample
   * @return the table
   * @throws IllegalArgumentException if steps is negative
   */
  default Table table(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    return tableAt(LongStream.range(0, steps).toArray());
  }

  /**
   * Samples the schedule at chosen steps into a table with columns {@code step}, {@code lr} and,
   * when momentum is cycled, {@code momentum}.
   *
   * @param steps the steps to sample, each {@code >= 0}
   * @return the table, one row per step in the order given
   * @throws IllegalArgumentException if a step is negative
   */
  default Table tableAt(long... steps) {
    double[] lrs = new double[steps.length];
    double[] momenta = new double[steps.length];
    boolean cyclesMomentum = steps.length > 0 && momentum(Math.max(0, steps[0])).isPresent();
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] < 0) {
        throw new IllegalArgumentException("steps[" + i + "] must be >= 0, got " + steps[i]);
      }
      lrs[i] = lr(steps[i]);
      if (cyclesMomentum) {
        momenta[i] = momentum(steps[i]).orElse(Double.NaN);
      }
    }
    Table table =
        Table.create(
            getClass().getSimpleName(),
            LongColumn.create("step", steps),
            DoubleColumn.create("lr", lrs));
    if (cyclesMomentum) {
      table.addColumns(DoubleColumn.create("momentum", momenta));
    }
    return table;
  }
}
