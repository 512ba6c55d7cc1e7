package dev.runkit.schedule;

/**
 * A PyTorch family that can be stepped inside {@code ChainedScheduler} and {@code SequentialLR}: it
 * knows PyTorch's chainable (recursive) form, i.e. how one {@code scheduler.step()} changes the
 * learning rate it finds in the optimizer.
 */
interface Chainable extends Schedule {

  /**
   * Returns the learning rate after this family's step number {@code step} when the optimizer held
   * {@code found} before it (step 0 is the step PyTorch makes in the constructor).
   */
  double chain(long step, double found);
}
