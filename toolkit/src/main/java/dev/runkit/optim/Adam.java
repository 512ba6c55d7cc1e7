package dev.runkit.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adam and AdamW with PyTorch's semantics: bias-corrected moments, {@code eps} added to the
 * bias-corrected square root, optional AMSGrad (maximum of the second moments), weight decay added
 * to the gradient (Adam) or applied to the weight as {@code w *= 1 - lr * wd} (AdamW).
 *
 * <p>Float32 weights without AMSGrad use MXNet's fused {@code adam_update} / {@code _adamw_update}
 * with the bias corrections folded into the learning rate and epsilon, which is PyTorch's formula
 * exactly: {@code lr sqrt(bc2)/bc1 * m / (sqrt(v) + eps sqrt(bc2)) = lr/bc1 * m /
 * (sqrt(v)/sqrt(bc2) + eps)}. MXNet forms {@code 1 - beta} in float32 where PyTorch rounds {@code 1
 * - beta} once; the fused moments therefore carry constant factors {@code (1 - (float) beta) /
 * (float) (1 - beta)} (about {@code 1 - 1.3e-5} for beta2 = 0.999), folded back into lr and eps so
 * the weights match PyTorch; exported float32 moments hold those factors.
 */
final class Adam extends ScheduledOptimizer {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final boolean amsgrad;
  private final boolean decoupled;

  Adam(Common common, double beta1, double beta2, double eps, boolean amsgrad, boolean decoupled) {
    super(common);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.amsgrad = amsgrad;
    this.decoupled = decoupled;
  }

  static ScheduledOptimizer adam(Optimizers.Reader r) {
    return create(r, 0.0, false, List.of());
  }

  static ScheduledOptimizer adamW(Optimizers.Reader r) {
    return create(r, 1e-2, true, List.of());
  }

  /** AdamW as nanoGPT configures it: no weight decay on parameters with fewer than 2 dims. */
  static ScheduledOptimizer nanoGpt(Optimizers.Reader r) {
    return create(r, 1e-2, true, List.of(ParamGroup.maxDims(1).weightDecay(0.0)));
  }

  private static ScheduledOptimizer create(
      Optimizers.Reader r, double defaultDecay, boolean decoupled, List<ParamGroup> extraGroups) {
    Common common = r.common(1e-3, defaultDecay, extraGroups);
    double[] betas = r.betas(0.9, 0.999);
    double eps = r.nonNegative("eps", 1e-8);
    boolean amsgrad = r.params().optionalBoolean("amsgrad", false);
    r.done();
    return new Adam(common, betas[0], betas[1], eps, amsgrad, decoupled);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    double lr = step.lr();
    double wd = step.weightDecay();
    double b1 = step.momentum().orElse(beta1);
    long n = step.number();
    double bc1 = 1 - Math.pow(b1, n);
    double bc2 = 1 - Math.pow(beta2, n);
    double bc2Sqrt = Math.sqrt(bc2);
    NDArray m = slot.array("exp_avg", NDArray::zerosLike, weight);
    NDArray v = slot.array("exp_avg_sq", NDArray::zerosLike, weight);
    if (!amsgrad && Fused.available(weight, grad)) {
      if (decoupled) {
        NDArray rescale = slot.scratch("rescale_grad", w -> w.getManager().create(1f), weight);
        fused(
            "_adamw_update",
            new NDArray[] {weight, grad, m, v, rescale},
            lr * bc2Sqrt / bc1,
            b1,
            beta2,
            eps * bc2Sqrt,
            "wd",
            lr * wd,
            "eta",
            1.0);
      } else {
        fused(
            "adam_update",
            new NDArray[] {weight, grad, m, v},
            lr * bc2Sqrt / bc1,
            b1,
            beta2,
            eps * bc2Sqrt,
            "wd",
            wd,
            "rescale_grad",
            1.0);
      }
      return;
    }
    NDArray g = WeightDecay.apply(grad, weight, lr, wd, decoupled);
    updateMoments(m, v, g, b1, beta2);
    NDArray second = v;
    if (amsgrad) {
      NDArray vmax = slot.array("max_exp_avg_sq", NDArray::zerosLike, weight);
      vmax.maximum(v).copyTo(vmax);
      second = vmax;
    }
    NDArray denom = second.sqrt().divi(bc2Sqrt).addi(eps);
    weight.subi(m.div(denom).muli(lr / bc1));
  }

  /**
   * PyTorch's moment updates, in place: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2)
   * g²}.
   */
  static void updateMoments(NDArray m, NDArray v, NDArray g, double b1, double b2) {
    m.muli(b1).addi(g.mul(1 - b1));
    v.muli(b2).addi(g.square().muli(1 - b2));
  }

  /**
   * Runs MXNet's fused {@code adam_update} or {@code _adamw_update} (which do no bias correction)
   * on the weight, the first input, given the step size and eps of PyTorch's update.
   *
   * @param op the operator
   * @param inputs weight, gradient, first and second moment, then any extra operator inputs
   * @param lr the step size, bias correction included
   * @param b1 the first moment's decay
   * @param b2 the second moment's decay
   * @param eps the denominator's eps, bias correction included
   * @param more the operator's other parameters, as name/value pairs (gradient clipping is off)
   */
  static void fused(
      String op, NDArray[] inputs, double lr, double b1, double b2, double eps, Object... more) {
    // MXNet forms 1 - beta in float32 from the float32 beta, PyTorch rounds 1 - beta to float32;
    // the moments then differ by constant factors, folded back into lr and eps here.
    double r1 = floatComplement(b1);
    double r2 = floatComplement(b2);
    List<Object> pairs =
        new ArrayList<>(
            List.of(
                "lr",
                lr / r1 * Math.sqrt(r2),
                "beta1",
                b1,
                "beta2",
                b2,
                "epsilon",
                eps * Math.sqrt(r2)));
    pairs.addAll(Arrays.asList(more));
    pairs.addAll(List.of("clip_gradient", -1.0));
    Fused.invoke(op, inputs, inputs[0], Fused.params(pairs.toArray()));
  }

  /** Ratio of MXNet's float32 {@code 1 - (float) beta} to PyTorch's {@code (float) (1 - beta)}. */
  static double floatComplement(double beta) {
    return (1.0 - (double) (float) beta) / (double) (float) (1.0 - beta);
  }
}
