package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;

/** Reads datasets for checking and evaluation: in order, keeping a partial last batch. */
final class OrderedBatches {

  private OrderedBatches() {}

  /**
   * Returns the batch size a dataset was built with ({@code setSampling(batchSize, ...)}), or 0
   * when it says none. DJL keeps the sampler protected; reading it spares users from giving the
   * batch size twice.
   */
  static int batchSizeOf(RandomAccessDataset dataset) {
    try {
      Field field = RandomAccessDataset.class.getDeclaredField("sampler");
      field.setAccessible(true);
      Sampler sampler = (Sampler) field.get(dataset);
      return sampler == null ? 0 : sampler.getBatchSize();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Iterates a dataset in order, so that evaluation is deterministic.
   *
   * @param dataset the data
   * @param into the manager the batches are made on
   * @param batchSize the batch size, unless the dataset was built with its own
   * @return the batches
   */
  static Iterable<Batch> of(Dataset dataset, NDManager into, int batchSize) {
    try {
      if (dataset instanceof RandomAccessDataset r) {
        int own = batchSizeOf(r);
        int size = own > 0 ? own : batchSize;
        long n = r.size();
        Sampler inOrder =
            new Sampler() {
              @Override
              public Iterator<List<Long>> sample(RandomAccessDataset ignored) {
                return LongStream.range(0, (n + size - 1) / size)
                    .mapToObj(
                        b ->
                            LongStream.range(b * size, Math.min(n, (b + 1) * size))
                                .boxed()
                                .toList())
                    .iterator();
              }

              @Override
              public int getBatchSize() {
                return size;
              }
            };
        return r.getData(into, inOrder);
      }
      return dataset.getData(into);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read data: " + e.getMessage(), e);
    } catch (TranslateException e) {
      throw new IllegalStateException("cannot prepare data: " + e.getMessage(), e);
    }
  }

  /**
   * Returns a dataset's first batch.
   *
   * @throws IllegalArgumentException if it has none
   */
  static Batch first(Dataset dataset, NDManager into, int batchSize, String what) {
    Iterator<Batch> it = of(dataset, into, batchSize).iterator();
    if (!it.hasNext()) {
      throw new IllegalArgumentException(what + " data is empty (no batch)");
    }
    return it.next();
  }
}
