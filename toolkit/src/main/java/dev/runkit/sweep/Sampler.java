package dev.runkit.sweep;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Chooses the parameters of each new trial. A sampler is a pure function of the space, the trial
 * number, the sweep's seed and what earlier trials gave, so a sweep with the same seed and results
 * draws the same parameters, and a resumed sweep draws what the uninterrupted one would have.
 */
public interface Sampler {

  /**
   * Draws the parameters of a trial.
   *
   * @param space the search space
   * @param trial the trial's number (0, 1, ...)
   * @param observations the finished and pruned trials so far, by trial number
   * @param seed the sweep's seed
   * @return key path to value, one entry per dimension, in the space's order
   */
  Map<String, Object> sample(Space space, int trial, List<Observation> observations, long seed);

  /**
   * Checks that this sampler can draw from a space.
   *
   * @param space the space
   * @throws IllegalArgumentException if it cannot (a grid over a continuous range)
   */
  default void check(Space space) {}

  /**
   * Returns how many distinct trials this sampler can give, when it is finite.
   *
   * @param space the space
   * @return the count (a grid's points), or empty for no limit
   */
  default OptionalInt size(Space space) {
    return OptionalInt.empty();
  }

  /**
   * Returns this sampler as a {@code SWEEP.SAMPLER} section.
   *
   * @return {@code {TYPE: name, PARAM: {...}}}
   */
  Map<String, Object> toConfig();
}
