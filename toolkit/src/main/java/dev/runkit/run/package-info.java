/**
 * The iteration loop behind {@code dev.runkit.Runner}: an endless seeded batch stream, meters that
 * accumulate on the device, validation and test scheduling, the history, early stopping,
 * checkpoints with exact resume, callbacks, progress reporting and the learning-rate range test
 * ({@link dev.runkit.run.LrFinder}). It knows nothing of notebooks: displays implement {@link
 * dev.runkit.run.ProgressListener} and offer themselves through {@link
 * dev.runkit.run.ProgressListenerProvider}, found by {@link java.util.ServiceLoader}.
 */
package dev.runkit.run;
