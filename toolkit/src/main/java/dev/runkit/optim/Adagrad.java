package dev.runkit.optim;

import ai.djl.ndarray.NDArray;

/**
 * Adagrad with PyTorch's semantics: accumulated squared gradients starting at {@code
 * initial_accumulator_value}, learning rate decayed as {@code lr / (1 + (step - 1) lr_decay)},
 * {@code eps} added to the square root, L2 weight decay.
 */
final class Adagrad extends ScheduledOptimizer {

  private final double lrDecay;
  private final double initialAccumulator;
  private final double eps;

  private Adagrad(Common common, double lrDecay, double initialAccumulator, double eps) {
    super(common);
    this.lrDecay = lrDecay;
    this.initialAccumulator = initialAccumulator;
    this.eps = eps;
  }

  static ScheduledOptimizer create(Optimizers.Reader r) {
    Common common = r.common(1e-2, 0.0);
    double lrDecay = r.nonNegative("lr_decay", 0.0);
    double initial = r.nonNegative("initial_accumulator_value", 0.0);
    double eps = r.nonNegative("eps", 1e-10);
    r.done();
    return new Adagrad(common, lrDecay, initial, eps);
  }

  @Override
  protected void apply(Slot slot, NDArray weight, NDArray grad, Step step) {
    NDArray sum = slot.array("sum", w -> w.zerosLike().addi(initialAccumulator), weight);
    NDArray g = WeightDecay.l2(grad, weight, step.weightDecay());
    double clr = step.lr() / (1 + (step.number() - 1) * lrDecay);
    sum.addi(g.square());
    weight.subi(g.div(sum.sqrt().addi(eps)).muli(clr));
  }
}
