package dev.runkit.schedule;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import java.util.List;
import java.util.Map;

/**
 * Builds learning-rate schedules by name (from config) or fluently (from code); both reach the same
 * classes.
 *
 * <p>Names match case-insensitively and keep the parameter names of their origin: PyTorch ({@code
 * StepLR}, {@code T_max}, {@code eta_min}), Hugging Face ({@code cosine_with_restarts}, {@code
 * num_warmup_steps}), BasicTS / EasyTorch and timm.
 *
 * <pre>{@code
 * Schedule a = Schedules.build("CosineAnnealingLR", Map.of("T_max", 1000), 1e-3);
 * Schedule b = Schedules.build(Map.of("TYPE", "StepLR", "PARAM", Map.of("step_size", 10)), 0.1, "LR_SCHEDULER");
 * }</pre>
 */
public final class Schedules {

  private static final Registry<ScheduleFactory> REGISTRY = new Registry<>("schedule");

  static {
    PyTorchSchedules.registerAll(REGISTRY);
    HuggingFaceSchedules.registerAll(REGISTRY);
    ResearchSchedules.registerAll(REGISTRY);
  }

  private Schedules() {}

  /**
   * Builds a schedule from its type name and parameters.
   *
   * @param type a registered name, any case (see {@link #names()})
   * @param params the parameters, with the names of the family's origin; null means none
   * @param baseLr the optimizer's learning rate, {@code >= 0}
   * @return the schedule
   * @throws IllegalArgumentException for an unknown type, an unknown, missing, mistyped or
   *     out-of-range parameter, naming the key, the value, what is allowed and the nearest name
   */
  public static Schedule build(String type, Map<String, ?> params, double baseLr) {
    return build(type, params, baseLr, "schedule");
  }

  /**
   * Builds a schedule, reporting errors under a config key path.
   *
   * @param type a registered name, any case
   * @param params the parameters; null means none
   * @param baseLr the optimizer's learning rate, {@code >= 0}
   * @param path the key path of the schedule in its config (e.g. {@code TRAIN.LR_SCHEDULER}); the
   *     type is reported at {@code path.TYPE} and parameters at {@code path.PARAM.key}
   * @return the schedule
   * @throws IllegalArgumentException as {@link #build(String, Map, double)}
   */
  public static Schedule build(String type, Map<?, ?> params, double baseLr, String path) {
    ScheduleFactory factory = REGISTRY.get(type, path + ".TYPE");
    if (!(baseLr >= 0) || Double.isInfinite(baseLr)) {
      throw new IllegalArgumentException(
          "base learning rate of " + path + " must be a finite number >= 0, got " + baseLr);
    }
    Params p = Params.of(path + ".PARAM", params);
    Schedule schedule = factory.create(p, baseLr);
    p.requireNoUnknown();
    return schedule;
  }

  /**
   * Builds a schedule from a BasicTS-style map {@code {TYPE: name, PARAM: {...}}}, as found in
   * configs and as the items of nested schedule lists ({@code SequentialLR}, {@code
   * ChainedScheduler}).
   *
   * @param spec the map with {@code TYPE} and optional {@code PARAM}
   * @param baseLr the optimizer's learning rate, {@code >= 0}
   * @param path the key path of the map, for messages
   * @return the schedule
   * @throws IllegalArgumentException as {@link #build(String, Map, double)}, or for a map without
   *     {@code TYPE} or with other keys
   */
  public static Schedule build(Map<?, ?> spec, double baseLr, String path) {
    Params p = Params.of(path, spec);
    Object type = p.optionalRaw("TYPE");
    Object params = p.optionalRaw("PARAM");
    p.requireNoUnknown();
    if (type == null) {
      throw new IllegalArgumentException(
          "Missing required key " + path + ".TYPE; expected one of " + names() + ".");
    }
    if (params != null && !(params instanceof Map)) {
      throw new IllegalArgumentException(
          path
              + ".PARAM must be a map, got "
              + params
              + " ("
              + params.getClass().getSimpleName()
              + ")");
    }
    return build(String.valueOf(type), (Map<?, ?>) params, baseLr, path);
  }

  /**
   * Lists every registered schedule name.
   *
   * @return the names, in registration order
   */
  public static List<String> names() {
    return REGISTRY.names();
  }

  // ---------------------------------------------------------------------------------------------
  // Fluent factories for code: PyTorch families
  // ---------------------------------------------------------------------------------------------

  // (PyTorch fluent factories go here)

