package dev.runkit.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;

/**
 * Forecasting examples: each row is {@code window} past values (inputs) and the {@code horizon}
 * values that follow (targets, NaN where missing).
 *
 * @param inputs the inputs, row-major, {@code size * window} values
 * @param targets the targets, row-major, {@code size * horizon} values
 * @param window input steps per example
 * @param horizon target steps per example
 */
public record Windows(float[] inputs, float[] targets, int window, int horizon)
    implements Examples {

  /**
   * Checks that inputs and targets describe the same number of rows.
   *
   * @throws IllegalArgumentException if the sizes disagree
   */
  public Windows {
    if (window < 1
        || horizon < 1
        || inputs.length % window != 0
        || inputs.length / window * horizon != targets.length) {
      throw new IllegalArgumentException(
          "inputs and targets must hold whole windows: "
              + inputs.length
              + " inputs / "
              + window
              + ", "
              + targets.length
              + " targets / "
              + horizon);
    }
  }

  /**
   * Returns the number of windows.
   *
   * @return the row count
   */
  @Override
  public int size() {
    return inputs.length / window;
  }

  /**
   * Makes a DJL dataset: data of shape {@code (rows, window, 1)}, labels of shape {@code (rows,
   * horizon)}, both float32.
   *
   * @param manager the manager that owns the arrays
   * @param batchSize the batch size the dataset reports
   * @return the dataset
   */
  @Override
  public ArrayDataset toDataset(NDManager manager, int batchSize) {
    return new ArrayDataset.Builder()
        .setData(manager.create(inputs, new Shape(size(), window, 1)))
        .optLabels(manager.create(targets, new Shape(size(), horizon)))
        .setSampling(batchSize, false)
        .build();
  }
}
