package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * RMSprop with PyTorch's semantics: {@code eps} added after the square root (MXNet adds it inside,
 * so its fused kernel is not used), optional centering by the running mean gradient, optional
 * momentum buffer, L2 weight decay.
 */
final class RmsProp extends ScheduledOptimizer {

  private final double alpha;
  private final double eps;
  private final double momentum;
  private final boolean centered;

  private RmsProp(Common common, double alpha, double eps, double momentum, boolean centered) {
    super(common);
    this.alpha = alpha;
    this.eps = eps;
    this.momentum = momentum;
    this.centered = centered;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1e-2, 0.0);
    double alpha = r.params().optionalDouble("alpha", 0.99);
    r.params().check("alpha", alpha, alpha >= 0 && alpha <= 1, "in [0, 1]");
    double eps = r.nonNegative("eps", 1e-8);
    double momentum = r.nonNegative("momentum", 0.0);
    boolean centered = r.params().optionalBoolean("centered", false);
    r.done();
    return new RmsProp(common, alpha, eps, momentum, centered);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    NDArray squareAvg = slot.array("square_avg", NDArray::zerosLike, weight);
    NDArray g = WeightDecay.l2(grad, weight, step.weightDecay());
    squareAvg.muli(alpha).addi(g.square().muli(1 - alpha));
    NDArray avg;
    if (centered) {
      NDArray gradAvg = slot.array("grad_avg", NDArray::zerosLike, weight);
      gradAvg.muli(alpha).addi(g.mul(1 - alpha));
      avg = squareAvg.sub(gradAvg.square()).sqrt();
    } else {
      avg = squareAvg.sqrt();
    }
    avg.addi(eps);
    if (momentum > 0) {
      double m = step.momentum().orElse(momentum);
      NDArray buf = slot.array("momentum_buffer", NDArray::zerosLike, weight);
      buf.muli(m).addi(g.div(avg));
      weight.subi(buf.mul(step.lr()));
    } else {
      weight.subi(g.div(avg).muli(step.lr()));
    }
  }
}
