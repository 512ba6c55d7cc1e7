package dev.runkit.run;

import ai.djl.Device;
import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.mxnet.jna.LibUtils;
import ai.djl.mxnet.jna.MxnetLibrary;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.Batchifier;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Training batches of an in-memory DJL {@link ArrayDataset}, copied by the Java thread.
 *
 * <p>DJL's own batch reading ({@code ArrayDataset.getByIndices}) copies each batch's row numbers
 * from Java into a new MXNet array, and MXNet makes such a copy wait until every operation queued
 * before it has run: the loop cannot queue the next step while the engine computes this one. The
 * rows are then gathered by an operation on the engine's compute thread, which is what bounds a CPU
 * training step.
 *
 * <p>Here the Java thread, which otherwise waits, copies each batch's rows from the data set's
 * memory straight into the memory of a new array. No queued operation can refer to an array that is
 * being made, so nothing waits, and the engine receives a ready batch. The batches hold the same
 * rows in the same order as DJL's.
 *
 * <p>Only a dataset of the class {@code ArrayDataset} itself, without transforms or a device of its
 * own, whose arrays are dense MXNet arrays in CPU memory (each under 2 GiB), is read this way;
 * other datasets go through DJL.
 */
final class HostBatches {

  private final HostRows[] data;
  private final HostRows[] labels;
  private final Batchifier dataBatchifier;
  private final Batchifier labelBatchifier;

  private HostBatches(
      HostRows[] data, HostRows[] labels, Batchifier dataBatchifier, Batchifier labelBatchifier) {
    this.data = data;
    this.labels = labels;
    this.dataBatchifier = dataBatchifier;
    this.labelBatchifier = labelBatchifier;
  }

  /** Batches of {@code dataset} copied by the Java thread, or null if it cannot be read so. */
  static HostBatches of(RandomAccessDataset dataset) {
    if (dataset.getClass() != ArrayDataset.class) {
      return null;
    }
    try {
      if (field(RandomAccessDataset.class, "pipeline", dataset) != null
          || field(RandomAccessDataset.class, "targetPipeline", dataset) != null
          || field(RandomAccessDataset.class, "device", dataset) != null) {
        return null;
      }
      HostRows[] data = rows((NDArray[]) field(ArrayDataset.class, "data", dataset));
      HostRows[] labels = rows((NDArray[]) field(ArrayDataset.class, "labels", dataset));
      if (data == null || labels == null) {
        return null;
      }
      return new HostBatches(
          data,
          labels,
          (Batchifier) field(RandomAccessDataset.class, "dataBatchifier", dataset),
          (Batchifier) field(RandomAccessDataset.class, "labelBatchifier", dataset));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // another DJL version: its own reading is correct, only slower
      return null;
    }
  }

  private static Object field(Class<?> owner, String name, Object target)
      throws ReflectiveOperationException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }

  /** A host view of each array, or null if any cannot be read from the host. */
  private static HostRows[] rows(NDArray[] arrays) {
    if (arrays == null) {
      return null;
    }
    HostRows[] out = new HostRows[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      out[a] = HostRows.of(arrays[a]);
      if (out[a] == null) {
        return null;
      }
    }
    return out;
  }

  /**
   * Batches {@code first} to {@code end - 1} of an epoch whose rows come in {@code order}; each
   * batch's arrays are in CPU memory, on a sub-manager of {@code manager} closed with the batch.
   */
  Iterator<Batch> batches(NDManager manager, long[] order, long first, long end, int batchSize) {
    return new Iterator<>() {
      private long next = first;

      @Override
      public boolean hasNext() {
        return next < end;
      }

      @Override
      public Batch next() {
        if (next >= end) {
          throw new NoSuchElementException();
        }
        int start = Math.toIntExact(next++ * batchSize);
        // in CPU memory even when the run's manager is on a GPU: the loop copies them there
        NDManager batchManager = manager.newSubManager(Device.cpu());
        return new Batch(
            batchManager,
            gather(data, batchManager, order, start, batchSize),
            gather(labels, batchManager, order, start, batchSize),
            batchSize,
            dataBatchifier,
            labelBatchifier,
            0,
            0);
      }
    };
  }

  private static NDList gather(
      HostRows[] arrays, NDManager manager, long[] order, int start, int count) {
    NDList out = new NDList(arrays.length);
    for (HostRows rows : arrays) {
      out.add(rows.gather(manager, order, start, count));
    }
    return out;
  }

  /** The address of an array's first element; MXNet does not wait for the engine here. */
  private static Pointer address(MxNDArray array) {
    PointerByReference ref = new PointerByReference();
    if (Native.LIBRARY.MXNDArrayGetData(array.getHandle(), ref) != 0) {
      return null;
    }
    return ref.getValue();
  }

  /** MXNet's C functions, bound on first use. */
  private static final class Native {
    static final MxnetLibrary LIBRARY = LibUtils.loadLibrary();
  }

  /** The memory of one data set array in CPU memory, read row by row. */
  private static final class HostRows {

    private final DataType dataType;
    private final ByteBuffer memory;
    private final int rowBytes;
    private final Shape rowShape;

    private HostRows(DataType dataType, ByteBuffer memory, int rowBytes, Shape rowShape) {
      this.dataType = dataType;
      this.memory = memory;
      this.rowBytes = rowBytes;
      this.rowShape = rowShape;
    }

    static HostRows of(NDArray array) {
      if (!(array instanceof MxNDArray mx)
          || array.isSparse()
          || !array.getDevice().equals(Device.cpu())
          || array.getShape().dimension() == 0
          || array.getShape().get(0) == 0) {
        return null;
      }
      long bytes = array.size() * array.getDataType().getNumOfBytes();
      if (bytes == 0 || bytes > Integer.MAX_VALUE) {
        return null;
      }
      // computed once; afterwards the data set is only read
      mx.waitToRead();
      Pointer at = address(mx);
      if (at == null) {
        return null;
      }
      Shape shape = array.getShape();
      return new HostRows(
          array.getDataType(),
          at.getByteBuffer(0, bytes),
          Math.toIntExact(bytes / shape.get(0)),
          shape.slice(1));
    }

    /**
     * Copies rows {@code order[start .. start + count)} into a new array. The new array's memory is
     * its own from the moment it is made, and no operation refers to it before it is returned.
     */
    NDArray gather(NDManager manager, long[] order, int start, int count) {
      NDArray out = manager.create(new Shape(count).addAll(rowShape), dataType);
      Pointer at = address((MxNDArray) out);
      if (at == null) {
        throw new IllegalStateException("MXNet gave no memory for a new batch array");
      }
      ByteBuffer target = at.getByteBuffer(0, (long) count * rowBytes);
      for (int i = 0; i < count; i++) {
        target.put(i * rowBytes, memory, Math.toIntExact(order[start + i] * rowBytes), rowBytes);
      }
      return out;
    }
  }
}
