package dev.runkit.schedule;

import java.util.Map;

/**
 * A schedule driven by a monitored metric as well as the step (ReduceLROnPlateau): it is shown the
 * metric once per scheduler step and then reports the learning rate in force.
 */
public interface MetricSchedule extends Schedule {

  /**
   * Shows the schedule the metric of the latest evaluation; may lower the learning rate.
   *
   * @param metric the monitored value
   */
  void observe(double metric);

  /**
   * Exports the state that {@link #observe} has built up, for checkpoints.
   *
   * @return named numbers that {@link #restore} accepts
   */
  Map<String, Double> state();

  /**
   * Restores state exported by {@link #state()}.
   *
   * @param state the exported state
   * @throws IllegalArgumentException if a key is missing
   */
  void restore(Map<String, Double> state);
}
