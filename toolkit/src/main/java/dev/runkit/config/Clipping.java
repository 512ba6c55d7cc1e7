package dev.runkit.config;

import ai.djl.ndarray.NDArray;
import dev.runkit.optim.GradientClipping;
import dev.runkit.run.GradientClip;
import java.util.List;

/**
 * Adapts the optimizer package's {@link GradientClipping} to the runner's {@link GradientClip}
 * hook. The norm it returns is closed one step late: closing an array waits for it to be computed,
 * which would put a host synchronisation into every step.
 */
public final class Clipping implements GradientClip {

  private final GradientClipping clipping;
  private NDArray previousNorm;

  private Clipping(GradientClipping clipping) {
    this.clipping = clipping;
  }

  /**
   * Wraps a clipping for {@link dev.runkit.Runner#gradientClip(GradientClip)}.
   *
   * @param clipping the clipping
   * @return the hook
   */
  public static Clipping of(GradientClipping clipping) {
    return new Clipping(clipping);
  }

  @Override
  public void clip(List<NDArray> gradients) {
    NDArray norm = clipping.apply(gradients);
    if (previousNorm != null) {
      previousNorm.close();
    }
    previousNorm = norm;
  }
}
