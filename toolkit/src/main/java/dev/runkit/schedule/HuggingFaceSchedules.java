package dev.runkit.schedule;

import dev.runkit.registry.Registry;

/** Registers the Hugging Face lr_scheduler_type families. */
final class HuggingFaceSchedules {

  private HuggingFaceSchedules() {}

  static void registerAll(Registry<ScheduleFactory> registry) {}
}
