/**
 * The iteration loop behind {@code dev.runkit.Runner}: an endless seeded batch stream, meters that
 * accumulate on the device, validation and test scheduling, the history, early stopping,
 * checkpoints with exact resume, callbacks and progress reporting. It knows nothing of notebooks:
 * displays implement {@link dev.runkit.run.ProgressListener}.
 */
package dev.runkit.run;
