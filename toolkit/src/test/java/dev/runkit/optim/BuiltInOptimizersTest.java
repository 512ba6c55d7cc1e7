package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adadelta;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.runkit.optim.OptimizerState.HostArray;
import dev.runkit.optim.OptimizerState.ParamState;
import dev.runkit.run.Fixtures;
import dev.runkit.run.ManagerPerTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltInOptimizersTest {

  private static final int BEFORE = 7;
  private static final int AFTER = 5;

  @RegisterExtension final ManagerPerTest perTest = new ManagerPerTest();

  static List<String> names() {
    return List.copyOf(Fixtures.djlOptimizers().keySet());
  }

  /** Two weights of different shapes, the same values in every call. */
  private Map<String, NDArray> weights() {
    Map<String, NDArray> w = new LinkedHashMap<>();
    w.put(
        "layer.weight",
        perTest.manager().create(new float[] {0.5f, -1, 2, 0.25f, -0.75f, 1.5f}, new Shape(2, 3)));
    w.put("layer.bias", perTest.manager().create(new float[] {0.1f, -0.2f}));
    return w;
  }

  /** Gradients that depend on the step and the weights, so that any lost state shows. */
  private void step(Optimizer optimizer, Map<String, NDArray> weights, int step) {
    for (Map.Entry<String, NDArray> e : weights.entrySet()) {
      NDArray w = e.getValue();
      try (NDArray g = w.mul(0.3).add(Math.sin(step + 1.0)).mul(1 + step % 3)) {
        optimizer.update(e.getKey(), w, g);
      }
    }
  }

  private static Map<String, float[]> values(Map<String, NDArray> weights) {
    Map<String, float[]> out = new LinkedHashMap<>();
    weights.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  private static OptimizerState roundTrip(OptimizerState state) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      state.write(out);
    }
    return OptimizerState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  /** The weights and the optimizer's state at the end of a run. */
  private record End(Map<String, float[]> weights, OptimizerState state) {}

  /**
   * Runs BEFORE + AFTER updates uninterrupted, and BEFORE, export, transfer, import, AFTER; returns
   * both ends. DJL's Adadelta closes the weights it updates, so it gets fresh weights every step.
   */
  private List<End> runBoth(Supplier<Optimizer> factory, UnaryOperator<OptimizerState> transfer)
      throws IOException {
    boolean fresh = factory.get() instanceof Adadelta;
    Optimizer whole = factory.get();
    Map<String, NDArray> a = weights();
    for (int i = 0; i < BEFORE + AFTER; i++) {
      step(whole, fresh ? weights() : a, i);
    }
    Optimizer first = factory.get();
    Map<String, NDArray> b = weights();
    for (int i = 0; i < BEFORE; i++) {
      step(first, fresh ? weights() : b, i);
    }
    OptimizerState saved = roundTrip(BuiltInOptimizers.exportState(first));
    Optimizer second = factory.get();
    Map<String, NDArray> c = weights();
    if (!fresh) {
      for (Map.Entry<String, NDArray> e : c.entrySet()) {
        e.getValue().set(b.get(e.getKey()).toFloatArray());
      }
    }
    OptimizerState given = transfer.apply(saved);
    if (given != null) {
      BuiltInOptimizers.importState(second, given);
    }
    for (int i = BEFORE; i < BEFORE + AFTER; i++) {
      step(second, fresh ? weights() : c, i);
    }
    return List.of(
        new End(fresh ? Map.of() : values(a), BuiltInOptimizers.exportState(whole)),
        new End(fresh ? Map.of() : values(c), BuiltInOptimizers.exportState(second)));
  }

  private static void assertSameEnd(End expected, End actual) {
    assertClose(expected.weights(), actual.weights());
    assertClose(arrays(expected.state()), arrays(actual.state()));
    assertThat(actual.state().params().get("(optimizer)"))
        .isEqualTo(expected.state().params().get("(optimizer)"));
  }

  private static float maxDiff(End x, End y) {
    return Math.max(
        maxDiff(x.weights(), y.weights()), maxDiff(arrays(x.state()), arrays(y.state())));
  }

  /** Every state array as float values, keyed "parameter/array". */
  private static Map<String, float[]> arrays(OptimizerState state) {
    Map<String, float[]> out = new java.util.TreeMap<>();
    state
        .params()
        .forEach(
            (param, p) ->
                p.arrays()
                    .forEach(
                        (k, v) -> {
                          double[] d = v.values();
                          float[] f = new float[d.length];
                          for (int i = 0; i < d.length; i++) {
                            f[i] = (float) d[i];
                          }
                          out.put(param + "/" + k, f);
                        }));
    return out;
  }

  private static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (name, x) -> assertThat(actual.get(name)).as(name).containsExactly(x, within(1e-6f)));
  }

  private static float maxDiff(Map<String, float[]> x, Map<String, float[]> y) {
    float max = 0;
    for (String name : x.keySet()) {
      for (int i = 0; i < x.get(name).length; i++) {
        max = Math.max(max, Math.abs(x.get(name)[i] - y.get(name)[i]));
      }
    }
    return max;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void importState_afterExport_continuesLikeUninterrupted(String name) throws IOException {
    Supplier<Optimizer> factory = Fixtures.djlOptimizers().get(name);
    List<End> resumed = runBoth(factory, s -> s);
    assertSameEnd(resumed.get(0), resumed.get(1));
    // without the state the same run ends elsewhere: the comparison above can fail
    List<End> restarted = runBoth(factory, s -> null);
    assertThat(maxDiff(restarted.get(0), restarted.get(1))).isGreaterThan(1e-4f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void exportState_everyBuiltIn_holdsCountsAndMomentsPerParameter(String name) {
    Optimizer optimizer = Fixtures.djlOptimizers().get(name).get();
    assertThat(BuiltInOptimizers.supports(optimizer)).isTrue();
    for (int i = 0; i < 3; i++) {
      step(optimizer, weights(), i);
    }
    OptimizerState state = BuiltInOptimizers.exportState(optimizer);
    assertThat(state.type()).isEqualTo(optimizer.getClass().getName());
    assertThat(state.params()).containsOnlyKeys("(optimizer)", "layer.weight", "layer.bias");
    ParamState weight = state.params().get("layer.weight");
    if (name.equals("adadelta")) {
      // the only built-in without a learning-rate tracker never counts its updates
      assertThat(state.params().get("(optimizer)").scalars()).containsEntry("numUpdate", 0.0);
      assertThat(weight.step()).isZero();
    } else {
      assertThat(state.params().get("(optimizer)").scalars()).containsEntry("numUpdate", 3.0);
      assertThat(weight.step()).isEqualTo(3);
    }
    Set<String> expected =
        switch (name) {
          case "sgd", "nag" -> Set.of("momentumStates@cpu");
          case "adam", "adamW" -> Set.of("means@cpu", "variances@cpu");
          case "adagrad" -> Set.of("history@cpu");
          case "rmsprop" -> Set.of("means@cpu", "variances@cpu", "momentums@cpu");
          default -> Set.of("accumG@cpu", "accumDelta@cpu");
        };
    assertThat(weight.arrays().keySet()).isEqualTo(expected);
    HostArray first = weight.arrays().values().iterator().next();
    assertThat(first.shape()).containsExactly(2, 3);
    assertThat(first.float64()).isFalse();
  }

  @Test
  void importState_multiFactorTrackerPastTwoMilestones_continuesLikeUninterrupted()
      throws IOException {
    // MultiFactorTracker keeps a position that is not exported: a fresh one must catch up at once
    Supplier<Optimizer> factory =
        () ->
            Optimizer.adam()
                .optLearningRateTracker(
                    Tracker.warmUp()
                        .setMainTracker(
                            Tracker.multiFactor()
                                .setBaseValue(0.05f)
                                .setSteps(new int[] {2, 4, 9})
                                .optFactor(0.5f)
                                .build())
                        .optWarmUpSteps(1)
                        .build())
                .build();
    List<End> resumed = runBoth(factory, s -> s);
    assertSameEnd(resumed.get(0), resumed.get(1));
  }

  @Test
  void importState_savedOnAMissingGpu_landsOnTheDefaultDeviceAndContinues() throws IOException {
    List<End> resumed =
        runBoth(
            Fixtures.djlOptimizers().get("adam"),
            s -> {
              Map<String, ParamState> params = new LinkedHashMap<>();
              s.params()
                  .forEach(
                      (name, p) -> {
                        Map<String, HostArray> arrays = new LinkedHashMap<>();
                        p.arrays().forEach((k, v) -> arrays.put(k.replace("@cpu", "@gpu7"), v));
                        params.put(name, new ParamState(p.step(), p.scalars(), arrays));
                      });
              return new OptimizerState(s.type(), params);
            });
    assertSameEnd(resumed.get(0), resumed.get(1));
  }

  @Test
  void exportState_subclassOfABuiltIn_throwsNamingWhatIsSupported() {
    Optimizer sub = new Adam(Optimizer.adam()) {};
    assertThat(BuiltInOptimizers.supports(sub)).isFalse();
    assertThatThrownBy(() -> BuiltInOptimizers.exportState(sub))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "optimizer "
                + sub.getClass().getName()
                + " is neither a RunKit optimizer nor one of DJL's built-in ones (Optimizer.sgd(),"
                + " nag(), adam(), adamW(), adagrad(), rmsprop(), adadelta())");
  }

  @Test
  void checkFields_classWithOtherFields_throwsListingTheDifference() {
    assertThatThrownBy(
            () ->
                BuiltInOptimizers.checkFields(Probe.class, Set.of("means:float", "numUpdate:int")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "the fields of "
                + Probe.class.getName()
                + " (DJL 0.36.0 on the class path) are not those RunKit reads optimizer state from"
                + " (DJL 0.36.0's): new [numUpdate:long, velocity:float[]], gone [numUpdate:int]");
  }

  @Test
  void importState_otherClass_throwsNamingBoth() {
    Optimizer adam = Fixtures.djlOptimizers().get("adam").get();
    OptimizerState state = BuiltInOptimizers.exportState(Fixtures.djlOptimizers().get("sgd").get());
    assertThatThrownBy(() -> BuiltInOptimizers.importState(adam, state))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Optimizer state of type \"ai.djl.training.optimizer.Sgd\" cannot be imported into a"
                + " \"ai.djl.training.optimizer.Adam\" optimizer");
  }

  @Test
  void importState_unknownStateField_throwsBeforeChangingAnything() {
    Optimizer sgd = Fixtures.djlOptimizers().get("sgd").get();
    Map<String, NDArray> w = weights();
    step(sgd, w, 0);
    OptimizerState before = BuiltInOptimizers.exportState(sgd);
    HostArray one = new HostArray(new long[] {2}, false, new double[] {1, 2});
    Map<String, ParamState> params = new LinkedHashMap<>(before.params());
    params.put("layer.bias", new ParamState(1, Map.of(), Map.of("velocity@cpu", one)));
    OptimizerState bad = new OptimizerState(before.type(), params);
    assertThatThrownBy(() -> BuiltInOptimizers.importState(sgd, bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Optimizer state of parameter \"layer.bias\" holds \"velocity@cpu\", which Sgd does"
                + " not have; it has [momentumStates]");
    assertThat(BuiltInOptimizers.exportState(sgd)).isEqualTo(before);
  }

  @Test
  void update_djlAdadeltaOnMxnet_closesTheWeight() {
    // DJL 0.36's MXNet adadeltaUpdate temp-attaches the weight twice (it is input and output) and
    // closes it with its scratch manager; when this fails DJL is fixed, and so can Runner be
    NDArray w = perTest.manager().create(new float[] {1, 2});
    Optimizer.adadelta()
        .build()
        .update("w", w, perTest.manager().create(new float[] {0.5f, -0.5f}));
    assertThat(w.isReleased()).isTrue();
  }

  @Test
  void checkUsable_djlAdadelta_throwsPointingToRunKits() {
    assertThatThrownBy(() -> BuiltInOptimizers.checkUsable(Optimizer.adadelta().build(), "MXNet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DJL's Adadelta closes the weights it updates on the MXNet engine (DJL 0.36.0), so a"
                + " run with it fails after its first step; use Optimizers.adadelta(), RunKit's"
                + " Adadelta, instead");
    BuiltInOptimizers.checkUsable(Optimizer.adam().build(), "MXNet");
    BuiltInOptimizers.checkUsable(Optimizer.adadelta().build(), "PyTorch");
  }

  /** A class whose fields differ from the expected ones in name and type. */
  @SuppressWarnings("unused")
  private static final class Probe {
    private float means;
    private long numUpdate;
    private float[] velocity;
  }
}
