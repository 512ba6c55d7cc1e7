package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.runkit.data.LabeledData;

/** Small real models and data shared by the run tests. */
public final class Fixtures {

  private Fixtures() {}

  /** An MLP with ReLU between the given layer widths (the input width is inferred). */
  public static SequentialBlock mlp(int... units) {
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < units.length; i++) {
      block.add(Linear.builder().setUnits(units[i]).build());
      if (i < units.length - 1) {
        block.add(Activation::relu);
      }
    }
    return block;
  }

  /** The digits, shuffled once with a fixed seed, split 1,437 / 360. */
  public static ArrayDataset[] digits(NDManager manager, int batchSize) {
    LabeledData all = LabeledData.digits().shuffled(7);
    return new ArrayDataset[] {
      all.rows(0, 1437).toDataset(manager, batchSize),
      all.rows(1437, all.size()).toDataset(manager, batchSize)
    };
  }

  /** DJL's built-in SGD with momentum and a fixed learning rate. */
  public static Optimizer sgd(float lr) {
    return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).optMomentum(0.9f).build();
  }
}
