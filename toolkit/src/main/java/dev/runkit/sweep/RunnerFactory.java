package dev.runkit.sweep;

import dev.runkit.Runner;

/**
 * Builds the run of one trial in code: the base of a sweep made with {@link Sweep#of(RunnerFactory,
 * long)}. It receives the trial's sampled values by name and returns a new, configured {@link
 * Runner} (model, loss, data, optimizer, schedule, metrics, validation interval); the sweep sets
 * the run length, the checkpoints in the trial's directory, the resume, the stop at a rung and
 * quiet progress itself, so the runner must leave those unset. It is called again, with the same
 * values, for each segment of a trial (a promotion continues the trial from its checkpoint), so it
 * must build the same run from the same values: a new model each call, data and seed fixed.
 *
 * <pre>{@code
 * RunnerFactory digits = p -> Runner.with(Mlp.outputs(10).hidden(p.ints("hidden")).build())
 *     .loss(Loss.softmaxCrossEntropyLoss())
 *     .data(split, 64)
 *     .optimizer(Optimizers.adamW().lr(p.number("lr")))
 *     .schedule(Schedules.cosineWithWarmup(p.iterations() / 10, p.iterations()))
 *     .metrics(Metrics.accuracy())
 *     .validateEvery(30);
 * }</pre>
 */
@FunctionalInterface
public interface RunnerFactory {

  /**
   * Builds a trial's runner.
   *
   * @param params the trial's values, read by name
   * @return a new runner, not yet fitted
   */
  Runner build(TrialParams params);
}
