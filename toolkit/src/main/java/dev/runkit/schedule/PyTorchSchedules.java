package dev.runkit.schedule;

import dev.runkit.registry.Registry;

/** Registers the PyTorch torch.optim.lr_scheduler families. */
final class PyTorchSchedules {

  private PyTorchSchedules() {}

  static void registerAll(Registry<ScheduleFactory> registry) {}
}
