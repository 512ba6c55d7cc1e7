package dev.runkit.optim;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Adadelta;
import ai.djl.training.optimizer.Adagrad;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Nag;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.RmsProp;
import ai.djl.training.optimizer.Sgd;
import dev.runkit.optim.OptimizerState.HostArray;
import dev.runkit.optim.OptimizerState.ParamState;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports and imports the state of DJL's built-in optimizers ({@code Optimizer.sgd()}, {@code
 * nag()}, {@code adam()}, {@code adamW()}, {@code adagrad()}, {@code rmsprop()}, {@code
 * adadelta()}), which keep it in private fields, so that checkpoints of runs that use them resume
 * exactly too.
 *
 * <p>The fields are read by reflection, and only after checking that the optimizer's class is one
 * of those seven (not a subclass) and that its fields, and those of {@link Optimizer}, are exactly
 * the ones DJL 0.36 has: a DJL whose optimizers keep their state elsewhere is refused with {@link
 * UnsupportedOperationException}, never read half-way. The state is the per-parameter update counts
 * ({@code updateCounts}), the overall update number ({@code numUpdate}), the moments of every
 * parameter on every device it was updated on ({@code Map<String, Map<Device, NDArray>>}). The
 * learning-rate tracker is not: DJL's trackers are functions of the update number (its
 * MultiFactorTracker keeps a position, but catches up with any update number in one call), and a
 * tracker of the user's is taken to be one too.
 *
 * <pre>{@code
 * OptimizerState saved = BuiltInOptimizers.exportState(adam);   // after N updates
 * BuiltInOptimizers.importState(freshAdam, saved);             // continues as update N + 1
 * }</pre>
 */
public final class BuiltInOptimizers {

  /** The pseudo-parameter that holds state belonging to no parameter. */
  static final String GLOBAL = "(optimizer)";

  private static final String STATE =
      "java.util.Map<java.lang.String, java.util.Map<ai.djl.Device, ai.djl.ndarray.NDArray>>";
  private static final String TRACKER =
      "learningRateTracker:ai.djl.training.tracker.ParameterTracker";
  private static final String COUNT = "updateCount";
  private static final String NUM_UPDATE = "numUpdate";

  private static final Set<String> BASE =
      Set.of(
          "rescaleGrad:float",
          "clipGrad:float",
          "weightDecays:float",
          "beginNumUpdate:int",
          "numUpdate:int",
          "updateCounts:java.util.Map<java.lang.String, java.lang.Integer>");

  /** SGD and NAG: one momentum buffer (they differ only in how the update uses it). */
  private static final Layout MOMENTUM =
      Layout.of(List.of("momentumStates"), TRACKER, "momentum:float");

  /** Adam and AdamW: both moments (AdamW differs only in where its weight decay goes). */
  private static final Layout MOMENTS =
      Layout.of(
          List.of("means", "variances"), TRACKER, "beta1:float", "beta2:float", "epsilon:float");

  private static final Map<Class<?>, Layout> LAYOUTS =
      Map.of(
          Sgd.class,
          MOMENTUM,
          Nag.class,
          MOMENTUM,
          Adam.class,
          MOMENTS,
          AdamW.class,
          MOMENTS,
          Adagrad.class,
          Layout.of(List.of("history"), TRACKER, "epsilon:float"),
          RmsProp.class,
          Layout.of(
              List.of("means", "variances", "momentums"),
              TRACKER,
              "rho:float",
              "momentum:float",
              "epsilon:float",
              "centered:boolean"),
          Adadelta.class,
          Layout.of(List.of("accumG", "accumDelta"), "rho:float", "epsilon:float"));

  private BuiltInOptimizers() {}

