package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * NAdam with current PyTorch's formula: momentum schedule {@code mu_t = beta1 (1 - 0.5 * 0.96^(t
 * momentum_decay))}, running product {@code mu_product} (per parameter), and {@code mu_product_next
 * = mu_product * mu_next} (torch 1.13 multiplied {@code mu} in twice); L2 or decoupled weight
 * decay.
 */
final class NAdam extends ScheduledOptimizer {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double momentumDecay;
  private final boolean decoupled;

  private NAdam(
      Common common,
      double beta1,
      double beta2,
      double eps,
      double momentumDecay,
      boolean decoupled) {
    super(common);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.momentumDecay = momentumDecay;
    this.decoupled = decoupled;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(2e-3, 0.0);
    double[] betas = r.betas(0.9, 0.999);
    double eps = r.nonNegative("eps", 1e-8);
    double momentumDecay = r.nonNegative("momentum_decay", 4e-3);
    boolean decoupled = r.params().optionalBoolean("decoupled_weight_decay", false);
    r.done();
    return new NAdam(common, betas[0], betas[1], eps, momentumDecay, decoupled);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    double lr = step.lr();
    double wd = step.weightDecay();
    double b1 = step.momentum().orElse(beta1);
    long n = step.number();
    NDArray m = slot.array("exp_avg", NDArray::zerosLike, weight);
    NDArray v = slot.array("exp_avg_sq", NDArray::zerosLike, weight);
    NDArray g = WeightDecay.apply(grad, weight, lr, wd, decoupled);
    double bc2 = 1 - Math.pow(beta2, n);
    double mu = b1 * (1 - 0.5 * Math.pow(0.96, n * momentumDecay));
    double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (n + 1) * momentumDecay));
    double muProduct = slot.scalar("mu_product", 1.0) * mu;
    slot.putScalar("mu_product", muProduct);
    double muProductNext = muProduct * muNext;
    Adam.updateMoments(m, v, g, b1, beta2);
    NDArray denom = v.div(bc2).sqrt().addi(eps);
    weight.subi(g.div(denom).muli(lr * (1 - mu) / (1 - muProduct)));
    weight.subi(m.div(denom).muli(lr * muNext / (1 - muProductNext)));
  }
}
