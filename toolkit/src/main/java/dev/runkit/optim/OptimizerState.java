package dev.runkit.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of an optimizer's state (moments, accumulators, step counters per parameter), detached
 * from native memory and serialisable for checkpoints.
 *
 * <pre>{@code
 * OptimizerState saved = optimizer.exportState();
 * saved.write(out);                                  // into a checkpoint
 * fresh.importState(OptimizerState.read(in));        // exact resume
 * }</pre>
 */
public final class OptimizerState {

  private static final int MAGIC = 0x524b4f53; // "RKOS"
  private static final int VERSION = 1;

  private final String type;
  private final Map<String, ParamState> params;

  /**
   * Makes a snapshot.
   *
   * @param type the registered optimizer name the state belongs to
   * @param params the state per parameter name, copied
   */
  public OptimizerState(String type, Map<String, ParamState> params) {
    this.type = Objects.requireNonNull(type, "type");
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Returns the registered name of the optimizer that exported this state.
   *
   * @return the optimizer type
   */
  public String type() {
    return type;
  }

  /**
   * Returns the state per parameter name, in the order parameters were first updated.
   *
   * @return an unmodifiable map
   */
  public Map<String, ParamState> params() {
    return params;
  }

  /**
   * Writes the snapshot in RunKit's binary checkpoint format.
   *
   * @param out the stream
   * @throws IOException if writing fails
   */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(type);
    out.writeInt(params.size());
    for (Map.Entry<String, ParamState> e : params.entrySet()) {
      out.writeUTF(e.getKey());
      ParamState p = e.getValue();
      out.writeLong(p.step());
      out.writeInt(p.scalars().size());
      for (Map.Entry<String, Double> s : p.scalars().entrySet()) {
        out.writeUTF(s.getKey());
        out.writeDouble(s.getValue());
      }
      out.writeInt(p.arrays().size());
      for (Map.Entry<String, HostArray> a : p.arrays().entrySet()) {
        out.writeUTF(a.getKey());
        HostArray h = a.getValue();
        out.writeBoolean(h.float64());
        out.writeInt(h.shape().length);
        for (long d : h.shape()) {
          out.writeLong(d);
        }
        out.writeInt(h.values().length);
        for (double v : h.values()) {
          if (h.float64()) {
            out.writeDouble(v);
          } else {
            out.writeFloat((float) v);
          }
        }
      }
    }
  }

  /**
   * Reads a snapshot written by {@link #write(DataOutputStream)}.
   *
   * @param in the stream
   * @return the snapshot
   * @throws IOException if reading fails or the data is not an optimizer state
   */
  public static OptimizerState read(DataInputStream in) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException(
          "Not a RunKit optimizer state: magic 0x"
              + Integer.toHexString(magic)
              + ", expected 0x"
              + Integer.toHexString(MAGIC));
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException(
          "Unsupported optimizer state version " + version + "; expected " + VERSION);
    }
    String type = in.readUTF();
    int count = in.readInt();
    Map<String, ParamState> params = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      long step = in.readLong();
      int scalarCount = in.readInt();
      Map<String, Double> scalars = new LinkedHashMap<>();
      for (int s = 0; s < scalarCount; s++) {
        scalars.put(in.readUTF(), in.readDouble());
      }
      int arrayCount = in.readInt();
      Map<String, HostArray> arrays = new LinkedHashMap<>();
      for (int a = 0; a < arrayCount; a++) {
        String arrayName = in.readUTF();
        boolean float64 = in.readBoolean();
        long[] shape = new long[in.readInt()];
        for (int d = 0; d < shape.length; d++) {
          shape[d] = in.readLong();
        }
        double[] values = new double[in.readInt()];
        for (int v = 0; v < values.length; v++) {
          values[v] = float64 ? in.readDouble() : in.readFloat();
        }
        arrays.put(arrayName, new HostArray(shape, float64, values));
      }
      params.put(name, new ParamState(step, scalars, arrays));
    }
    return new OptimizerState(type, params);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OptimizerState other
        && type.equals(other.type)
        && params.equals(other.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, params);
  }

  @Override
  public String toString() {
    return "OptimizerState[" + type + ", " + params.keySet() + "]";
  }

  /**
   * The state of one parameter: its step counter (PyTorch's {@code state["step"]}), scalar state
   * (such as NAdam's {@code mu_product}) and named arrays (moments, accumulators).
   *
   * @param step the number of updates this parameter has had
   * @param scalars named scalars, copied
   * @param arrays named arrays, copied
   */
  public record ParamState(long step, Map<String, Double> scalars, Map<String, HostArray> arrays) {

    /** Copies the maps so the record stays immutable. */
    public ParamState {
      scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
      arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }
  }

  /**
   * An array copied to the host: its shape, whether it is float64 (else float32), and its values in
   * row-major order (float32 values are held exactly as doubles).
   *
   * @param shape the shape
   * @param float64 true for float64, false for float32
   * @param values the values, row-major
   */
  public record HostArray(long[] shape, boolean float64, double[] values) {

    /** Copies the arrays so the record stays immutable. */
    public HostArray {
      shape = shape.clone();
      values = values.clone();
    }

    /**
     * Copies an array to the host, waiting for it to be computed; float64 stays float64, every
     * other type is held as float32.
     *
     * @param array the array
     * @return its copy
     */
    public static HostArray of(NDArray array) {
      long[] shape = array.getShape().getShape();
      if (array.getDataType() == DataType.FLOAT64) {
        return new HostArray(shape, true, array.toDoubleArray());
      }
      float[] f = array.toType(DataType.FLOAT32, false).toFloatArray();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return new HostArray(shape, false, d);
    }

    /**
     * Creates a native array holding these values, of type float64 or float32.
     *
     * @param manager the manager that will own the array (and fixes its device)
     * @return the new array
     */
    public NDArray toArray(NDManager manager) {
      if (float64) {
        return manager.create(values, new Shape(shape));
      }
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return manager.create(f, new Shape(shape));
    }

    /**
     * Returns the shape.
     *
     * @return a copy of the dimensions
     */
    @Override
    public long[] shape() {
      return shape.clone();
    }

    /**
     * Returns the values in row-major order.
     *
     * @return a copy of the values
     */
    @Override
    public double[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HostArray other
          && float64 == other.float64
          && Arrays.equals(shape, other.shape)
          && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values) + (float64 ? 1 : 0);
    }

    @Override
    public String toString() {
      return (float64 ? "float64" : "float32") + Arrays.toString(shape);
    }
  }
}
