package dev.runkit.run;

import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves an optimizer's state in and out of checkpoints. */
final class OptimizerStates {

  private static final Logger LOG = LoggerFactory.getLogger(OptimizerStates.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** An optimizer's type and encoded state. */
  record Encoded(String type, byte[] bytes) {}

  private OptimizerStates() {}

  static Encoded export(Optimizer optimizer) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "optimizer {} cannot export its state: checkpoints hold no optimizer state and a resumed"
              + " run restarts its moments; use a RunKit optimizer (Optimizers.sgd(), adamW(), ...)"
              + " for exact resume",
          optimizer.getClass().getName());
    }
    return new Encoded(optimizer.getClass().getName(), new byte[0]);
  }

  static void check(Optimizer optimizer, String type, Path file) {
    if (!optimizer.getClass().getName().equals(type)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " holds state of optimizer "
              + type
              + "; this run uses "
              + optimizer.getClass().getName());
    }
  }

  static void restore(Optimizer optimizer, String type, byte[] bytes) {
    // nothing to restore for optimizers that cannot export their state
  }
}
