package dev.runkit.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A block's parameter values to and from a checkpoint's tensors. */
final class ParameterValues {

  private static final Logger LOG = LoggerFactory.getLogger(ParameterValues.class);

  private ParameterValues() {}

  /** Copies every parameter of a block (trainable or not) out of native memory, by name. */
  static Map<String, Checkpoint.Tensor> of(Block block) {
    Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();
    for (var pair : block.getParameters()) {
      NDArray a = pair.getValue().getArray();
      params.put(
          pair.getKey(),
          new Checkpoint.Tensor(a.getDataType().name(), a.getShape().getShape(), a.toByteArray()));
    }
    return params;
  }

  /**
   * Loads a checkpoint's parameters into a block.
   *
   * @param block the block
   * @param c the checkpoint
   * @param strict true to require the same names, shapes and types (resume); false to load those
   *     that match and skip the rest (fine-tuning)
   * @param file the checkpoint's file, for messages
   * @throws IllegalArgumentException when strict and the checkpoint belongs to another model
   */
  static void load(Block block, Checkpoint c, boolean strict, Path file) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (var pair : block.getParameters()) {
      arrays.put(pair.getKey(), pair.getValue().getArray());
    }
    if (strict && !arrays.keySet().equals(c.parameters().keySet())) {
      List<String> missing = new ArrayList<>(arrays.keySet());
      missing.removeAll(c.parameters().keySet());
      List<String> extra = new ArrayList<>(c.parameters().keySet());
      extra.removeAll(arrays.keySet());
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " does not belong to this model: parameters missing from it "
              + missing
              + ", unknown to the model "
              + extra);
    }
    List<String> loaded = new ArrayList<>();
    for (Map.Entry<String, Checkpoint.Tensor> e : c.parameters().entrySet()) {
      NDArray target = arrays.get(e.getKey());
      if (target == null) {
        continue;
      }
      Checkpoint.Tensor t = e.getValue();
      if (!target.getShape().equals(new Shape(t.shape()))
          || !target.getDataType().name().equals(t.dataType())) {
        if (strict) {
          throw new IllegalArgumentException(
              "checkpoint "
                  + file
                  + " does not belong to this model: parameter "
                  + e.getKey()
                  + " is "
                  + t.dataType()
                  + new Shape(t.shape())
                  + " there, "
                  + target.getDataType().name()
                  + target.getShape()
                  + " in the model");
        }
        continue;
      }
      set(target, t);
      loaded.add(e.getKey());
    }
    if (!strict) {
      LOG.info(
          "fine-tuning from {}: loaded {} of {} parameters", file, loaded.size(), arrays.size());
    }
  }

  /** Writes values into an array in place (keeps its gradient attachment, unlike DJL's load). */
  static void set(NDArray target, Checkpoint.Tensor t) {
    ByteBuffer bytes = ByteBuffer.wrap(t.data()).order(ByteOrder.nativeOrder());
    switch (target.getDataType()) {
      case FLOAT32 -> {
        float[] v = new float[t.data().length / 4];
        bytes.asFloatBuffer().get(v);
        target.set(v);
      }
      case FLOAT64 -> {
        double[] v = new double[t.data().length / 8];
        bytes.asDoubleBuffer().get(v);
        target.set(v);
      }
      case INT32 -> {
        int[] v = new int[t.data().length / 4];
        bytes.asIntBuffer().get(v);
        target.set(v);
      }
      case INT64 -> {
        long[] v = new long[t.data().length / 8];
        bytes.asLongBuffer().get(v);
        target.set(v);
      }
      default ->
          throw new IllegalArgumentException(
              "cannot restore a parameter of type " + target.getDataType());
    }
  }
}
