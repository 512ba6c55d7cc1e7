package dev.runkit.optim;

import ai.djl.training.optimizer.Optimizer;
import dev.runkit.schedule.Schedule;

/**
 * A DJL optimizer of RunKit's whose learning rate (and, for schedules that cycle it, momentum or
 * beta1) comes from a {@link Schedule}, and whose whole state can be exported and restored for
 * exact resume.
 *
 * <p>Contract for implementations (package {@code optim}): {@code update} changes the weight in
 * place; each parameter keeps its own step counter (as PyTorch's {@code state["step"]}), and update
 * number {@code n} of a parameter uses {@code schedule().lr(n - 1)}.
 */
public abstract class ScheduledOptimizer extends Optimizer {

  /**
   * Creates the optimizer from a DJL builder (which carries DJL's own clip/rescale settings).
   *
   * @param builder the DJL builder
   */
  protected ScheduledOptimizer(OptimizerBuilder<?> builder) {
    super(builder);
  }

  /**
   * Returns the base learning rate, the one schedules are bound to.
   *
   * @return the learning rate given to the builder
   */
  public abstract double baseLr();

  /**
   * Returns the schedule in force (a constant one unless a schedule was attached).
   *
   * @return the schedule
   */
  public abstract Schedule schedule();

  /**
   * Returns a fresh optimizer (no state) with the same settings and another schedule.
   *
   * @param schedule the schedule to follow
   * @return the new optimizer
   */
  public abstract ScheduledOptimizer withSchedule(Schedule schedule);

  /**
   * Exports every moment, accumulator and step counter, keyed by parameter name.
   *
   * @return a snapshot detached from native memory
   */
  public abstract OptimizerState exportState();

  /**
   * Restores state exported by {@link #exportState()}, replacing any state held now.
   *
   * @param state the snapshot
   * @throws IllegalArgumentException if the snapshot belongs to another optimizer type
   */
  public abstract void importState(OptimizerState state);
}
