package dev.runkit.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lamb as EasyTorch / BasicTS ship it (timm's lamb.py): the gradients of all parameters are first
 * divided by {@code max(global_norm / max_grad_norm, 1)}, then Adam moments (optionally without
 * bias correction or gradient averaging), L2-style decay added to the update, and the layer-wise
 * trust ratio {@code |w| / |update|} (clipped at 1 with {@code trust_clip}) for parameters with
 * weight decay, or all with {@code always_adapt}. {@code max_grad_norm: 0} turns the pre-clipping
 * off.
 *
 * <p>The global norm needs every gradient before the first update: call {@link #beginStep(List)}
 * once per step (the runner does).
 */
final class Lamb extends ScheduledOptimizer {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final boolean biasCorrection;
  private final boolean gradAveraging;
  private final double maxGradNorm;
  private final boolean trustClip;
  private final boolean alwaysAdapt;
  private final Map<String, Long> used = new HashMap<>();
  private NDArray divisor;
  private long round;

  private Lamb(
      Common common,
      double beta1,
      double beta2,
      double eps,
      boolean biasCorrection,
      boolean gradAveraging,
      double maxGradNorm,
      boolean trustClip,
      boolean alwaysAdapt) {
    super(common);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.biasCorrection = biasCorrection;
    this.gradAveraging = gradAveraging;
    this.maxGradNorm = maxGradNorm;
    this.trustClip = trustClip;
    this.alwaysAdapt = alwaysAdapt;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1e-3, 0.01);
    double[] betas = r.betas(0.9, 0.999);
    double eps = r.nonNegative("eps", 1e-6);
    boolean biasCorrection = r.params().optionalBoolean("bias_correction", true);
    boolean gradAveraging = r.params().optionalBoolean("grad_averaging", true);
    double maxGradNorm = r.nonNegative("max_grad_norm", 1.0);
    boolean trustClip = r.params().optionalBoolean("trust_clip", false);
    boolean alwaysAdapt = r.params().optionalBoolean("always_adapt", false);
    r.done();
    return new Lamb(
        common,
        betas[0],
        betas[1],
        eps,
        biasCorrection,
        gradAveraging,
        maxGradNorm,
        trustClip,
        alwaysAdapt);
  }

  @Override
  public void beginStep(List<NDArray> gradients) {
    if (maxGradNorm == 0 || gradients.isEmpty()) {
      return;
    }
    if (divisor != null) {
      divisor.close();
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray sum = null;
      for (NDArray g : gradients) {
        NDArray part = g.square().sum();
        sum = sum == null ? part : sum.add(part);
      }
      NDArray norm = sum.sqrt();
      // timm: where(norm > max, norm / max, 1) == max(norm / max, 1)
      divisor = norm.div(maxGradNorm).maximum(1.0);
      NDScope.unregister(divisor);
    }
    round++;
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    NDArray g = grad;
    if (maxGradNorm > 0) {
      Long last = used.put(slot.name(), round);
      if (divisor == null || (last != null && last == round)) {
        throw new IllegalStateException(
            "Lamb with max_grad_norm "
                + maxGradNorm
                + " needs beginStep(gradients) before each step's updates (parameter \""
                + slot.name()
                + "\"); set max_grad_norm to 0 to turn the global pre-clipping off");
      }
      g = grad.div(divisor);
    }
    double b1 = step.momentum().orElse(beta1);
    long n = step.number();
    double bc1 = biasCorrection ? 1 - Math.pow(b1, n) : 1.0;
    double bc2 = biasCorrection ? 1 - Math.pow(beta2, n) : 1.0;
    double beta3 = gradAveraging ? 1 - b1 : 1.0;
    NDArray m = slot.array("exp_avg", NDArray::zerosLike, weight);
    NDArray v = slot.array("exp_avg_sq", NDArray::zerosLike, weight);
    m.muli(b1).addi(g.mul(beta3));
    v.muli(beta2).addi(g.square().muli(1 - beta2));
    NDArray denom = v.sqrt().divi(Math.sqrt(bc2)).addi(eps);
    NDArray update = m.div(bc1).divi(denom);
    double wd = step.weightDecay();
    if (wd != 0) {
      update.addi(weight.mul(wd));
    }
    if (wd != 0 || alwaysAdapt) {
      NDArray wNorm = weight.square().sum().sqrt();
      NDArray uNorm = update.square().sum().sqrt();
      NDArray one = wNorm.onesLike();
      NDArray ratio = NDArrays.where(wNorm.gt(0).logicalAnd(uNorm.gt(0)), wNorm.div(uNorm), one);
      if (trustClip) {
        ratio = ratio.minimum(1.0);
      }
      update.muli(ratio);
    }
    weight.subi(update.muli(step.lr()));
  }
}
