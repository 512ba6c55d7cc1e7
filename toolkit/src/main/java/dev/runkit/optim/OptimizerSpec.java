package dev.runkit.optim;

import dev.runkit.registry.TypeAndParams;
import dev.runkit.schedule.Schedule;
import dev.runkit.schedule.ScheduleSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fluent, immutable optimizer description: a type name plus PyTorch-named parameters, exactly
 * what a config's {@code OPTIM: {TYPE, PARAM}} says, so code and config reach the same factory.
 * Every setter checks its value (and that the type accepts it) at once; rules between fields
 * (Nesterov needs momentum) are checked by {@link #build()}.
 *
 * <pre>{@code
 * ScheduledOptimizer opt = Optimizers.adamW().lr(1e-3).weightDecay(0.05).betas(0.9, 0.999)
 *     .schedule(Schedules.cosineWithWarmup(100, 2_000)).build();
 * }</pre>
 */
public final class OptimizerSpec {

  private static final String PATH = "optimizer";

  private final String type;
  private final Map<String, Object> params;
  private final List<ParamGroup> groups;
  private final Schedule schedule;
  private final ScheduleSpec scheduleSpec;

  private OptimizerSpec(
      String type,
      Map<String, Object> params,
      List<ParamGroup> groups,
      Schedule schedule,
      ScheduleSpec scheduleSpec) {
    this.type = type;
    this.params = Collections.unmodifiableMap(params);
    this.groups = List.copyOf(groups);
    this.schedule = schedule;
    this.scheduleSpec = scheduleSpec;
  }

  static OptimizerSpec of(String type) {
    String name = Optimizers.canonical(Objects.requireNonNull(type, "type"), PATH + ".TYPE");
    return new OptimizerSpec(name, new LinkedHashMap<>(), List.of(), null, null);
  }

  /**
   * Returns a copy with one parameter set, under its PyTorch name, checked at once.
   *
   * @param key the parameter name (e.g. {@code momentum_decay})
   * @param value its value
   * @return the new spec
   * @throws IllegalArgumentException for a key this type does not accept or a bad value
   */
  public OptimizerSpec with(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(params);
    copy.put(key, value);
    Optimizers.create(type, copy, PATH, null, groups, false);
    return new OptimizerSpec(type, copy, groups, schedule, scheduleSpec);
  }

  /**
   * Sets the base learning rate.
   *
   * @param lr the learning rate, {@code > 0}
   * @return the new spec
   * @throws IllegalArgumentException {@code optimizer.lr must be > 0, got ...}
   */
  public OptimizerSpec lr(double lr) {
    return with("lr", lr);
  }

  /**
   * Sets the weight decay (L2 for SGD/Adam-type, decoupled for AdamW, Lion).
   *
   * @param decay the weight decay, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if negative
   */
  public OptimizerSpec weightDecay(double decay) {
    return with("weight_decay", decay);
  }

  /**
   * Sets Adam-type betas.
   *
   * @param beta1 the first-moment decay, in {@code [0, 1)}
   * @param beta2 the second-moment decay, in {@code [0, 1)}
   * @return the new spec
   * @throws IllegalArgumentException if outside {@code [0, 1)} or the type has no betas
   */
  public OptimizerSpec betas(double beta1, double beta2) {
    return with("betas", List.of(beta1, beta2));
  }

  /**
   * Sets the epsilon added for numerical stability.
   *
   * @param eps the epsilon, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if negative
   */
  public OptimizerSpec eps(double eps) {
    return with("eps", eps);
  }

  /**
   * Sets the momentum (SGD, RMSprop).
   *
   * @param momentum the momentum, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if negative or the type has no momentum
   */
  public OptimizerSpec momentum(double momentum) {
    return with("momentum", momentum);
  }

  /**
   * Sets SGD's dampening.
   *
   * @param dampening the dampening, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if negative
   */
  public OptimizerSpec dampening(double dampening) {
    return with("dampening", dampening);
  }

  /**
   * Turns Nesterov momentum on or off (SGD; needs momentum and no dampening at build).
   *
   * @param nesterov whether to use Nesterov momentum
   * @return the new spec
   */
  public OptimizerSpec nesterov(boolean nesterov) {
    return with("nesterov", nesterov);
  }

  /**
   * Turns AMSGrad on or off (Adam, AdamW).
   *
   * @param amsgrad whether to keep the maximum of the second moments
   * @return the new spec
   */
  public OptimizerSpec amsgrad(boolean amsgrad) {
    return with("amsgrad", amsgrad);
  }

  /**
   * Maximizes the objective instead of minimizing it.
   *
   * @param maximize whether to negate the gradient
   * @return the new spec
   */
  public OptimizerSpec maximize(boolean maximize) {
    return with("maximize", maximize);
  }

  /**
   * Sets RMSprop's smoothing constant.
   *
   * @param alpha in {@code [0, 1]}
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code alpha}
   */
  public OptimizerSpec alpha(double alpha) {
    return with("alpha", alpha);
  }

  /**
   * Turns RMSprop's centering (by the running mean gradient) on or off.
   *
   * @param centered whether to center
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code centered}
   */
  public OptimizerSpec centered(boolean centered) {
    return with("centered", centered);
  }

  /**
   * Sets Adadelta's running-average coefficient.
   *
   * @param rho in {@code [0, 1]}
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code rho}
   */
  public OptimizerSpec rho(double rho) {
    return with("rho", rho);
  }

  /**
   * Sets Adagrad's learning-rate decay.
   *
   * @param lrDecay the decay, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code lr_decay}
   */
  public OptimizerSpec lrDecay(double lrDecay) {
    return with("lr_decay", lrDecay);
  }

  /**
   * Sets Adagrad's initial accumulator value.
   *
   * @param initialAccumulatorValue the start value, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code
   *     initial_accumulator_value}
   */
  public OptimizerSpec initialAccumulatorValue(double initialAccumulatorValue) {
    return with("initial_accumulator_value", initialAccumulatorValue);
  }

  /**
   * Sets NAdam's momentum decay.
   *
   * @param momentumDecay the decay, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code momentum_decay}
   */
  public OptimizerSpec momentumDecay(double momentumDecay) {
    return with("momentum_decay", momentumDecay);
  }

  /**
   * Makes NAdam's or RAdam's weight decay decoupled (AdamW style).
   *
   * @param decoupledWeightDecay whether to decouple
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code
   *     decoupled_weight_decay}
   */
  public OptimizerSpec decoupledWeightDecay(boolean decoupledWeightDecay) {
    return with("decoupled_weight_decay", decoupledWeightDecay);
  }

  /**
   * Sets Lamb's global gradient-norm pre-clipping threshold (0 turns it off).
   *
   * @param maxGradNorm the threshold, {@code >= 0}
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code max_grad_norm}
   */
  public OptimizerSpec maxGradNorm(double maxGradNorm) {
    return with("max_grad_norm", maxGradNorm);
  }

  /**
   * Clips Lamb's trust ratio at 1 (LAMBC).
   *
   * @param trustClip whether to clip
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code trust_clip}
   */
  public OptimizerSpec trustClip(boolean trustClip) {
    return with("trust_clip", trustClip);
  }

  /**
   * Applies Lamb's trust ratio also to parameters without weight decay.
   *
   * @param alwaysAdapt whether to always adapt
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code always_adapt}
   */
  public OptimizerSpec alwaysAdapt(boolean alwaysAdapt) {
    return with("always_adapt", alwaysAdapt);
  }

  /**
   * Turns Lamb's bias correction on or off.
   *
   * @param biasCorrection whether to correct
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code bias_correction}
   */
  public OptimizerSpec biasCorrection(boolean biasCorrection) {
    return with("bias_correction", biasCorrection);
  }

  /**
   * Turns Lamb's gradient averaging ({@code 1 - beta1} on the gradient) on or off.
   *
   * @param gradAveraging whether to average
   * @return the new spec
   * @throws IllegalArgumentException if out of range or the type has no {@code grad_averaging}
   */
  public OptimizerSpec gradAveraging(boolean gradAveraging) {
    return with("grad_averaging", gradAveraging);
  }

  /**
   * Adds parameter groups (tried in order, before any the type defines itself).
   *
   * @param more the groups
   * @return the new spec
   */
  public OptimizerSpec groups(ParamGroup... more) {
    List<ParamGroup> all = new ArrayList<>(groups);
    all.addAll(List.of(more));
    return new OptimizerSpec(type, params, all, schedule, scheduleSpec);
  }

  /**
   * Attaches a learning-rate schedule.
   *
   * @param schedule the schedule; its rates are used as they are
   * @return the new spec
   */
  public OptimizerSpec schedule(Schedule schedule) {
    return new OptimizerSpec(type, params, groups, Objects.requireNonNull(schedule), null);
  }

  /**
   * Attaches a schedule spec, bound to this spec's learning rate at build.
   *
   * @param spec the schedule spec
   * @return the new spec
   */
  public OptimizerSpec schedule(ScheduleSpec spec) {
    return new OptimizerSpec(type, params, groups, null, Objects.requireNonNull(spec));
  }

  /**
   * Builds the optimizer, checking the rules between fields.
   *
   * @return a fresh optimizer
   * @throws IllegalArgumentException if the fields contradict each other
   */
  public ScheduledOptimizer build() {
    ScheduledOptimizer plain = Optimizers.create(type, params, PATH, schedule, groups, true);
    if (scheduleSpec == null) {
      return plain;
    }
    return Optimizers.create(type, params, PATH, scheduleSpec.build(plain.baseLr()), groups, true);
  }

  /**
   * Returns the registered type name.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Returns the parameters set so far.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> params() {
    return params;
  }

  /**
   * Returns the spec as a config map {@code {TYPE: ..., PARAM: {...}}} (groups given as objects are
   * not included).
   *
   * @return a new map
   */
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig(type, params);
  }

  @Override
  public String toString() {
    return type + params;
  }
}
