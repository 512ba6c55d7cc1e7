/**
 * The iteration loop behind {@code dev.runkit.Runner}: an endless seeded batch stream, meters that
 * accumulate on the device, validation and test scheduling, the history, early stopping,
 * checkpoints with exact resume, callbacks, progress reporting and the learning-rate range test
 * ({@link dev.runkit.run.LrFinder}). It knows nothing of notebooks: displays implement {@link
 * dev.runkit.run.ProgressListener} and offer themselves through {@link
 * dev.runkit.run.ProgressListenerProvider}, found by {@link java.util.ServiceLoader}.
 *
 * <h2>The loop's parts</h2>
 *
 * {@link dev.runkit.run.TrainingLoop} is the skeleton of a run; it owns the iteration count and
 * calls its parts by name:
 *
 * <ul>
 *   <li>{@code Preflight}: the checks before the first step (batch size, one forward pass and the
 *       loss on each part of the data, which also initializes the block, the parameters' device,
 *       the monitored metric);
 *   <li>{@code Timetable}: when things happen (run length, report, validation, test, checkpoint and
 *       generator-seeding points);
 *   <li>{@code TrainingStep}: one iteration's forward/backward per micro-batch, accumulation, the
 *       non-finite guard, clipping and the update, on one device or over {@code Replicas}; it adds
 *       to the {@code TrainMeters};
 *   <li>{@code Evaluation}: validation and test passes, the best value and its parameters, early
 *       stopping, the plateau schedule;
 *   <li>{@code RunState}: everything a checkpoint holds, saved and restored in one place, the
 *       checkpoint files (write, prune, find the latest and the best), and the seeding and replay
 *       of MXNet's generator ({@code GeneratorReplay});
 *   <li>{@code RunLog}: the history, the clock, and the events a {@link
 *       dev.runkit.run.ProgressListener} receives;
 *   <li>{@code Callbacks} and {@code Stopping}: the user's hooks, and why the run is to end.
 * </ul>
 *
 * <h2>What an iteration calls, in order</h2>
 *
 * <ol>
 *   <li>callbacks' {@code onIterationStart};
 *   <li>the step ({@code TrainingStep.run}), then the count goes up by one;
 *   <li>callbacks' {@code onIterationEnd} (where a callback may ask to stop);
 *   <li>the training report held one iteration ago is read ({@code RunLog.complete}), and a new one
 *       held when the timetable says;
 *   <li>unless the run is to stop: the scheduled work of the timetable: validation (then {@code
 *       best.rkc} if it improved), test, checkpoint, seeding of the generator.
 * </ol>
 *
 * A run that stops or ends does the scheduled work it cut short, writes its last checkpoint,
 * reports the training meters, validates once more for the result (only reported), and tests on the
 * best parameters.
 */
package dev.runkit.run;
