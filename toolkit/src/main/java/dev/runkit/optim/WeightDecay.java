package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/** Weight decay as PyTorch applies it: L2 (added to the gradient) or decoupled (AdamW). */
final class WeightDecay {

  private WeightDecay() {}

  /** Returns {@code grad + wd * weight} (a new array), or the gradient itself when wd is 0. */
  static NDArray l2(NDArray grad, NDArray weight, double wd) {
    return wd == 0 ? grad : grad.add(weight.mul(wd));
  }

  /**
   * Applies weight decay before an update: decoupled shrinks the weight in place by {@code lr * wd}
   * and returns the gradient unchanged; otherwise returns the L2-decayed gradient.
   */
  static NDArray apply(NDArray grad, NDArray weight, double lr, double wd, boolean decoupled) {
    if (!decoupled) {
      return l2(grad, weight, wd);
    }
    if (wd != 0) {
      weight.muli(1 - lr * wd);
    }
    return grad;
  }
}
