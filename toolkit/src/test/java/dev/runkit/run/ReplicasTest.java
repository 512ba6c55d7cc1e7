package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One data-parallel step on real MXNet arrays: split, weighted backward, reduce, broadcast. */
class ReplicasTest {

  private NDManager manager;
  private final Engine engine = Engine.getInstance();

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    engine.setRandomSeed(5);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Block initialized(Block block, long rows) {
    block.initialize(manager, DataType.FLOAT32, new Shape(rows, 4));
    return block;
  }

  private List<NDArray> gradients(Block block) {
    List<NDArray> out = new ArrayList<>();
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      if (p.requiresGradient()) {
        NDArray w = p.getArray();
        if (!w.hasGradient()) {
          w.setRequiresGradient(true);
        }
        out.add(w.getGradient());
      }
    }
    return out;
  }

  private Batch batch(long rows) {
    NDManager m = manager.newSubManager();
    NDArray x = m.randomUniform(-1, 1, new Shape(rows, 4));
    NDArray y = m.randomUniform(-1, 1, new Shape(rows, 3));
    return new Batch(
        m, new NDList(x), new NDList(y), (int) rows, Batchifier.STACK, Batchifier.STACK, 0, 1);
  }

  @Test
  void forwardBackward_unevenSlices_reducesToTheFullBatchGradient() {
    Block block = initialized(Fixtures.mlp(8, 3), 7);
    ParameterStore store = new ParameterStore(manager, false);
    List<NDArray> grads = gradients(block);
    Batch b = batch(7);
    float[][] full = new float[grads.size()][];
    float expectedLoss;
    try (GradientCollector c = engine.newGradientCollector()) {
      NDArray loss = Loss.l2Loss().evaluate(b.getLabels(), block.forward(store, b.getData(), true));
      c.backward(loss);
      expectedLoss = loss.getFloat();
    }
    for (int i = 0; i < grads.size(); i++) {
      full[i] = grads.get(i).toFloatArray();
    }
    Replicas r = new Replicas(block, store, grads, Collections.nCopies(3, Device.cpu()), manager);
    List<Replicas.Slice> slices = new ArrayList<>();
    NDArray loss = r.forwardBackward(b, block, Loss.l2Loss(), engine, slices);

    // 7 rows over 3 replicas: ceil(7 / 3) = 3, so 3 + 3 + 1
    assertThat(slices).extracting(Replicas.Slice::rows).containsExactly(3L, 3L, 1L);
    assertThat(loss.getFloat()).isCloseTo(expectedLoss, within(1e-6f));
    for (int i = 0; i < grads.size(); i++) {
      assertThat(grads.get(i).toFloatArray()).containsExactly(full[i], within(1e-6f));
      // every replica computed its own, different, share
      assertThat(r.gradients(2).get(i).toFloatArray()).isNotEqualTo(full[i]);
    }
    b.close();
  }

  @Test
  void forwardBackward_fewerRowsThanReplicas_skipsEmptySlices() {
    Block block = initialized(Fixtures.mlp(8, 3), 1);
    ParameterStore store = new ParameterStore(manager, false);
    Replicas r =
        new Replicas(block, store, gradients(block), Collections.nCopies(3, Device.cpu()), manager);
    List<Replicas.Slice> slices = new ArrayList<>();
    Batch b = batch(2);
    r.forwardBackward(b, block, Loss.l2Loss(), engine, slices);
    assertThat(slices).extracting(Replicas.Slice::rows).containsExactly(1L, 1L);
    b.close();
  }

  @Test
  void broadcast_batchNorm_copiesRunningStatisticsOfReplicaZero() {
    SequentialBlock net = new SequentialBlock();
    net.add(Linear.builder().setUnits(8).build());
    net.add(BatchNorm.builder().build());
    net.add(Linear.builder().setUnits(3).build());
    Block block = initialized(net, 8);
    ParameterStore store = new ParameterStore(manager, false);
    Replicas r =
        new Replicas(block, store, gradients(block), Collections.nCopies(2, Device.cpu()), manager);
    int mean = -1;
    int index = 0;
    for (var pair : block.getParameters()) {
      if (pair.getKey().endsWith("runningMean")) {
        mean = index;
      }
      index++;
    }
    assertThat(mean)
        .as("BatchNorm's running mean among " + block.getParameters().keys())
        .isNotNegative();
    float[] initial = r.parameters(1).get(mean).toFloatArray();

    Batch b = batch(8);
    r.forwardBackward(b, block, Loss.l2Loss(), engine, new ArrayList<>());
    float[] own0 = r.parameters(0).get(mean).toFloatArray();
    float[] own1 = r.parameters(1).get(mean).toFloatArray();
    // each replica's forward moved its running mean by its own slice
    assertThat(own1).isNotEqualTo(initial);
    assertThat(own1).isNotEqualTo(own0);

    r.broadcast();
    for (int i = 0; i < r.parameters(0).size(); i++) {
      assertThat(r.parameters(1).get(i).toFloatArray())
          .containsExactly(r.parameters(0).get(i).toFloatArray());
    }
    b.close();
  }
}
