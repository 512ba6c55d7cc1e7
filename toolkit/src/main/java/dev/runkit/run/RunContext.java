package dev.runkit.run;

import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * What a callback sees of a running fit, and its one lever on it: a cooperative stop request,
 * honoured at the end of the current iteration.
 */
public interface RunContext {

  /**
   * Returns the number of iterations (optimizer updates) completed.
   *
   * @return the iteration count
   */
  long iteration();

  /**
   * Returns the number of iterations the run was asked for.
   *
   * @return the planned total
   */
  long totalIterations();

  /**
   * Returns the learning rate of the latest update (NaN when the optimizer does not say).
   *
   * @return the learning rate
   */
  double lr();

  /**
   * Returns the latest reported value of each metric, keyed {@code phase/metric} (e.g. {@code
   * validation/accuracy}).
   *
   * @return an unmodifiable map
   */
  Map<String, Double> latest();

  /**
   * Returns the history so far as a table (iteration, phase, metric, value, lr, elapsed).
   *
   * @return a new table
   */
  Table history();

  /**
   * Asks the run to stop after the current iteration; the result reports {@link
   * StopReason#REQUESTED} and this reason. The run finishes that iteration's scheduled work, writes
   * its last checkpoint (which a resumed run continues from exactly), then reports the training
   * meters and validates once more for the result; that last validation moves neither the best
   * parameters nor early stopping.
   *
   * @param reason why, in words
   */
  void requestStop(String reason);
}
