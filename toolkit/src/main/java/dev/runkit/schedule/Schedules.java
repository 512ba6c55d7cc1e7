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

  // ---------------------------------------------------------------------------------------------
  // Fluent factories for code: Hugging Face, BasicTS / EasyTorch, timm, warm-up
  // ---------------------------------------------------------------------------------------------

  // (Hugging Face / BasicTS / timm fluent factories go here)
}
