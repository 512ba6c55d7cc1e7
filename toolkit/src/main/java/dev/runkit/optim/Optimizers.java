package dev.runkit.optim;

import dev.runkit.optim.ScheduledOptimizer.Common;
import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import dev.runkit.registry.TypeAndParams;
import dev.runkit.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimizer factory and name registry: turns a type name and PyTorch-named parameters (from
 * config or code) into a {@link ScheduledOptimizer}. Names match case-insensitively.
 *
 * <pre>{@code
 * ScheduledOptimizer a = Optimizers.build("AdamW", Map.of("lr", 1e-3, "weight_decay", 0.05));
 * ScheduledOptimizer b = Optimizers.build(Map.of("TYPE", "Adam", "PARAM", Map.of("lr", 0.002)),
 *     "TRAIN.OPTIM");
 * ScheduledOptimizer c = Optimizers.adamW().lr(1e-3).weightDecay(0.05).build();
 * }</pre>
 */
public final class Optimizers {

  /** Makes an optimizer from validated parameters; one per registered name. */
  @FunctionalInterface
  interface Factory {
    ScheduledOptimizer create(Reader reader);
  }

  private static final Registry<Factory> REGISTRY =
      new Registry<Factory>("optimizer")
          .register("SGD", Sgd::create)
          .register("Adam", Adam::adam)
          .register("AdamW", Adam::adamW)
          .register("AdamW_Fused_nanoGPT", Adam::nanoGpt)
          .register("AdamWnanoGPT", Adam::nanoGpt)
          .register("Adagrad", Adagrad::create)
          .register("Adadelta", Adadelta::create)
          .register("RMSprop", RmsProp::create)
          .register("NAdam", NAdam::create)
          .register("RAdam", RAdam::create)
          .register("Adamax", Adamax::create)
          .register("Lamb", Lamb::create)
          .register("Lion", Lion::create);

  private Optimizers() {}

  /**
   * Builds an optimizer from a type name and parameters, with a constant learning rate.
   *
   * @param type a registered name, any case
   * @param params the parameters with PyTorch's names ({@code lr}, {@code betas}, ...); null for
   *     defaults
   * @return the optimizer
   * @throws IllegalArgumentException for an unknown type or key, a wrong type or a bad value
   */
  public static ScheduledOptimizer build(String type, Map<String, ?> params) {
    return create(type, params, "optimizer", null);
  }

  /**
   * Builds an optimizer from a config map {@code {TYPE: ..., PARAM: {...}}}.
   *
   * @param spec the map
   * @param path where the map sits in the config (e.g. {@code TRAIN.OPTIM}), for messages
   * @return the optimizer
   * @throws IllegalArgumentException for a missing TYPE, an unknown type or key, or a bad value
   */
  public static ScheduledOptimizer build(Map<?, ?> spec, String path) {
    TypeAndParams read = TypeAndParams.read(spec, path, names());
    Params outer = Params.of(path, spec);
    REGISTRY.get(read.type(), outer.path("TYPE"));
    return create(read.type(), read.params(), outer.path("PARAM"), null);
  }

  /**
   * Lists every registered name.
   *
   * @return the names, in registration order
   */
  public static List<String> names() {
    return REGISTRY.names();
  }

  /**
   * Starts a fluent SGD spec.
   *
   * @return the spec with PyTorch's defaults
   */
  public static OptimizerSpec sgd() {
    return OptimizerSpec.of("SGD");
  }

  /**
   * Starts a fluent Adam spec.
   *
   * @return the spec with PyTorch's defaults
   */
  public static OptimizerSpec adam() {
    return OptimizerSpec.of("Adam");
  }

  /**
   * Starts a fluent AdamW spec.
   *
   * @return the spec with PyTorch's defaults
   */
  public static OptimizerSpec adamW() {
    return OptimizerSpec.of("AdamW");
  }

  /**
   * Starts a fluent spec for AdamW with nanoGPT's groups (no weight decay below 2 dimensions).
   *
   * @return the spec
   */
  public static OptimizerSpec adamWNanoGpt() {
    return OptimizerSpec.of("AdamW_Fused_nanoGPT");
  }

