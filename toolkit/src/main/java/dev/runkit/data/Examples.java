package dev.runkit.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;

/** Rows of examples held on the Java heap, from which a DJL dataset is made when a run starts. */
public interface Examples {

  /**
   * Returns the number of examples.
   *
   * @return the row count
   */
  int size();

  /**
   * Makes a DJL dataset of these examples.
   *
   * @param manager the manager that owns the arrays
   * @param batchSize the batch size the dataset reports
   * @return the dataset
   */
  ArrayDataset toDataset(NDManager manager, int batchSize);
}
