package dev.runkit.run;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Changes the gradients of all parameters together before an update (clipping by global norm, by
 * value, ...), in place; the optimizer package provides the implementations.
 */
@FunctionalInterface
public interface GradientClip {

  /**
   * Clips the gradients in place.
   *
   * @param gradients one gradient per trainable parameter, in a fixed order
   */
  void clip(List<NDArray> gradients);
}
