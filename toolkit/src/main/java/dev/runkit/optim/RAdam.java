package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * RAdam with PyTorch's semantics: the variance rectification term when the approximated SMA length
 * exceeds 5, plain bias-corrected momentum before; L2 or decoupled weight decay. Rectified steps of
 * float32 weights run on MXNet's fused {@code adam_update}.
 */
final class RAdam extends ScheduledOptimizer {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final boolean decoupled;

  private RAdam(Common common, double beta1, double beta2, double eps, boolean decoupled) {
    super(common);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.decoupled = decoupled;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1e-3, 0.0);
    double[] betas = r.betas(0.9, 0.999);
    double eps = r.nonNegative("eps", 1e-8);
    boolean decoupled = r.params().optionalBoolean("decoupled_weight_decay", false);
    r.done();
    return new RAdam(common, betas[0], betas[1], eps, decoupled);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    double lr = step.lr();
    double wd = step.weightDecay();
    double b1 = step.momentum().orElse(beta1);
    long n = step.number();
    NDArray m = slot.array("exp_avg", NDArray::zerosLike, weight);
    NDArray v = slot.array("exp_avg_sq", NDArray::zerosLike, weight);
    double bc1 = 1 - Math.pow(b1, n);
    double bc2 = 1 - Math.pow(beta2, n);
    double rhoInf = 2 / (1 - beta2) - 1;
    double rhoT = rhoInf - 2 * n * Math.pow(beta2, n) / bc2;
    if (rhoT > 5 && Fused.available(weight, grad)) {
      // rectified steps are Adam steps with eps outside the bias correction: MXNet's adam_update
      // with the rectification and corrections folded into lr (see Adam for the float32 factors)
      double rect =
          Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      if (decoupled && wd != 0) {
        weight.muli(1 - lr * wd);
      }
      Adam.fused(
          "adam_update",
          new NDArray[] {weight, grad, m, v},
          lr * rect * Math.sqrt(bc2) / bc1,
          b1,
          beta2,
          eps,
          "wd",
          decoupled ? 0.0 : wd,
          "rescale_grad",
          1.0);
      return;
    }
    NDArray g = WeightDecay.apply(grad, weight, lr, wd, decoupled);
    Adam.updateMoments(m, v, g, b1, beta2);
    if (rhoT > 5) {
      double rect =
          Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      NDArray adaptive = v.sqrt().addi(eps);
      weight.subi(m.div(adaptive).muli(lr * rect * Math.sqrt(bc2) / bc1));
    } else {
      weight.subi(m.mul(lr / bc1));
    }
  }
}
