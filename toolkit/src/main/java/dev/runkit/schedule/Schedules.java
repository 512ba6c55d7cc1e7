package dev.runkit.schedule;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import dev.runkit.registry.TypeAndParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds learning-rate schedules by name (from config) or fluently (from code); both reach the same
 * classes.
 *
 * <p>Names match case-insensitively and keep the parameter names of their origin: PyTorch ({@code
 * StepLR}, {@code T_max}, {@code eta_min}), Hugging Face ({@code cosine_with_restarts}, {@code
 * num_warmup_steps}), BasicTS / EasyTorch and timm. The spellings users type for the Hugging Face
 * names are accepted too ({@code cosine_with_warmup}, {@code get_cosine_schedule_with_warmup}: see
 * {@link #aliases()}).
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
    HuggingFaceSchedules.registerAliases(REGISTRY);
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
    TypeAndParams read = TypeAndParams.read(spec, path, names());
    return build(read.type(), read.params(), baseLr, path);
  }

  /**
   * Lists every registered schedule name.
   *
   * @return the names, in registration order
   */
  public static List<String> names() {
    return REGISTRY.names();
  }

  /**
   * Lists the other spellings accepted for registered names, each with the name it stands for.
   *
   * @return alias to name, e.g. {@code cosine_with_warmup -> cosine}
   */
  public static Map<String, String> aliases() {
    return REGISTRY.aliases();
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

  /**
   * Hugging Face {@code constant}: the optimizer's learning rate at every step.
   *
   * <pre>{@code
   * Runner.with(model)...optimizer(Optimizers.sgd().lr(0.1)).schedule(Schedules.constant())...
   * }</pre>
   *
   * @return the spec
   */
  public static ScheduleSpec constant() {
    return ScheduleSpec.of("constant", Map.of());
  }

  /**
   * Hugging Face {@code cosine}: a linear warm-up from 0, then a half cosine down to 0 at {@code
   * totalSteps}.
   *
   * <pre>{@code
   * Schedule s = Schedules.cosineWithWarmup(100, 2_000).build(1e-3);
   * }</pre>
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code >= max(1, warmupSteps)}
   * @return the spec; add {@code num_cycles} with {@link ScheduleSpec#with}
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineWithWarmup(long warmupSteps, long totalSteps) {
    return ScheduleSpec.of("cosine", warmupAndTotal(warmupSteps, totalSteps));
  }

  /**
   * Hugging Face {@code linear}: a linear warm-up from 0, then a linear decay to 0 at {@code
   * totalSteps}.
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code >= max(1, warmupSteps)}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec linearWithWarmup(long warmupSteps, long totalSteps) {
    return ScheduleSpec.of("linear", warmupAndTotal(warmupSteps, totalSteps));
  }

  /**
   * Hugging Face {@code constant_with_warmup}: a linear warm-up from 0, then the base learning
   * rate.
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @return the spec
   * @throws IllegalArgumentException if warmupSteps is negative
   */
  public static ScheduleSpec constantWithWarmup(long warmupSteps) {
    return ScheduleSpec.of("constant_with_warmup", Map.of("num_warmup_steps", warmupSteps));
  }

  /**
   * Hugging Face {@code cosine_with_restarts}: a linear warm-up from 0, then {@code cycles}
   * half-cosine decays to 0, each restarting at the base learning rate.
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code >= max(1, warmupSteps)}
   * @param cycles {@code num_cycles}, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineWithRestarts(long warmupSteps, long totalSteps, long cycles) {
    Map<String, Object> params = warmupAndTotal(warmupSteps, totalSteps);
    params.put("num_cycles", cycles);
    return ScheduleSpec.of("cosine_with_restarts", params);
  }

  /**
   * Hugging Face {@code cosine_with_min_lr}: like {@link #cosineWithWarmup} but decaying to {@code
   * minLrRate} times the base learning rate.
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code >= max(1, warmupSteps)}
   * @param minLrRate {@code min_lr_rate}, in [0, 1]
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineWithMinLr(long warmupSteps, long totalSteps, double minLrRate) {
    Map<String, Object> params = warmupAndTotal(warmupSteps, totalSteps);
    params.put("min_lr_rate", minLrRate);
    return ScheduleSpec.of("cosine_with_min_lr", params);
  }

  /**
   * Hugging Face {@code polynomial}: a linear warm-up from 0, then a polynomial decay to the
   * absolute learning rate {@code lrEnd} at {@code totalSteps}.
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code > warmupSteps}
   * @param lrEnd {@code lr_end}, {@code >= 0} and below the base learning rate it is built with
   * @param power {@code power}, {@code > 0}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec polynomialWithWarmup(
      long warmupSteps, long totalSteps, double lrEnd, double power) {
    Map<String, Object> params = warmupAndTotal(warmupSteps, totalSteps);
    params.put("lr_end", lrEnd);
    params.put("power", power);
    return ScheduleSpec.of("polynomial", params);
  }

  /**
   * Hugging Face {@code inverse_sqrt}: a linear warm-up from 0, then a decay as one over the square
   * root of the step (timescale {@code warmupSteps}, or 10 000 without warm-up).
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @return the spec; set {@code timescale} with {@link ScheduleSpec#with}
   * @throws IllegalArgumentException if warmupSteps is negative
   */
  public static ScheduleSpec inverseSqrt(long warmupSteps) {
    return ScheduleSpec.of("inverse_sqrt", Map.of("num_warmup_steps", warmupSteps));
  }

  /**
   * Hugging Face {@code warmup_stable_decay}: a linear warm-up, a stable phase at the base learning
   * rate and a cosine decay to 0.
   *
   * <pre>{@code
   * ScheduleSpec wsd = Schedules.warmupStableDecay(100, 800, 100).with("decay_type", "1-sqrt");
   * }</pre>
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param stableSteps {@code num_stable_steps}, {@code >= 0}
   * @param decaySteps {@code num_decay_steps}, {@code >= 0}
   * @return the spec; set {@code warmup_type}, {@code decay_type}, {@code min_lr_ratio} with {@link
   *     ScheduleSpec#with}
   * @throws IllegalArgumentException for a negative value
   */
  public static ScheduleSpec warmupStableDecay(
      long warmupSteps, long stableSteps, long decaySteps) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("num_warmup_steps", warmupSteps);
    params.put("num_stable_steps", stableSteps);
    params.put("num_decay_steps", decaySteps);
    return ScheduleSpec.of("warmup_stable_decay", params);
  }

  /**
   * BasicTS {@code CosineWarmup} (the Hugging Face cosine formula under BasicTS's name).
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code >= max(1, warmupSteps)}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineWarmup(long warmupSteps, long totalSteps) {
    return ScheduleSpec.of("CosineWarmup", warmupAndTotal(warmupSteps, totalSteps));
  }

  /**
   * BasicTS {@code CosineWarmupRestarts} (the Hugging Face hard-restarts formula under BasicTS's
   * name).
   *
   * @param warmupSteps {@code num_warmup_steps}, {@code >= 0}
   * @param totalSteps {@code num_training_steps}, {@code >= max(1, warmupSteps)}
   * @param cycles {@code num_cycles}, {@code >= 1}
   * @return the spec
   * @throws IllegalArgumentException for an out-of-range value
   */
  public static ScheduleSpec cosineWarmupRestarts(long warmupSteps, long totalSteps, long cycles) {
    Map<String, Object> params = warmupAndTotal(warmupSteps, totalSteps);
    params.put("num_cycles", cycles);
    return ScheduleSpec.of("CosineWarmupRestarts", params);
  }

  /**
   * EasyTorch {@code MultiCosineAnnealingWarmupLR}: cosine sections restarting at the iterations
   * {@code restarts}, section {@code i + 1} peaking at {@code multipliers[i]} times the base
   * learning rate.
   *
   * @param finalEpoch {@code final_epoch}, the run length in iterations
   * @param restarts {@code T_0}, increasing iterations, each at least 2 after the previous
   * @param multipliers {@code lr_mult}, one factor per restart
   * @return the spec; set {@code warmup_begin}, {@code warmup_factor}, {@code eta_min} with {@link
   *     ScheduleSpec#with}
   * @throws IllegalArgumentException for an out-of-range value or mismatched lists
   */
  public static ScheduleSpec multiCosineAnnealingWarmup(
      long finalEpoch, List<Long> restarts, List<Double> multipliers) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("final_epoch", finalEpoch);
    params.put("T_0", List.copyOf(restarts));
    params.put("lr_mult", List.copyOf(multipliers));
    return ScheduleSpec.of("MultiCosineAnnealingWarmupLR", params);
  }

  /**
   * timm {@code CosineLRScheduler}, stepped per update: one cosine decay over {@code tInitial}
   * steps to {@code lr_min} (0 by default).
   *
   * <pre>{@code
   * ScheduleSpec s = Schedules.timmCosine(1_000).with("warmup_t", 50).with("cycle_limit", 3);
   * }</pre>
   *
   * @param tInitial {@code t_initial}, {@code >= 1}
   * @return the spec; set {@code lr_min}, {@code warmup_t}, {@code warmup_lr_init}, {@code
   *     warmup_prefix}, {@code cycle_mul}, {@code cycle_decay}, {@code cycle_limit}, {@code
   *     k_decay} with {@link ScheduleSpec#with}
   * @throws IllegalArgumentException if tInitial is below 1
   */
  public static ScheduleSpec timmCosine(long tInitial) {
    return ScheduleSpec.of("CosineLRScheduler", Map.of("t_initial", tInitial));
  }

  /**
   * Puts a linear warm-up from 0 in front of any schedule, which starts its own step 0 when the
   * warm-up ends.
   *
   * <pre>{@code
   * ScheduleSpec s = Schedules.warmup(Schedules.timmCosine(1_000), 100).with("warmup_type", "cosine");
   * }</pre>
   *
   * @param inner the wrapped schedule
   * @param warmupSteps {@code warmup_steps}, {@code >= 0}
   * @return the spec; set {@code warmup_type}, {@code warmup_start_factor}, {@code shift} with
   *     {@link ScheduleSpec#with}
   * @throws IllegalArgumentException if warmupSteps is negative
   */
  public static ScheduleSpec warmup(ScheduleSpec inner, long warmupSteps) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("schedule", inner.toConfig());
    params.put("warmup_steps", warmupSteps);
    return ScheduleSpec.of("warmup", params);
  }

  private static Map<String, Object> warmupAndTotal(long warmupSteps, long totalSteps) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("num_warmup_steps", warmupSteps);
    params.put("num_training_steps", totalSteps);
    return params;
  }
}
