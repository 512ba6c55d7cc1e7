package dev.runkit.run;

import ai.djl.training.optimizer.Optimizer;
import dev.runkit.optim.OptimizerState;
import dev.runkit.optim.ScheduledOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an optimizer's state in and out of checkpoints: RunKit optimizers export every moment and
 * step counter (which is also the schedule position); DJL's built-in ones cannot, so a resumed run
 * restarts their moments, and a warning says so once.
 */
final class OptimizerStates {

  private static final Logger LOG = LoggerFactory.getLogger(OptimizerStates.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** An optimizer's type and encoded state. */
  record Encoded(String type, byte[] bytes) {}

  private OptimizerStates() {}

  static String type(Optimizer optimizer) {
    return optimizer instanceof ScheduledOptimizer so ? so.type() : optimizer.getClass().getName();
  }

  static Encoded export(Optimizer optimizer) {
    if (optimizer instanceof ScheduledOptimizer so) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        so.exportState().write(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Encoded(so.type(), bytes.toByteArray());
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "optimizer {} cannot export its state: checkpoints hold no optimizer state and a resumed"
              + " run restarts its moments; use a RunKit optimizer (Optimizers.sgd(), adamW(), ...)"
              + " for exact resume",
          optimizer.getClass().getName());
    }
    return new Encoded(optimizer.getClass().getName(), new byte[0]);
  }

  /** Checks, before anything is restored, that a checkpoint's state fits the optimizer. */
  static void check(Optimizer optimizer, String type, Path file) {
    if (!type(optimizer).equalsIgnoreCase(type)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " holds the state of optimizer "
              + type
              + "; this run uses "
              + type(optimizer));
    }
  }

  static void restore(Optimizer optimizer, byte[] bytes, Path file) {
    if (optimizer instanceof ScheduledOptimizer so) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        so.importState(OptimizerState.read(in));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "checkpoint " + file + " is corrupt: unreadable optimizer state (" + e + ")", e);
      }
    }
  }
}
