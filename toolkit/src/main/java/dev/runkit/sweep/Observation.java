package dev.runkit.sweep;

import java.util.Map;

/**
 * What a sampler learns from one earlier trial: its parameters and how good they were, as a loss
 * (lower is better: a maximised objective enters negated).
 *
 * @param trial the trial number
 * @param params the trial's values, key path to value
 * @param status {@link TrialStatus#COMPLETED}, or {@link TrialStatus#PRUNED} for a trial stopped
 *     short of the run length (also one waiting at a rung)
 * @param loss the objective as a loss: the trial's best for a completed one, the latest reported
 *     for a pruned one; {@code +Infinity} when it reported none
 * @param iteration how far the trial trained
 */
public record Observation(
    int trial, Map<String, Object> params, TrialStatus status, double loss, long iteration) {

  /**
   * Copies the parameters.
   *
   * @throws IllegalArgumentException for a status other than COMPLETED or PRUNED
   */
  public Observation {
    params = Map.copyOf(params);
    if (status != TrialStatus.COMPLETED && status != TrialStatus.PRUNED) {
      throw new IllegalArgumentException(
          "an observation is a COMPLETED or PRUNED trial, got " + status);
    }
    if (Double.isNaN(loss)) {
      loss = Double.POSITIVE_INFINITY;
    }
  }
}
