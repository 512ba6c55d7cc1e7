package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.modality.cv.transform.OneHot;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Pipeline;
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

  /** Two data arrays and two label arrays of four types; row i holds values made from i. */
  private static ArrayDataset.Builder mixed(NDManager manager, int n) {
    float[] images = new float[n * 6];
    int[] ids = new int[n];
    double[] targets = new double[n];
    long[] classes = new long[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 6; k++) {
        images[i * 6 + k] = i + k / 10f;
      }
      ids[i] = i;
      targets[i] = -i * 0.5;
      classes[i] = 1000L * i;
    }
    return new ArrayDataset.Builder()
        .setData(manager.create(images, new Shape(n, 2, 3)), manager.create(ids))
        .optLabels(manager.create(targets), manager.create(classes))
        .setSampling(4, false);
  }

  @Test
  void next_inMemoryArrayDataset_copiesTheRowsDjlReadsForTheSameOrder() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ArrayDataset plain = mixed(manager, 11).build();
      // a subclass is read by DJL, as any dataset that is not an ArrayDataset itself
      ArrayDataset throughDjl = new ArrayDataset(mixed(manager, 11)) {};
      assertThat(HostBatches.of(plain)).isNotNull();
      assertThat(HostBatches.of(throughDjl)).isNull();
      try (BatchStream host = new BatchStream(plain, 4, 9, manager);
          BatchStream djl = new BatchStream(throughDjl, 4, 9, manager)) {
        Batch[] previous = null;
        // 7 batches, over three epoch boundaries; each compared after the next one is made, as the
        // loop closes a batch one iteration late
        for (int b = 0; b <= 7; b++) {
          Batch[] pair = b < 7 ? new Batch[] {host.next(), djl.next()} : null;
          if (previous != null) {
            assertSameArrays(previous[0].getData(), previous[1].getData());
            assertSameArrays(previous[0].getLabels(), previous[1].getLabels());
            assertThat(previous[0].getSize()).isEqualTo(4);
            previous[0].close();
            previous[1].close();
          }
          previous = pair;
        }
      }
    }
  }

  private static void assertSameArrays(NDList mine, NDList theirs) {
    assertThat(mine).hasSameSizeAs(theirs);
    for (int a = 0; a < mine.size(); a++) {
      assertThat(mine.get(a).getDataType()).isEqualTo(theirs.get(a).getDataType());
      assertThat(mine.get(a).getShape()).isEqualTo(theirs.get(a).getShape());
      assertThat(mine.get(a).toByteBuffer()).isEqualTo(theirs.get(a).toByteBuffer());
    }
  }

  @Test
  void next_arraysCutFromLargerOnes_copiesTheirOwnRows() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray big = manager.arange(0f, 300f).reshape(100, 3);
      NDArray rows = big.get("40:60");
      NDArray reshaped = manager.arange(0f, 600f).reshape(20, 30).get("5:15").reshape(10, 5, 6);
      ArrayDataset.Builder cut =
          new ArrayDataset.Builder()
              .setData(rows.get("0:10"), reshaped)
              .optLabels(big.get(":, 1").get("70:80"))
              .setSampling(3, false);
      ArrayDataset plain = cut.build();
      ArrayDataset throughDjl = new ArrayDataset(cut) {};
      assertThat(HostBatches.of(plain)).isNotNull();
      try (BatchStream host = new BatchStream(plain, 3, 4, manager);
          BatchStream djl = new BatchStream(throughDjl, 3, 4, manager)) {
        for (int b = 0; b < 5; b++) {
          try (Batch mine = host.next();
              Batch theirs = djl.next()) {
            assertSameArrays(mine.getData(), theirs.getData());
            assertSameArrays(mine.getLabels(), theirs.getLabels());
          }
        }
      }
    }
  }

  @Test
  void next_runManagerOnAGpu_batchesStayInCpuMemory() {
    // the manager of a run on a GPU; no array is made on it here, so no GPU is needed
    try (NDManager manager = NDManager.newBaseManager();
        NDManager gpuRun = NDManager.newBaseManager(Device.gpu());
        BatchStream stream = new BatchStream(mixed(manager, 8).build(), 4, 1, gpuRun);
        Batch batch = stream.next()) {
      assertThat(batch.getManager().getDevice()).isEqualTo(Device.cpu());
      assertThat(batch.getData().head().getDevice()).isEqualTo(Device.cpu());
      assertThat(batch.getLabels().head().toType(DataType.FLOAT64, false).toDoubleArray())
          .hasSize(4);
    }
  }

  @Test
  void hostBatches_datasetWithATransform_isLeftToDjl() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ArrayDataset transformed =
          mixed(manager, 8).optPipeline(new Pipeline(new OneHot(10))).build();
      assertThat(HostBatches.of(transformed)).isNull();
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