  /**
   * PyTorch {@code StepLR}: multiplies the rate by {@code gamma} every {@code stepSize} steps.
   *
   * @param stepSize the period, {@code >= 1}
   * @param gamma the factor, {@code > 0}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec step(long stepSize, double gamma) {
    return ScheduleSpec.of("StepLR", Map.of("step_size", stepSize, "gamma", gamma));
  }

  /**
   * PyTorch {@code MultiStepLR}: multiplies the rate by {@code gamma} at each milestone (a repeated
   * milestone compounds).
   *
   * @param gamma the factor, {@code > 0}
   * @param milestones the steps, each {@code >= 0}, at least one
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec multiStep(double gamma, long... milestones) {
    return ScheduleSpec.of("MultiStepLR", Map.of("milestones", longs(milestones), "gamma", gamma));
  }

  /**
   * PyTorch {@code ExponentialLR}: multiplies the rate by {@code gamma} every step.
   *
   * @param gamma the factor, {@code > 0}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec exponential(double gamma) {
    return ScheduleSpec.of("ExponentialLR", Map.of("gamma", gamma));
  }

  /**
   * PyTorch {@code MultiplicativeLR} with a constant factor per step.
   *
   * @param factor the factor, {@code > 0}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec multiplicative(double factor) {
    return ScheduleSpec.of("MultiplicativeLR", Map.of("factor", factor));
  }

  /**
   * PyTorch {@code CosineAnnealingLR} from the base rate to {@code eta_min} (0; set it with {@code
   * .with("eta_min", x)}) over {@code tMax} steps, continuing the cosine beyond.
   *
   * @param tMax the half period, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineAnnealing(long tMax) {
    return ScheduleSpec.of("CosineAnnealingLR", Map.of("T_max", tMax));
  }

  /**
   * PyTorch {@code CosineAnnealingWarmRestarts} with a first period of {@code t0} steps; {@code
   * T_mult} and {@code eta_min} via {@code with}.
   *
   * @param t0 the first period, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineWarmRestarts(long t0) {
    return ScheduleSpec.of("CosineAnnealingWarmRestarts", Map.of("T_0", t0));
  }

  /**
   * PyTorch {@code OneCycleLR} peaking at {@code maxLr}, cycling momentum (beta1 for Adam) by
   * default; {@code pct_start}, {@code anneal_strategy}, {@code three_phase}, ... via {@code with}.
   *
   * @param maxLr the peak rate, {@code > 0}
   * @param totalSteps the steps in the cycle, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec oneCycle(double maxLr, long totalSteps) {
    return ScheduleSpec.of("OneCycleLR", Map.of("max_lr", maxLr, "total_steps", totalSteps));
  }

  /**
   * PyTorch {@code CyclicLR} between {@code baseLr} and {@code maxLr} (triangular, 2000 steps up,
   * cycling momentum by default); {@code step_size_up}, {@code mode}, ... via {@code with}.
   *
   * @param baseLr the lower bound, which replaces the optimizer's rate, {@code >= 0}
   * @param maxLr the upper bound, {@code >= 0}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cyclic(double baseLr, double maxLr) {
    return ScheduleSpec.of("CyclicLR", Map.of("base_lr", baseLr, "max_lr", maxLr));
  }

  /**
   * PyTorch {@code PolynomialLR}: decays the rate to 0 over {@code totalIters} steps with the given
   * power (named with the PyTorch suffix to keep it apart from Hugging Face's {@code polynomial}).
   *
   * @param totalIters the decay length, {@code >= 1}
   * @param power the exponent, {@code >= 0}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec polynomialLR(long totalIters, double power) {
    return ScheduleSpec.of("PolynomialLR", Map.of("total_iters", totalIters, "power", power));
  }

  /**
   * PyTorch {@code LinearLR}: moves the factor on the rate from {@code startFactor} to {@code
   * endFactor} over {@code totalIters} steps (PyTorch suffix keeps it apart from Hugging Face's
   * {@code linear}).
   *
   * @param startFactor the first factor, in {@code (0, 1]}
   * @param endFactor the last factor, in {@code [0, 1]}
   * @param totalIters the length, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec linearLR(double startFactor, double endFactor, long totalIters) {
    return ScheduleSpec.of(
        "LinearLR",
        Map.of("start_factor", startFactor, "end_factor", endFactor, "total_iters", totalIters));
  }

  /**
   * PyTorch {@code ConstantLR}: the rate times {@code factor} for {@code totalIters} steps, then
   * the rate (PyTorch suffix keeps it apart from Hugging Face's {@code constant}).
   *
   * @param factor the factor, in {@code (0, 1]}
   * @param totalIters the length, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec constantLR(double factor, long totalIters) {
    return ScheduleSpec.of("ConstantLR", Map.of("factor", factor, "total_iters", totalIters));
  }

  /**
   * PyTorch {@code SequentialLR}: runs the schedules one after another, switching at the
   * milestones.
   *
   * <pre>{@code
   * Schedules.sequential(List.of(Schedules.linearLR(0.1, 1, 100), Schedules.cosineAnnealing(900)), 100)
   * }</pre>
   *
   * @param schedulers the chainable PyTorch schedules, at least one
   * @param milestones strictly increasing steps {@code >= 1}, one fewer than the schedules
   * @return the spec
   * @throws IllegalArgumentException for a schedule PyTorch cannot sequence or bad milestones
   */
  public static ScheduleSpec sequential(List<ScheduleSpec> schedulers, long... milestones) {
    return ScheduleSpec.of(
        "SequentialLR", Map.of("schedulers", configs(schedulers), "milestones", longs(milestones)));
  }

  /**
   * PyTorch {@code ChainedScheduler}: steps every schedule on the shared rate, so multiplicative
   * families multiply.
   *
   * @param schedulers the chainable PyTorch schedules, at least one
   * @return the spec
   * @throws IllegalArgumentException for a schedule PyTorch cannot chain
   */
  public static ScheduleSpec chained(ScheduleSpec... schedulers) {
    return ScheduleSpec.of("ChainedScheduler", Map.of("schedulers", configs(List.of(schedulers))));
  }

  /**
   * PyTorch {@code ReduceLROnPlateau} with PyTorch's defaults ({@code min} mode, factor 0.1,
   * patience 10); others via {@code with}. Each {@code build} gives a fresh, unobserved schedule.
   *
   * @return the spec
   */
  public static ScheduleSpec reduceOnPlateau() {
    return ScheduleSpec.of("ReduceLROnPlateau", Map.of());
  }

  private static List<Long> longs(long... values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  private static List<Map<String, Object>> configs(List<ScheduleSpec> specs) {
    return specs.stream().map(ScheduleSpec::toConfig).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Fluent factories for code: Hugging Face, BasicTS / EasyTorch, timm, warm-up
  // ---------------------------------------------------------------------------------------------

  // (Hugging Face / BasicTS / timm fluent factories go here)
}
