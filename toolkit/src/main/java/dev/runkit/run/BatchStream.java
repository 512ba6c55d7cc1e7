package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless stream of training batches: each pass (epoch) visits the rows in a new order drawn
 * from the seed and the epoch number, and a partial last batch is dropped so every update sees the
 * same batch size. The position (epoch, batch within it) is all that is needed to continue the
 * stream exactly after a restart.
 */
final class BatchStream implements AutoCloseable {

  private final RandomAccessDataset dataset;
  private final NDManager manager;
  private final int batchSize;
  private final long seed;
  private final long batchesPerEpoch;
  private final HostBatches inMemory;

  private long epoch;
  private long batchInEpoch;
  private Iterator<Batch> current;
  private NDManager epochManager;
  private NDManager previousEpochManager;

  BatchStream(RandomAccessDataset dataset, int batchSize, long seed, NDManager manager) {
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.seed = seed;
    this.manager = manager;
    this.batchesPerEpoch = dataset.size() / batchSize;
    this.inMemory = HostBatches.of(dataset);
    if (batchesPerEpoch == 0) {
      throw new IllegalArgumentException(
          "training data has "
              + dataset.size()
              + " rows, fewer than one batch of "
              + batchSize
              + "; lower batchSize or add data");
    }
  }

  long batchesPerEpoch() {
    return batchesPerEpoch;
  }

  long epoch() {
    return epoch;
  }

  long batchInEpoch() {
    return batchInEpoch;
  }

  /** Moves to a saved position; the next batch is batch {@code batchInEpoch} of {@code epoch}. */
  void seek(long epoch, long batchInEpoch) {
    this.epoch = epoch;
    this.batchInEpoch = batchInEpoch;
    this.current = null;
  }

  /** Returns the next batch; the caller closes it. */
  Batch next() {
    if (batchInEpoch == batchesPerEpoch) {
      epoch++;
      batchInEpoch = 0;
      current = null;
    }
    if (current == null) {
      open();
    }
    batchInEpoch++;
    return current.next();
  }

  private void open() {
    // the manager of the epoch before last is closed here: its last batch (closed one iteration
    // late by the loop) is gone by now, and closing per epoch keeps the manager tree flat
    if (previousEpochManager != null) {
      previousEpochManager.close();
    }
    previousEpochManager = epochManager;
    epochManager = manager.newSubManager();
    long[] order = permutation(dataset.size(), seed, epoch);
    if (inMemory != null) {
      current = inMemory.batches(epochManager, order, batchInEpoch, batchesPerEpoch, batchSize);
      return;
    }
    List<List<Long>> batches = new ArrayList<>();
    for (long b = batchInEpoch; b < batchesPerEpoch; b++) {
      List<Long> indices = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        indices.add(order[(int) (b * batchSize + i)]);
      }
      batches.add(indices);
    }
    Sampler sampler =
        new Sampler() {
          @Override
          public Iterator<List<Long>> sample(RandomAccessDataset ignored) {
            return batches.iterator();
          }

          @Override
          public int getBatchSize() {
            return batchSize;
          }
        };
    try {
      current = dataset.getData(epochManager, sampler).iterator();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read training data", e);
    } catch (TranslateException e) {
      throw new IllegalStateException("cannot prepare training data: " + e.getMessage(), e);
    }
  }

  /** Fisher-Yates with a generator seeded by (seed, epoch), so any epoch can be re-drawn alone. */
  static long[] permutation(long size, long seed, long epoch) {
    long[] order = new long[Math.toIntExact(size)];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  @Override
  public void close() {
    if (previousEpochManager != null) {
      previousEpochManager.close();
    }
    if (epochManager != null) {
      epochManager.close();
    }
  }
}
