package dev.runkit;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/**
 * The one message for a model or block whose memory has been freed: DJL's own words ("NDManager has
 * been closed already", "Native resource has been released already") surface from deep inside a
 * forward pass and blame whatever was being checked at the time.
 */
final class ClosedModels {

  private ClosedModels() {}

  /**
   * Checks that a model is open and that its block's parameters (if any yet) are not freed.
   *
   * @param model the model
   * @param what what was called, e.g. {@code fit} or {@code predict}
   * @throws IllegalArgumentException if the model or its parameters were freed
   */
  static void requireOpen(Model model, String what) {
    if (!model.getNDManager().isOpen()) {
      throw new IllegalArgumentException(
          what
              + ": the model was closed (result.model().close() frees it) and cannot train or"
              + " predict; build the model again, and close a model only when done with it");
    }
    if (model.getBlock() != null) {
      requireOpen(model.getBlock(), what);
    }
  }

  /**
   * Checks that a block's parameters (if initialized) have not been freed with a closed model.
   *
   * @param block the block
   * @param what what was called
   * @throws IllegalArgumentException if they were
   */
  static void requireOpen(Block block, String what) {
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      if (p.isInitialized() && p.getArray().isReleased()) {
        throw new IllegalArgumentException(
            what
                + ": the block's parameters were freed when the model holding them was closed"
                + " (result.model().close()); build the block again, and close a model only when"
                + " done with it");
      }
    }
  }
}
