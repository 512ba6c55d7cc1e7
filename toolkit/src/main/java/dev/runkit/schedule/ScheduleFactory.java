package dev.runkit.schedule;

import dev.runkit.registry.Params;

/** Builds one schedule family from validated parameters; one is registered per family name. */
@FunctionalInterface
public interface ScheduleFactory {

  /**
   * Builds the schedule; must read every accepted key through {@code params} and check its range.
   *
   * @param params the parameters, with their key path for messages
   * @param baseLr the optimizer's learning rate (PyTorch's {@code initial_lr}), {@code >= 0}
   * @return the schedule
   * @throws IllegalArgumentException for a missing, mistyped or out-of-range parameter
   */
  Schedule create(Params params, double baseLr);
}
