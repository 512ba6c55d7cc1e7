package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * Adadelta with PyTorch's semantics ({@code lr} scales the step, default 1.0; {@code rho} decays
 * both running averages; L2 weight decay).
 */
final class Adadelta extends ScheduledOptimizer {

  private final double rho;
  private final double eps;

  private Adadelta(Common common, double rho, double eps) {
    super(common);
    this.rho = rho;
    this.eps = eps;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1.0, 0.0);
    double rho = r.params().optionalDouble("rho", 0.9);
    r.params().check("rho", rho, rho >= 0 && rho <= 1, "in [0, 1]");
    double eps = r.nonNegative("eps", 1e-6);
    r.done();
    return new Adadelta(common, rho, eps);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    NDArray squareAvg = slot.array("square_avg", NDArray::zerosLike, weight);
    NDArray accDelta = slot.array("acc_delta", NDArray::zerosLike, weight);
    NDArray g = WeightDecay.l2(grad, weight, step.weightDecay());
    squareAvg.muli(rho).addi(g.square().muli(1 - rho));
    NDArray std = squareAvg.add(eps).sqrt();
    NDArray delta = accDelta.add(eps).sqrt().divi(std).muli(g);
    accDelta.muli(rho).addi(delta.square().muli(1 - rho));
    weight.subi(delta.muli(step.lr()));
  }
}
