package dev.runkit.optim;

import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxOpParams;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * MXNet's fused update kernels, used where their arithmetic equals PyTorch's (after adjusting
 * hyper-parameters). They take hyper-parameters as float32, so they serve float32 weights only;
 * float64 weights take the exact NDArray path.
 */
final class Fused {

  /**
   * Whether fused kernels are used at all; system property {@code runkit.optim.fused=false} turns
   * them off (to compare both paths in benchmarks and tests).
   */
  static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("runkit.optim.fused", "true"));

  private Fused() {}

  /**
   * Tells whether the fused kernels can update this weight.
   *
   * @param weight the weight
   * @param grad its gradient
   * @return true for float32 MXNet arrays
   */
  static boolean available(NDArray weight, NDArray grad) {
    return ENABLED
        && weight.getManager() instanceof MxNDManager
        && weight.getDataType() == DataType.FLOAT32
        && grad.getDataType() == DataType.FLOAT32;
  }

  /**
   * Runs an MXNet operator that updates {@code weight} in place (and its state inputs).
   *
   * @param op the operator name
   * @param inputs weight, gradient and state arrays, in the operator's order
   * @param weight the output, the weight itself
   * @param params the operator's parameters
   */
  static void invoke(String op, NDArray[] inputs, NDArray weight, MxOpParams params) {
    ((MxNDManager) weight.getManager()).invoke(op, inputs, new NDArray[] {weight}, params);
  }

  /**
   * Makes parameters from name/value pairs.
   *
   * @param pairs name, value, name, value, ...
   * @return the parameters
   */
  static MxOpParams params(Object... pairs) {
    MxOpParams params = new MxOpParams();
    for (int i = 0; i < pairs.length; i += 2) {
      Object v = pairs[i + 1];
      String key = (String) pairs[i];
      if (v instanceof Boolean b) {
        params.addParam(key, b.booleanValue());
      } else {
        // MXNet reads update hyper-parameters as float32
        params.addParam(key, ((Number) v).floatValue());
      }
    }
    return params;
  }
}
