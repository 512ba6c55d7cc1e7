package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): decoupled weight decay,
 * a step of {@code lr * sign(beta1 m + (1 - beta1) g)}, then {@code m = beta2 m + (1 - beta2) g}.
 * Defaults as lion-pytorch and timm: lr 1e-4, betas (0.9, 0.99), no weight decay.
 */
final class Lion extends ScheduledOptimizer {

  private final double beta1;
  private final double beta2;

  private Lion(Common common, double beta1, double beta2) {
    super(common);
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1e-4, 0.0);
    double[] betas = r.betas(0.9, 0.99);
    r.done();
    return new Lion(common, betas[0], betas[1]);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    double lr = step.lr();
    double b1 = step.momentum().orElse(beta1);
    NDArray m = slot.array("exp_avg", NDArray::zerosLike, weight);
    if (step.weightDecay() != 0) {
      weight.muli(1 - lr * step.weightDecay());
    }
    NDArray direction = m.mul(b1).addi(grad.mul(1 - b1)).sign();
    weight.subi(direction.muli(lr));
    m.muli(beta2).addi(grad.mul(1 - beta2));
  }
}
