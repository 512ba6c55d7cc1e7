package dev.runkit.sweep;

import java.nio.file.Path;

/**
 * The best completed trial of a sweep.
 *
 * @param trial the trial (its parameters in {@link Trial#params()})
 * @param result its result: objective, best iteration, history
 * @param config its config as YAML, without {@code RUN_DIR}, ready for {@code runkit train} (for a
 *     sweep over a {@link RunnerFactory}: its values, name to value)
 * @param runDir its run directory: {@code config.yaml}, {@code history.csv} and {@code
 *     checkpoints/} (with {@code best.rkc})
 */
public record BestTrial(Trial trial, TrialResult result, String config, Path runDir) {}