  /**
   * Tells whether the state of an optimizer can be exported and imported here.
   *
   * @param optimizer the optimizer
   * @return true for DJL's seven built-in optimizers when their fields are those of DJL 0.36
   */
  public static boolean supports(Optimizer optimizer) {
    try {
      layout(optimizer);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Refuses a DJL built-in optimizer that cannot train on an engine: DJL 0.36's {@link Adadelta}
   * closes every weight it updates on MXNet (its update attaches the weight to a scratch manager
   * twice, as input and output, and closes it with that manager), so the step after its first fails
   * with "Native resource has been released already".
   *
   * @param optimizer the optimizer
   * @param engineName the name of the engine the run uses ({@code Engine.getEngineName()})
   * @throws IllegalArgumentException for DJL's Adadelta on MXNet, naming RunKit's replacement
   */
  public static void checkUsable(Optimizer optimizer, String engineName) {
    if (optimizer.getClass() == Adadelta.class && "MXNet".equals(engineName)) {
      throw new IllegalArgumentException(
          "DJL's Adadelta closes the weights it updates on the MXNet engine (DJL "
              + Engine.getDjlVersion()
              + "), so a run with it fails after its first step; use Optimizers.adadelta(),"
              + " RunKit's Adadelta, instead");
    }
  }

  /**
   * Copies an optimizer's state to the host, waiting for pending updates to be computed.
   *
   * @param optimizer a DJL built-in optimizer
   * @return its state, typed with the optimizer's class name
   * @throws UnsupportedOperationException if the optimizer is not one of DJL's built-ins, its
   *     fields differ from DJL 0.36's, or a state array is neither float32 nor float64; the message
   *     says which
   */
  public static OptimizerState exportState(Optimizer optimizer) {
    Layout layout = layout(optimizer);
    Map<String, Integer> counts = get(optimizer, Optimizer.class, "updateCounts");
    Map<String, Map<String, HostArray>> arrays = new LinkedHashMap<>();
    for (String field : layout.states()) {
      Map<String, Map<Device, NDArray>> state = get(optimizer, optimizer.getClass(), field);
      for (String param : new TreeSet<>(state.keySet())) {
        for (Map.Entry<Device, NDArray> e : state.get(param).entrySet()) {
          NDArray a = e.getValue();
          if (a.getDataType() != DataType.FLOAT32 && a.getDataType() != DataType.FLOAT64) {
            throw new UnsupportedOperationException(
                "state "
                    + field
                    + " of parameter \""
                    + param
                    + "\" in "
                    + optimizer.getClass().getSimpleName()
                    + " is "
                    + a.getDataType()
                    + "; only float32 and float64 state can be checkpointed");
          }
          arrays
              .computeIfAbsent(param, k -> new LinkedHashMap<>())
              .put(field + "@" + deviceName(e.getKey()), HostArray.of(a));
        }
      }
    }
    Set<String> params = new TreeSet<>(counts.keySet());
    params.addAll(arrays.keySet());
    Map<String, ParamState> out = new LinkedHashMap<>();
    Map<String, Double> global = new LinkedHashMap<>();
    int numUpdate = get(optimizer, Optimizer.class, NUM_UPDATE);
    global.put(NUM_UPDATE, (double) numUpdate);
    out.put(GLOBAL, new ParamState(0, global, Map.of()));
    for (String param : params) {
      Integer count = counts.get(param);
      Map<String, Double> scalars =
          count == null ? Map.of() : Map.of(COUNT, (double) count.intValue());
      out.put(
          param,
          new ParamState(count == null ? 0 : count, scalars, arrays.getOrDefault(param, Map.of())));
    }
    return new OptimizerState(optimizer.getClass().getName(), out);
  }

  /**
   * Replaces an optimizer's state by a snapshot from {@link #exportState(Optimizer)}: arrays are
   * created on the device they were saved from when the engine has it, else on its default device
   * (DJL copies state to a weight's device when it first meets it there).
   *
   * @param optimizer a DJL built-in optimizer of the class that exported the state
   * @param state the snapshot
   * @throws UnsupportedOperationException if the optimizer is not supported (as for export)
   * @throws IllegalArgumentException if the snapshot belongs to another optimizer class or holds
   *     state this optimizer does not have; nothing is changed then
   */
  public static void importState(Optimizer optimizer, OptimizerState state) {
    Layout layout = layout(optimizer);
    String type = optimizer.getClass().getName();
    if (!state.type().equals(type)) {
      throw new IllegalArgumentException(
          "Optimizer state of type \""
              + state.type()
              + "\" cannot be imported into a \""
              + type
              + "\" optimizer");
    }
    ParamState global = state.params().get(GLOBAL);
    Set<String> expected = Set.of(NUM_UPDATE);
    if (global == null || !global.scalars().keySet().equals(expected)) {
      throw new IllegalArgumentException(
          "Optimizer state of "
              + type
              + " holds "
              + (global == null ? "no " + GLOBAL + " entry" : global.scalars().keySet())
              + "; this optimizer needs "
              + expected);
    }
    // check everything before changing anything
    for (Map.Entry<String, ParamState> e : state.params().entrySet()) {
      if (e.getKey().equals(GLOBAL)) {
        continue;
      }
      for (String key : e.getValue().arrays().keySet()) {
        int at = key.lastIndexOf('@');
        if (at < 0 || !layout.states().contains(key.substring(0, at))) {
          throw new IllegalArgumentException(
              "Optimizer state of parameter \""
                  + e.getKey()
                  + "\" holds \""
                  + key
                  + "\", which "
                  + optimizer.getClass().getSimpleName()
                  + " does not have; it has "
                  + layout.states());
        }
        device(key.substring(at + 1));
      }
    }

    Map<String, Integer> counts = get(optimizer, Optimizer.class, "updateCounts");
    counts.clear();
    Map<String, Map<String, Map<Device, NDArray>>> states = new HashMap<>();
    for (String field : layout.states()) {
      Map<String, Map<Device, NDArray>> map = get(optimizer, optimizer.getClass(), field);
      map.values().forEach(byDevice -> byDevice.values().forEach(NDArray::close));
      map.clear();
      states.put(field, map);
    }
    Map<Device, NDManager> managers = new HashMap<>();
    try {
      for (Map.Entry<String, ParamState> e : state.params().entrySet()) {
        String param = e.getKey();
        if (param.equals(GLOBAL)) {
          continue;
        }
        Double count = e.getValue().scalars().get(COUNT);
        if (count != null) {
          counts.put(param, count.intValue());
        }
        for (Map.Entry<String, HostArray> a : e.getValue().arrays().entrySet()) {
          int at = a.getKey().lastIndexOf('@');
          Device device = device(a.getKey().substring(at + 1));
          Map<Device, NDArray> byDevice =
              states
                  .get(a.getKey().substring(0, at))
                  .computeIfAbsent(param, k -> new ConcurrentHashMap<>());
          if (byDevice.containsKey(device)) {
            continue; // two saved devices that both fell back to the default one
          }
          NDManager manager = managers.computeIfAbsent(device, NDManager::newBaseManager);
          NDArray array = a.getValue().toArray(manager);
          // detached like DJL's own state: it lives as long as the optimizer
          array.detach();
          NDScope.unregister(array);
          byDevice.put(device, array);
        }
      }
    } finally {
      managers.values().forEach(NDManager::close);
    }
    set(optimizer, Optimizer.class, NUM_UPDATE, global.scalars().get(NUM_UPDATE).intValue());
  }

  private static Layout layout(Optimizer optimizer) {
    Class<?> type = optimizer.getClass();
    Layout layout = LAYOUTS.get(type);
    if (layout == null) {
      throw new UnsupportedOperationException(
          "optimizer "
              + type.getName()
              + " is neither a RunKit optimizer nor one of DJL's built-in ones (Optimizer.sgd(),"
              + " nag(), adam(), adamW(), adagrad(), rmsprop(), adadelta())");
    }
    checkFields(Optimizer.class, BASE);
    checkFields(type, layout.fields());
    return layout;
  }

  /** Checks that a class declares exactly the expected instance fields ("name:type"). */
  static void checkFields(Class<?> type, Set<String> expected) {
    Set<String> actual = fields(type);
    if (!actual.equals(expected)) {
      Set<String> extra = new TreeSet<>(actual);
      extra.removeAll(expected);
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(actual);
      throw new UnsupportedOperationException(
          "the fields of "
              + type.getName()
              + " (DJL "
              + Engine.getDjlVersion()
              + " on the class path) are not those RunKit reads optimizer state from (DJL 0.36.0's):"
              + " new "
              + extra
              + ", gone "
              + missing);
    }
  }

  private static Set<String> fields(Class<?> type) {
    Set<String> out = new TreeSet<>();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        out.add(f.getName() + ":" + f.getGenericType().getTypeName());
      }
    }
    return out;
  }

