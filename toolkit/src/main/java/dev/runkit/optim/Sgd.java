package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * Stochastic gradient descent with PyTorch's semantics: momentum (the first step's buffer is the
 * gradient itself), dampening, Nesterov momentum and L2 weight decay added to the gradient.
 *
 * <p>Plain momentum keeps its buffer scaled by the last non-zero learning rate, {@code
 * momentum_buffer = -lr * torch_buffer} (scale in {@code momentum_scale}), so that MXNet's fused
 * {@code sgd_mom_update} computes PyTorch's update exactly even when a schedule changes the rate.
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
        weight.subi(decayed(grad, weight, wd).mul(lr));
      }
      return;
    }
    if (nesterov) {
      NDArray buf = slot.array("momentum_buffer", NDArray::zerosLike, weight);
      // MXNet's nag_mom_update scales its buffer by lr and reads the already-updated weight for
      // weight decay, so Nesterov stays on NDArray operations
      NDArray g = decayed(grad, weight, wd);
      buf.muli(m).addi(g);
      weight.subi(g.add(buf.mul(m)).muli(lr));
      return;
    }
    NDArray mom = slot.array("momentum_buffer", NDArray::zerosLike, weight);
    boolean first = step.number() == 1;
    double scale = slot.scalar("momentum_scale", 0.0);
    double keep = first ? 1.0 : 1.0 - dampening;
    if (lr == 0) {
      // no weight change; keep the buffer in its scaled form
      double s = first ? 1.0 : scale;
      NDArray g = decayed(grad, weight, wd).mul(keep * s);
      mom.muli(first ? 0.0 : m).subi(g);
      slot.putScalar("momentum_scale", s);
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
      NDArray g = decayed(grad, weight, wd).mul(keep * lr);
      mom.muli(carried).subi(g);
      weight.addi(mom);
    }
    slot.putScalar("momentum_scale", lr);
  }

  /** Returns {@code grad + wd * weight} (a new array), or a copy-free view when wd is 0. */
  static NDArray decayed(NDArray grad, NDArray weight, double wd) {
    return wd == 0 ? grad : grad.add(weight.mul(wd));
  }
}
