package dev.runkit.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.runkit.optim.OptimizerState.HostArray;
import dev.runkit.optim.OptimizerState.ParamState;
import dev.runkit.schedule.Schedule;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;

/**
 * A DJL optimizer of RunKit's whose learning rate (and, for schedules that cycle it, momentum or
 * beta1) comes from a {@link Schedule}, and whose whole state can be exported and restored for
 * exact resume.
 *
 * <p>{@code update} changes the weight in place without reading anything back to the host; each
 * parameter keeps its own step counter (as PyTorch's {@code state["step"]}), and update number
 * {@code n} of a parameter uses {@code schedule().lr(n - 1)} times its group's multiplier.
 *
 * <p>DJL passes parameter ids to {@code update}; call {@link #nameParameters(PairList)} with the
 * block's parameters so that state, groups and patterns use parameter names. Unnamed ids are used
 * as names.
 */
public abstract class ScheduledOptimizer extends Optimizer implements AutoCloseable {

  private final Common common;
  private final Map<String, String> names = new HashMap<>();
  private final List<Parameter> parameters = new java.util.ArrayList<>();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Map<String, ParamState> pending = new LinkedHashMap<>();
  // state lives in managers of its own: DJL hands update() weight views whose managers close
  private final Map<Device, NDManager> managers = new HashMap<>();

  /**
   * Creates the optimizer from its common settings.
   *
   * @param common type, parameters, learning rate, weight decay, groups and schedule
   */
  protected ScheduledOptimizer(Common common) {
    super(new DjlDefaults());
    this.common = Objects.requireNonNull(common, "common");
  }

  /**
   * Returns the registered name of this optimizer type.
   *
   * @return the type, as registered (e.g. {@code AdamW})
   */
  public String type() {
    return common.type();
  }

  /**
   * Returns the parameters this optimizer was built from, with their config names.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> params() {
    return common.params();
  }

  /**
   * Returns the base learning rate, the one schedules are bound to.
   *
   * @return the learning rate given to the builder
   */
  public double baseLr() {
    return common.lr();
  }

  /**
   * Returns the weight decay of parameters no group overrides.
   *
   * @return the weight decay
   */
  public double weightDecay() {
    return common.weightDecay();
  }

  /**
   * Returns the parameter groups, in matching order.
   *
   * @return an unmodifiable list
   */
  public List<ParamGroup> groups() {
    return common.groups();
  }

  /**
   * Returns the schedule in force (a constant one unless a schedule was attached).
   *
   * @return the schedule
   */
  public Schedule schedule() {
    return common.schedule();
  }

  /**
   * Returns a fresh optimizer (no state) with the same settings and another schedule.
   *
   * @param schedule the schedule to follow
   * @return the new optimizer
   */
  public ScheduledOptimizer withSchedule(Schedule schedule) {
    return Optimizers.create(
        common.type(), common.params(), "optimizer", schedule, common.codeGroups(), true);
  }

  /**
   * Maps DJL parameter ids to names (as in {@code block.getParameters()}), so that state, groups
   * and patterns use names.
   *
   * @param parameters the block's parameters, name to parameter
   * @return this optimizer
   */
  public ScheduledOptimizer nameParameters(PairList<String, Parameter> parameters) {
    for (Pair<String, Parameter> p : parameters) {
      names.put(p.getValue().getId(), p.getKey());
      this.parameters.add(p.getValue());
    }
    return this;
  }

  /**
   * Returns the parameters given to {@link #nameParameters(PairList)}, for optimizers that look at
   * all gradients of a step (Lamb, when {@link #beginStep(List)} was not called).
   *
   * @return the named parameters, in the block's order
   */
  protected List<Parameter> namedParameters() {
    return Collections.unmodifiableList(parameters);
  }

  /**
   * Tells the optimizer that a step starts with these gradients (all parameters, in any order).
   * Optimizers that need information over all parameters (Lamb's global gradient norm) use it; the
   * others ignore it. Call it before the step's {@code update} calls.
   *
   * @param gradients the gradients of every parameter updated in this step
   */
  public void beginStep(List<NDArray> gradients) {}

