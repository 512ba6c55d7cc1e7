package dev.runkit.schedule;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import java.util.List;
import java.util.Map;

/**
 * Registers the PyTorch {@code torch.optim.lr_scheduler} families under PyTorch's class names, with
 * PyTorch's parameter names, and holds the parameter checks they share.
 */
final class PyTorchSchedules {

  /** Families that SequentialLR and ChainedScheduler accept as children. */
  static final List<String> CHAINABLE =
      List.of(
          "StepLR",
          "MultiStepLR",
          "ExponentialLR",
          "MultiplicativeLR",
          "ConstantLR",
          "LinearLR",
          "PolynomialLR",
          "CosineAnnealingLR",
          "CosineAnnealingWarmRestarts");

  private PyTorchSchedules() {}

  static void registerAll(Registry<ScheduleFactory> registry) {
    registry
        .register("StepLR", StepLR::create)
        .register("MultiStepLR", MultiStepLR::create)
        .register("ExponentialLR", ExponentialLR::create)
        .register("MultiplicativeLR", MultiplicativeLR::create)
        .register("ConstantLR", ConstantLR::create)
        .register("LinearLR", LinearLR::create)
        .register("PolynomialLR", PolynomialLR::create)
        .register("CosineAnnealingLR", CosineAnnealingLR::create)
        .register("CosineAnnealingWarmRestarts", CosineAnnealingWarmRestarts::create)
        .register("OneCycleLR", OneCycleLR::create)
        .register("CyclicLR", CyclicLR::create)
        .register("SequentialLR", SequentialLR::create)
        .register("ChainedScheduler", ChainedScheduler::create)
        .register("ReduceLROnPlateau", ReduceLROnPlateau::create);
  }

  /** Builds the {@code schedulers} list of a container, refusing what PyTorch cannot chain. */
  static Chainable[] children(Params p, double baseLr, String container) {
    List<Map<?, ?>> specs = p.requiredMapList("schedulers");
    Chainable[] children = new Chainable[specs.size()];
    for (int i = 0; i < children.length; i++) {
      String path = p.path("schedulers") + "[" + i + "]";
      Schedule child = Schedules.build(specs.get(i), baseLr, path);
      if (!(child instanceof Chainable chainable)) {
        throw new IllegalArgumentException(
            path
                + ".TYPE "
                + child.getClass().getSimpleName()
                + " cannot be stepped inside "
                + container
                + ": PyTorch calls OneCycleLR and CyclicLR not chainable (they set the"
                + " optimizer's rate themselves), steps ReduceLROnPlateau only with a metric, and"
                + " cannot nest SequentialLR / ChainedScheduler; allowed are "
                + CHAINABLE);
      }
      children[i] = chainable;
    }
    return children;
  }

  /** Checks that a value is a finite number {@code > 0}. */
  static double positive(Params p, String key, double value) {
    p.check(key, value, value > 0 && Double.isFinite(value), "a finite number > 0");
    return value;
  }

  /** Checks that a value is a finite number {@code >= 0}. */
  static double nonNegative(Params p, String key, double value) {
    p.check(key, value, value >= 0 && Double.isFinite(value), "a finite number >= 0");
    return value;
  }

  /** Reads {@code eta_min} (default 0, {@code >= 0}). */
  static double etaMin(Params p) {
    return nonNegative(p, "eta_min", p.optionalDouble("eta_min", 0.0));
  }

  /** Reads a momentum bound, in {@code [0, 1]}. */
  static double momentum(Params p, String key, double fallback) {
    double value = p.optionalDouble(key, fallback);
    p.check(key, value, value >= 0 && value <= 1, "in [0, 1]");
    return value;
  }
}
