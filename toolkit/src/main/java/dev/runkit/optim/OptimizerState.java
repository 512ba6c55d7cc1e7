package dev.runkit.optim;

/**
 * A snapshot of an optimizer's state (moments, accumulators, step counters per parameter), detached
 * from native memory and serialisable for checkpoints. Implemented in the optimizer work; this
 * placeholder only fixes the name other packages refer to.
 */
public final class OptimizerState {
  private OptimizerState() {}
}