  /**
   * Updates one parameter in place: resolves its name, group and state, takes the learning rate
   * (and cycled momentum) of its next step from the schedule, and applies the optimizer's rule.
   *
   * @param parameterId the DJL parameter id (or a name)
   * @param weight the weight, changed in place
   * @param grad its gradient, left unchanged
   */
  @Override
  public final void update(String parameterId, NDArray weight, NDArray grad) {
    String name = names.getOrDefault(parameterId, parameterId);
    Slot slot = slot(name, weight);
    long done = slot.step;
    Step step =
        new Step(
            done + 1,
            common.schedule().lr(done) * slot.lrMult,
            slot.weightDecay,
            common.schedule().momentum(done));
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray g = common.maximize() ? grad.neg() : grad;
      apply(slot, weight, g, step);
    }
    slot.step = done + 1;
  }

  /**
   * Applies one update to a weight, in place.
   *
   * @param slot the parameter's state
   * @param weight the weight, changed in place
   * @param grad the gradient (already negated when maximizing); must not be changed
   * @param step the step number and hyper-parameters in force
   */
  protected abstract void apply(Slot slot, NDArray weight, NDArray grad, Step step);

  /**
   * Exports every moment, accumulator and step counter, keyed by parameter name.
   *
   * @return a snapshot detached from native memory
   */
  public OptimizerState exportState() {
    Map<String, ParamState> out = new LinkedHashMap<>();
    pending.forEach(
        (name, saved) -> {
          if (!slots.containsKey(name)) {
            out.put(name, saved);
          }
        });
    for (Slot slot : slots.values()) {
      if (!slot.primary) {
        continue;
      }
      Map<String, HostArray> arrays = new LinkedHashMap<>();
      slot.arrays.forEach((k, v) -> arrays.put(k, HostArray.of(v)));
      out.put(slot.name, new ParamState(slot.step, slot.scalars, arrays));
    }
    return new OptimizerState(common.type(), out);
  }

  /**
   * Restores state exported by {@link #exportState()}, replacing any state held now. Arrays are
   * created on the device of each weight at its next update.
   *
   * @param state the snapshot
   * @throws IllegalArgumentException if the snapshot belongs to another optimizer type
   */
  public void importState(OptimizerState state) {
    if (!state.type().equalsIgnoreCase(common.type())) {
      throw new IllegalArgumentException(
          "Optimizer state of type \""
              + state.type()
              + "\" cannot be imported into a \""
              + common.type()
              + "\" optimizer");
    }
    for (Slot slot : slots.values()) {
      slot.arrays.values().forEach(NDArray::close);
      slot.scratch.values().forEach(NDArray::close);
    }
    slots.clear();
    pending.clear();
    pending.putAll(state.params());
  }

  /** Releases the native memory of all state; the optimizer starts afresh if used again. */
  @Override
  public void close() {
    slots.clear();
    managers.values().forEach(NDManager::close);
    managers.clear();
  }

  private Slot slot(String name, NDArray weight) {
    Device device = weight.getDevice();
    Slot slot = slots.get(name);
    if (slot != null && slot.device.equals(device)) {
      return slot;
    }
    boolean primary = slot == null;
    String key = primary ? name : name + "@" + device;
    Slot other = primary ? null : slots.get(key);
    if (other != null) {
      return other;
    }
    int dims = weight.getShape().dimension();
    double lrMult = 1.0;
    double decay = common.weightDecay();
    for (ParamGroup group : common.groups()) {
      if (group.matches(name, dims)) {
        lrMult = group.lrMult();
        decay = group.weightDecay().orElse(decay);
        break;
      }
    }
    String engine = weight.getManager().getEngine().getEngineName();
    NDManager manager =
        managers.computeIfAbsent(
            device,
            d -> {
              NDManager m = NDManager.newBaseManager(d, engine);
              m.setName("runkit-optimizer-state");
              return m;
            });
    Slot created = new Slot(name, device, primary, lrMult, decay, manager);
    ParamState saved = pending.get(name);
    if (saved != null) {
      // kept in pending: a copy of the weight on another device restores from it too
      created.restore(saved, weight);
    }
    slots.put(key, created);
    return created;
  }

  /**
   * The common settings of every optimizer: its registered type, the parameters it was built from
   * (for {@link #withSchedule}), learning rate, default weight decay, maximize flag, groups and
   * schedule.
   *
   * @param type the registered name
   * @param params the parameters as given
   * @param lr the base learning rate
   * @param weightDecay the weight decay of parameters no group overrides
   * @param maximize whether to maximize the objective (the gradient is negated)
   * @param groups the parameter groups, in matching order
   * @param codeGroups the groups given in code (not in {@code params}), kept for {@link
   *     #withSchedule}
   * @param schedule the learning-rate schedule
   */
  public record Common(
      String type,
      Map<String, Object> params,
      double lr,
      double weightDecay,
      boolean maximize,
      List<ParamGroup> groups,
      List<ParamGroup> codeGroups,
      Schedule schedule) {

    /** Copies the collections. */
    public Common {
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      groups = List.copyOf(groups);
      codeGroups = List.copyOf(codeGroups);
    }
  }

  /**
   * The hyper-parameters of one update of one parameter.
   *
   * @param number the update number of this parameter, from 1 (PyTorch's {@code state["step"]}
   *     after increment)
   * @param lr the learning rate, schedule times group multiplier
   * @param weightDecay the weight decay of the parameter's group
   * @param momentum the momentum (or beta1) the schedule cycles, if it does
   */
  public record Step(long number, double lr, double weightDecay, OptionalDouble momentum) {}

  /** The state of one parameter on one device: step counter, named arrays and scalars. */
  public static final class Slot {
    private final String name;
    private final Device device;
    private final boolean primary;
    private final double lrMult;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private final Map<String, NDArray> scratch = new LinkedHashMap<>();
    private long step;

    private Slot(
        String name,
        Device device,
        boolean primary,
        double lrMult,
        double weightDecay,
        NDManager manager) {
      this.name = name;
      this.device = device;
      this.primary = primary;
      this.lrMult = lrMult;
      this.weightDecay = weightDecay;
      this.manager = manager;
    }

    /**
     * Returns the parameter's name.
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Returns a state array, creating it on first use.
     *
     * @param key the state name (PyTorch's, e.g. {@code exp_avg})
     * @param init makes the initial array from the weight (e.g. {@code NDArray::zerosLike})
     * @param weight the weight the array belongs to
     * @return the array, owned by the slot
     */
    public NDArray array(String key, UnaryOperator<NDArray> init, NDArray weight) {
      return owned(arrays, key, init, weight);
    }

    /**
     * Returns a helper array that is not state (never exported), creating it on first use.
     *
     * @param key its name
     * @param init makes it from the weight
     * @param weight the weight it serves
     * @return the array, owned by the slot
     */
    public NDArray scratch(String key, UnaryOperator<NDArray> init, NDArray weight) {
      return owned(scratch, key, init, weight);
    }

    private NDArray owned(
        Map<String, NDArray> in, String key, UnaryOperator<NDArray> init, NDArray weight) {
      NDArray array = in.get(key);
      if (array == null) {
        // out of any NDScope and onto the slot's manager: it lives as long as the optimizer
        array = init.apply(weight);
        NDScope.unregister(array);
        array.attach(manager);
        in.put(key, array);
      }
      return array;
    }

    /**
     * Tells whether a state array exists.
     *
     * @param key the state name
     * @return true when created or restored
     */
    public boolean has(String key) {
      return arrays.containsKey(key);
    }

    /**
     * Returns a scalar state value.
     *
     * @param key the name
     * @param initial the value when not yet set
     * @return the value
     */
    public double scalar(String key, double initial) {
      return scalars.getOrDefault(key, initial);
    }

    /**
     * Sets a scalar state value.
     *
     * @param key the name
     * @param value the value
     */
    public void putScalar(String key, double value) {
      scalars.put(key, value);
    }

    private void restore(ParamState saved, NDArray weight) {
      step = saved.step();
      scalars.putAll(saved.scalars());
      for (Map.Entry<String, HostArray> e : saved.arrays().entrySet()) {
        HostArray h = e.getValue();
        Shape shape = new Shape(h.shape());
        if (!shape.equals(weight.getShape()) && shape.size() != 1) {
          throw new IllegalArgumentException(
              "Optimizer state \""
                  + e.getKey()
                  + "\" of parameter \""
                  + name
                  + "\" has shape "
                  + shape
                  + ", but the parameter has shape "
                  + weight.getShape());
        }
        NDArray array = h.toArray(manager);
        NDScope.unregister(array);
        arrays.put(e.getKey(), array);
      }
    }
  }

  /** DJL's builder, used only to satisfy its constructor (RunKit does its own clipping). */
  private static final class DjlDefaults extends OptimizerBuilder<DjlDefaults> {
    @Override
    protected DjlDefaults self() {
      return this;
    }
  }
}