  private static String deviceName(Device device) {
    // Device.fromName reads "cpu", "gpu0": the form of toString ("gpu(0)") it does not
    return device.getDeviceId() < 0
        ? device.getDeviceType()
        : device.getDeviceType() + device.getDeviceId();
  }

  private static Device device(String name) {
    Device device;
    try {
      device = Device.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Optimizer state names an unknown device \"" + name + "\"", e);
    }
    Engine engine = Engine.getInstance();
    if (device.isGpu() && device.getDeviceId() >= engine.getGpuCount()) {
      return engine.defaultDevice();
    }
    return device;
  }

  private static Field field(Class<?> type, String name) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException | RuntimeException e) {
      throw new UnsupportedOperationException(
          "cannot read field " + name + " of " + type.getName() + " (" + e + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T get(Object owner, Class<?> type, String name) {
    try {
      return (T) field(type, name).get(owner);
    } catch (IllegalAccessException e) {
      throw new UnsupportedOperationException(
          "cannot read field " + name + " of " + type.getName() + " (" + e + ")", e);
    }
  }

  private static void set(Object owner, Class<?> type, String name, Object value) {
    try {
      field(type, name).set(owner, value);
    } catch (IllegalAccessException e) {
      throw new UnsupportedOperationException(
          "cannot write field " + name + " of " + type.getName() + " (" + e + ")", e);
    }
  }

  /** The state fields of an optimizer class and the signature of all its own fields. */
  private record Layout(List<String> states, Set<String> fields) {

    static Layout of(List<String> states, String... config) {
      Set<String> fields = new LinkedHashSet<>(Arrays.asList(config));
      states.forEach(s -> fields.add(s + ":" + STATE));
      return new Layout(states, fields);
    }
  }
}
