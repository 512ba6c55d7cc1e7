package dev.runkit.run;

import ai.djl.training.optimizer.Optimizer;
import dev.runkit.optim.BuiltInOptimizers;
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
 * step counter (which is also the schedule position), DJL's built-in ones theirs through {@link
 * BuiltInOptimizers}; any other optimizer cannot, so a resumed run restarts its moments, and a
 * warning says so once.
 */
final class OptimizerStates {

  private static final Logger LOG = LoggerFactory.getLogger(OptimizerStates.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final AtomicBoolean WARNED_RESTORE = new AtomicBoolean();

  /** An optimizer's type and encoded state. */
  record Encoded(String type, byte[] bytes) {}

  private OptimizerStates() {}

  static String type(Optimizer optimizer) {
    return optimizer instanceof ScheduledOptimizer so ? so.type() : optimizer.getClass().getName();
  }

  static Encoded export(Optimizer optimizer) {
    OptimizerState state;
    try {
      state =
          optimizer instanceof ScheduledOptimizer so
              ? so.exportState()
              : BuiltInOptimizers.exportState(optimizer);
    } catch (UnsupportedOperationException e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.warn(
            "{}: checkpoints hold no optimizer state and a resumed run restarts its moments; use a"
                + " RunKit optimizer (Optimizers.sgd(), adamW(), ...) or one of DJL's built-in"
                + " ones for exact resume",
            e.getMessage());
      }
      return new Encoded(type(optimizer), new byte[0]);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      state.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(type(optimizer), bytes.toByteArray());
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
    if (bytes.length == 0) {
      if (WARNED_RESTORE.compareAndSet(false, true)) {
        LOG.warn(
            "checkpoint {} holds no optimizer state (its optimizer could not export it): the"
                + " resumed run restarts the moments of {}",
            file,
            type(optimizer));
      }
      return;
    }
    OptimizerState state;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      state = OptimizerState.read(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "checkpoint " + file + " is corrupt: unreadable optimizer state (" + e + ")", e);
    }
    try {
      if (optimizer instanceof ScheduledOptimizer so) {
        so.importState(state);
      } else {
        BuiltInOptimizers.importState(optimizer, state);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "checkpoint " + file + " does not fit this run's optimizer: " + e.getMessage(), e);
    } catch (UnsupportedOperationException e) {
      // e.g. resumed under a DJL whose optimizers keep their state elsewhere: as for no state
      LOG.warn(
          "checkpoint {} holds optimizer state this run cannot restore ({}): the resumed run"
              + " restarts the moments of {}",
          file,
          e.getMessage(),
          type(optimizer));
    }
  }
}
