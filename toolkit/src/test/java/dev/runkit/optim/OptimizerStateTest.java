package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.runkit.optim.OptimizerState.HostArray;
import dev.runkit.optim.OptimizerState.ParamState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerStateTest {

  static List<String> names() {
    return Optimizers.names();
  }

  @Test
  void export_adamOnFloat64_holdsMomentsAndStepPerName() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new double[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray g = manager.create(new double[] {0.1, -0.2, 0.3, -0.4}, new Shape(2, 2));
      ScheduledOptimizer opt = Optimizers.adam().lr(0.1).amsgrad(true).build();
      opt.update("w", w, g);
      opt.update("w", w, g);
      OptimizerState state = opt.exportState();
      assertThat(state.type()).isEqualTo("Adam");
      ParamState p = state.params().get("w");
      assertThat(p.step()).isEqualTo(2);
      assertThat(p.arrays()).containsOnlyKeys("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
      HostArray m = p.arrays().get("exp_avg");
      assertThat(m.float64()).isTrue();
      assertThat(m.shape()).containsExactly(2, 2);
      // m = 0.9 * 0.1 * g + 0.1 * g = 0.19 * g
      assertThat(m.values()[0]).isCloseTo(0.019, org.assertj.core.data.Offset.offset(1e-15));
    }
  }

  @Test
  void export_nadamOnFloat32_keepsMuProductScalar() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {1, 2});
      NDArray g = manager.create(new float[] {0.5f, -0.5f});
      ScheduledOptimizer opt = Optimizers.nadam().build();
      opt.update("w", w, g);
      ParamState p = opt.exportState().params().get("w");
      assertThat(p.scalars()).containsOnlyKeys("mu_product");
      assertThat(p.arrays().get("exp_avg").float64()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void writeRead_everyOptimizer_roundTripsExactly(String name) throws IOException {
    for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT64)) {
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray w = manager.create(new double[] {1, -2, 3, 0.5, 0.25, 7}, new Shape(2, 3));
        w = w.toType(type, false);
        NDArray g = w.mul(0.1).add(0.01);
        ScheduledOptimizer opt =
            Optimizers.build(
                name,
                Map.of("max_grad_norm", 0.0).entrySet().stream()
                    .filter(e -> name.equals("Lamb"))
                    .collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        for (int i = 0; i < 3; i++) {
          opt.update("layer.weight", w, g);
        }
        OptimizerState state = opt.exportState();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.write(new DataOutputStream(bytes));
        OptimizerState read =
            OptimizerState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(state);
        assertThat(read.params().get("layer.weight").step()).isEqualTo(3);
        ScheduledOptimizer fresh = Optimizers.build(name, opt.params());
        fresh.importState(read);
        assertThat(fresh.exportState()).isEqualTo(state);
      }
    }
  }

  @Test
  void import_otherType_throws() {
    OptimizerState state = new OptimizerState("Adam", Map.of());
    assertThatThrownBy(() -> Optimizers.sgd().build().importState(state))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Optimizer state of type \"Adam\" cannot be imported into a \"SGD\" optimizer");
  }

  @Test
  void import_wrongShape_throwsAtFirstUpdate() {
    HostArray m = new HostArray(new long[] {3}, false, new double[] {0, 0, 0});
    OptimizerState state =
        new OptimizerState("Adam", Map.of("w", new ParamState(1, Map.of(), Map.of("exp_avg", m))));
    ScheduledOptimizer opt = Optimizers.adam().build();
    opt.importState(state);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {1, 2});
      assertThatThrownBy(() -> opt.update("w", w, w))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Optimizer state \"exp_avg\" of parameter \"w\" has shape (3), but the parameter"
                  + " has shape (2)");
    }
  }

  @Test
  void read_foreignBytes_throwsIoException() {
    byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThatThrownBy(
            () -> OptimizerState.read(new DataInputStream(new ByteArrayInputStream(junk))))
        .isInstanceOf(IOException.class)
        .hasMessage("Not a RunKit optimizer state: magic 0x1020304, expected 0x524b4f53");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void update_manyTimes_leavesNoArraysBehind(String name) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.ones(new Shape(64, 16)).mul(0.5);
      NDArray g = manager.ones(new Shape(64, 16)).mul(0.01);
      NDArray b = manager.ones(new Shape(16)).mul(0.1);
      NDArray gb = manager.ones(new Shape(16)).mul(0.02);
      ScheduledOptimizer opt = Optimizers.build(name, Map.of());
      GradientClipping clip = GradientClipping.byNorm(1.0);
      int before = 0;
      for (int i = 0; i < 300; i++) {
        if (i == 5) {
          before = ((BaseNDManager) manager).getManagedArrays().size();
        }
        clip.apply(List.of(g, gb)).close();
        opt.beginStep(List.of(g, gb));
        opt.update("w", w, g);
        opt.update("b", b, gb);
      }
      assertThat(((BaseNDManager) manager).getManagedArrays()).hasSize(before);
    }
  }
}
