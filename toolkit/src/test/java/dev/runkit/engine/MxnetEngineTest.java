package dev.runkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class MxnetEngineTest {

  @Test
  void engine_fromClasspathNatives_isMxnet19() {
    Engine engine = Engine.getInstance();
    assertThat(engine.getEngineName()).isEqualTo("MXNet");
    // libmxnet 1.9.1 (the mxnet-native-mkl jar) reports its API version as 1.9.0
    assertThat(engine.getVersion()).startsWith("1.9");
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
  }

  @Test
  void matmul_onMxnet_computesRealProduct() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
      float[] product = a.matMul(b).toFloatArray();
      assertThat(product).containsExactly(19f, 22f, 43f, 50f);
      assertThat(a.getManager().getEngine().getEngineName()).isEqualTo("MXNet");
    }
  }
}
