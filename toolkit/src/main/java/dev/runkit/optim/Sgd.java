package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * Stochastic gradient descent with PyTorch's semantics: momentum (the first step's buffer is the
 * gradient itself), dampening, Nesterov momentum and L2 weight decay added to the gradient.
 *
 * <p>Momentum (plain and Nesterov) keeps its buffer scaled by the last non-zero learning rate,
 * {@code momentum_buffer = -lr * torch_buffer} (scale in {@code momentum_scale}), so that MXNet's
 * fused {@code sgd_mom_update} / {@code nag_mom_update} compute PyTorch's update even when a
 * schedule changes the rate.
 */
final class Sgd extends ScheduledOptimizer {

  private final double momentum;
  private final double dampening;
  private final boolean nesterov;

  Sgd(Common common, double momentum, double dampening, boolean nesterov) {
    super(common);
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1e-3, 0.0);
    double momentum = r.nonNegative("momentum", 0.0);
    double dampening = r.nonNegative("dampening", 0.0);
    boolean nesterov = r.params().optionalBoolean("nesterov", false);
    r.done();
    r.crossCheck(
        !nesterov || (momentum > 0 && dampening == 0),
        r.params().path("nesterov")
            + " needs momentum > 0 and dampening = 0, got momentum "
            + momentum
            + " and dampening "
            + dampening);
    return new Sgd(common, momentum, dampening, nesterov);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    double lr = step.lr();
    double wd = step.weightDecay();
    double m = step.momentum().orElse(momentum);
    boolean fused = Fused.available(weight, grad);

    if (momentum == 0 && m == 0) {
      if (fused) {
        Fused.invoke(
            "sgd_update",
            new NDArray[] {weight, grad},
            weight,
            Fused.params("lr", lr, "wd", wd, "rescale_grad", 1.0, "clip_gradient", -1.0));
      } else {
        weight.subi(WeightDecay.l2(grad, weight, wd).mul(lr));
      }
      return;
    }
    NDArray mom = slot.array("momentum_buffer", NDArray::zerosLike, weight);
    boolean first = step.number() == 1;
    double scale = slot.scalar("momentum_scale", 0.0);
    double keep = first ? 1.0 : 1.0 - dampening;
    if (lr == 0) {
      // no weight change; keep the buffer in its scaled form
      double s = first ? 1.0 : scale;
      NDArray g = WeightDecay.l2(grad, weight, wd).mul(keep * s);
      mom.muli(first ? 0.0 : m).subi(g);
      slot.putScalar("momentum_scale", s);
      return;
    }
    if (nesterov) {
      nesterov(mom, weight, grad, lr, wd, m, first ? lr : scale, fused);
      slot.putScalar("momentum_scale", lr);
      return;
    }
    double carried = first ? 0.0 : m * lr / scale;
    if (fused) {
      Fused.invoke(
          "sgd_mom_update",
          new NDArray[] {weight, grad, mom},
          weight,
          Fused.params(
              "lr",
              lr,
              "momentum",
              carried,
              "wd",
              wd * keep,
              "rescale_grad",
              keep,
              "clip_gradient",
              -1.0));
    } else {
      NDArray g = WeightDecay.l2(grad, weight, wd).mul(keep * lr);
      mom.muli(carried).subi(g);
      weight.addi(mom);
    }
    slot.putScalar("momentum_scale", lr);
  }

  /**
   * Nesterov step on the scaled buffer {@code mom = -lr * torch_buffer}: MXNet's {@code
   * nag_mom_update} computes {@code mom = m mom - lr g; w += m mom - lr g}, PyTorch's update when
   * the buffer is first rescaled to the current lr and weight decay is added to the gradient
   * beforehand (the kernel would read the already-updated weight for it).
   */
  private static void nesterov(
      NDArray mom,
      NDArray weight,
      NDArray grad,
      double lr,
      double wd,
      double m,
      double scale,
      boolean fused) {
    NDArray g = WeightDecay.l2(grad, weight, wd);
    if (fused) {
      if (scale != lr) {
        mom.muli(lr / scale);
      }
      Fused.invoke(
          "nag_mom_update",
          new NDArray[] {weight, g, mom},
          weight,
          Fused.params(
              "lr", lr, "momentum", m, "wd", 0.0, "rescale_grad", 1.0, "clip_gradient", -1.0));
    } else {
      mom.muli(m * lr / scale).subi(g.mul(lr));
      weight.addi(mom.mul(m)).subi(g.mul(lr));
    }
  }
}
