package dev.runkit.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's callbacks, called in order at each hook. The hooks of a run in progress let an
 * exception through (it ends the run as failed); those of a run that is ending keep going.
 */
final class Callbacks {

  private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

  private final List<Callback> list;

  Callbacks(List<Callback> callbacks) {
    this.list = List.copyOf(callbacks);
  }

  void onStart(RunContext context) {
    for (Callback c : list) {
      c.onStart(context);
    }
  }

  void onIterationStart(RunContext context) {
    for (Callback c : list) {
      c.onIterationStart(context);
    }
  }

  void onIterationEnd(RunContext context) {
    for (Callback c : list) {
      c.onIterationEnd(context);
    }
  }

  void onValidationEnd(RunContext context, Map<String, Double> values) {
    for (Callback c : list) {
      c.onValidationEnd(context, values);
    }
  }

  void onCheckpoint(RunContext context, Path file, CheckpointKind kind) {
    for (Callback c : list) {
      c.onCheckpoint(context, file, kind);
    }
  }

  /** Tells every callback of the failure; their own failures are added to it as suppressed. */
  void onException(RunContext context, Throwable error) {
    for (Callback c : list) {
      try {
        c.onException(context, error);
      } catch (RuntimeException e) {
        error.addSuppressed(e);
      }
    }
  }

  /** Tells every callback that the run ended; a failing one is logged, not thrown. */
  void onEnd(RunContext context, StopReason reason) {
    for (Callback c : list) {
      try {
        c.onEnd(context, reason);
      } catch (RuntimeException e) {
        LOG.warn("callback {} failed in onEnd", c.name(), e);
      }
    }
  }

  /** Returns each callback's state by its name, for a checkpoint. */
  Map<String, Map<String, String>> save() {
    Map<String, Map<String, String>> states = new LinkedHashMap<>();
    for (Callback c : list) {
      states.put(c.name(), Map.copyOf(c.state()));
    }
    return states;
  }

  /** Hands each callback the state a checkpoint saved under its name (empty when none). */
  void restore(Map<String, Map<String, String>> states) {
    for (Callback c : list) {
      c.restore(states.getOrDefault(c.name(), Map.of()));
    }
  }
}
