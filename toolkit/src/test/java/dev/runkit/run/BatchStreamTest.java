package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchStreamTest {

  private static ArrayDataset rows(NDManager manager, int n) {
    float[] ids = new float[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return new ArrayDataset.Builder()
        .setData(manager.create(ids))
        .optLabels(manager.create(ids))
        .setSampling(4, false)
        .build();
  }

  private static List<Float> draw(BatchStream stream, int batches) {
    List<Float> seen = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      try (Batch batch = stream.next()) {
        for (float f : batch.getData().head().toFloatArray()) {
          seen.add(f);
        }
      }
    }
    return seen;
  }

  @Test
  void next_onePass_visitsEachRowOnceDroppingThePartialBatch() {
    try (NDManager manager = NDManager.newBaseManager();
        BatchStream stream = new BatchStream(rows(manager, 10), 4, 1, manager)) {
      assertThat(stream.batchesPerEpoch()).isEqualTo(2);
      List<Float> pass = draw(stream, 2);
      assertThat(pass).hasSize(8).doesNotHaveDuplicates();
      List<Float> next = draw(stream, 2);
      assertThat(stream.epoch()).isEqualTo(1);
      assertThat(next).isNotEqualTo(pass);
    }
  }

  @Test
  void seek_savedPosition_continuesExactly() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ArrayDataset data = rows(manager, 10);
      List<Float> later;
      long epoch;
      long batch;
      try (BatchStream a = new BatchStream(data, 4, 5, manager)) {
        draw(a, 3);
        epoch = a.epoch();
        batch = a.batchInEpoch();
        later = draw(a, 4);
      }
      try (BatchStream b = new BatchStream(data, 4, 5, manager)) {
        b.seek(epoch, batch);
        assertThat(draw(b, 4)).isEqualTo(later);
      }
    }
  }

  @Test
  void permutation_sameSeedAndEpoch_isSameAndOthersDiffer() {
    long[] a = BatchStream.permutation(100, 3, 0);
    assertThat(BatchStream.permutation(100, 3, 0)).isEqualTo(a);
    assertThat(BatchStream.permutation(100, 3, 1)).isNotEqualTo(a);
    assertThat(BatchStream.permutation(100, 4, 0)).isNotEqualTo(a);
    long[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
  }

  @Test
  void constructor_fewerRowsThanABatch_throws() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> new BatchStream(rows(manager, 3), 4, 1, manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "training data has 3 rows, fewer than one batch of 4; lower batchSize or add data");
    }
  }
}