  /**
   * Starts a fluent Adagrad spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec adagrad() {
    return OptimizerSpec.of("Adagrad");
  }

  /**
   * Starts a fluent Adadelta spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec adadelta() {
    return OptimizerSpec.of("Adadelta");
  }

  /**
   * Starts a fluent RMSprop spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec rmsprop() {
    return OptimizerSpec.of("RMSprop");
  }

  /**
   * Starts a fluent NAdam spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec nadam() {
    return OptimizerSpec.of("NAdam");
  }

  /**
   * Starts a fluent RAdam spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec radam() {
    return OptimizerSpec.of("RAdam");
  }

  /**
   * Starts a fluent Adamax spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec adamax() {
    return OptimizerSpec.of("Adamax");
  }

  /**
   * Starts a fluent Lamb spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec lamb() {
    return OptimizerSpec.of("Lamb");
  }

  /**
   * Starts a fluent Lion spec.
   *
   * @return the spec with the defaults of its origin
   */
  public static OptimizerSpec lion() {
    return OptimizerSpec.of("Lion");
  }

  /**
   * Starts a fluent spec of any registered type.
   *
   * @param type a registered name, any case
   * @return the spec
   * @throws IllegalArgumentException for an unknown name
   */
  public static OptimizerSpec of(String type) {
    return OptimizerSpec.of(type);
  }

  static String canonical(String type, String path) {
    return REGISTRY.canonicalName(type, path);
  }

  static ScheduledOptimizer create(String type, Map<?, ?> params, String path, Schedule schedule) {
    return create(type, params, path, schedule, List.of(), true);
  }

  static ScheduledOptimizer create(
      String type,
      Map<?, ?> params,
      String path,
      Schedule schedule,
      List<ParamGroup> groups,
      boolean complete) {
    Factory factory = REGISTRY.get(type, path + ".TYPE");
    String name = REGISTRY.canonicalName(type, path + ".TYPE");
    Reader reader = new Reader(name, Params.of(path, params), params, schedule, groups, complete);
    return factory.create(reader);
  }

  /**
   * Reads an optimizer's parameters: the common ones ({@code lr}, {@code weight_decay}, {@code
   * maximize}, {@code param_groups}) and typed, checked helpers for the rest.
   */
  static final class Reader {
    private final String type;
    private final Params params;
    private final Map<String, Object> raw;
    private final Schedule schedule;
    private final List<ParamGroup> groups;
    private final boolean complete;

    private Reader(
        String type,
        Params params,
        Map<?, ?> raw,
        Schedule schedule,
        List<ParamGroup> groups,
        boolean complete) {
      this.type = type;
      this.params = params;
      this.raw = new java.util.LinkedHashMap<>();
      if (raw != null) {
        raw.forEach((k, v) -> this.raw.put(String.valueOf(k), v));
      }
      this.schedule = schedule;
      this.groups = groups;
      this.complete = complete;
    }

    Params params() {
      return params;
    }

    Common common(double defaultLr, double defaultDecay) {
      return common(defaultLr, defaultDecay, List.of());
    }

    Common common(double defaultLr, double defaultDecay, List<ParamGroup> builtIn) {
      double lr = params.optionalDouble("lr", defaultLr);
      params.check("lr", lr, lr > 0 && !Double.isInfinite(lr), "> 0");
      double decay = nonNegative("weight_decay", defaultDecay);
      boolean maximize = params.optionalBoolean("maximize", false);
      List<ParamGroup> all = new ArrayList<>(ParamGroup.read(params, "param_groups"));
      all.addAll(groups);
      all.addAll(builtIn);
      Schedule s = schedule != null ? schedule : step -> lr;
      return new Common(type, raw, lr, decay, maximize, all, groups, s);
    }

    double nonNegative(String key, double fallback) {
      double value = params.optionalDouble(key, fallback);
      params.check(key, value, value >= 0 && !Double.isInfinite(value), ">= 0");
      return value;
    }

    double unitInterval(String key, double fallback) {
      double value = params.optionalDouble(key, fallback);
      params.check(key, value, value >= 0 && value < 1, "in [0, 1)");
      return value;
    }

    double[] betas(double beta1, double beta2) {
      if (!params.has("betas")) {
        return new double[] {beta1, beta2};
      }
      List<Double> betas = params.requiredDoubleList("betas");
      params.check("betas", betas, betas.size() == 2, "a list of two numbers");
      for (int i = 0; i < 2; i++) {
        double b = betas.get(i);
        params.check("betas[" + i + "]", b, b >= 0 && b < 1, "in [0, 1)");
      }
      return new double[] {betas.get(0), betas.get(1)};
    }

    void done() {
      params.requireNoUnknown();
    }

    void crossCheck(boolean ok, String message) {
      if (complete && !ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
