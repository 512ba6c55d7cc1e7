package dev.runkit.run;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * What the loop reports when a fit ends; {@code dev.runkit.RunResult} presents it with the model.
 *
 * @param history one row per reported value (iteration, phase, metric, value, lr, elapsed)
 * @param reason why the run ended
 * @param message the same in words
 * @param error the exception that ended the run, or null
 * @param iterations iterations completed
 * @param monitor the metric that decided the best model
 * @param bestValue its best validation value (NaN when never validated)
 * @param bestIteration the iteration of that value (-1 when never validated)
 * @param bestCheckpoint the best checkpoint file, or null when none was written
 * @param test the final test metrics (on the best parameters when validated), empty without test
 *     data
 * @param skippedSteps updates skipped because the loss was not finite
 * @param devices the devices trained on, one replica each (empty when the run failed before
 *     choosing them)
 */
public record RunOutcome(
    Table history,
    StopReason reason,
    String message,
    Throwable error,
    long iterations,
    Monitor monitor,
    double bestValue,
    long bestIteration,
    Path bestCheckpoint,
    Map<String, Double> test,
    long skippedSteps,
    List<Device> devices) {}
