/**
 * Many runs of one config, or of runs built in code by a {@link dev.runkit.sweep.RunnerFactory}: a
 * search space over config key paths ({@link dev.runkit.sweep.Space}), samplers (grid, random,
 * TPE), trial schedulers (ASHA, Hyperband, median stopping), trial executors (in-process, local
 * worker processes; the seam for Apache Spark), and {@link dev.runkit.sweep.Sweep} with its {@link
 * dev.runkit.sweep.SweepResult}. It sits above {@code config} (a trial is a config plus overrides)
 * and below {@code cli}; {@code notebook} draws its results.
 */
package dev.runkit.sweep;
