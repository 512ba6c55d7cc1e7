package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * Adamax with PyTorch's semantics: exponentially weighted infinity norm {@code max(beta2 u, |g| +
 * eps)}, bias-corrected step {@code lr / (1 - beta1^t)}, L2 weight decay.
 */
final class Adamax extends ScheduledOptimizer {

  private final double beta1;
  private final double beta2;
  private final double eps;

  private Adamax(Common common, double beta1, double beta2, double eps) {
    super(common);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(2e-3, 0.0);
    double[] betas = r.betas(0.9, 0.999);
    double eps = r.nonNegative("eps", 1e-8);
    r.done();
    return new Adamax(common, betas[0], betas[1], eps);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    double b1 = step.momentum().orElse(beta1);
    NDArray m = slot.array("exp_avg", NDArray::zerosLike, weight);
    NDArray u = slot.array("exp_inf", NDArray::zerosLike, weight);
    NDArray g = WeightDecay.l2(grad, weight, step.weightDecay());
    m.muli(b1).addi(g.mul(1 - b1));
    u.muli(beta2).maximum(g.abs().addi(eps)).copyTo(u);
    double clr = step.lr() / (1 - Math.pow(b1, step.number()));
    weight.subi(m.div(u).muli(clr));
  }
}
