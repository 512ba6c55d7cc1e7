package dev.runkit.model;

import ai.djl.training.loss.Loss;
import dev.runkit.data.DataInfo;
import dev.runkit.registry.Registry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Training losses by name, as a config's {@code TRAIN.LOSS} gives them (BasicTS and PyTorch names
 * both accepted).
 */
public final class Losses {

  private static final Registry<Supplier<Loss>> REGISTRY =
      new Registry<Supplier<Loss>>("loss")
          .register("cross_entropy", Loss::softmaxCrossEntropyLoss)
          .register("CrossEntropyLoss", Loss::softmaxCrossEntropyLoss)
          .register("masked_mae", MaskedLoss::mae)
          .register("L1Loss", MaskedLoss::mae)
          .register("masked_mse", MaskedLoss::mse)
          .register("MSELoss", MaskedLoss::mse);

  private Losses() {}

  /**
   * Makes a loss by name.
   *
   * @param name a registered name, any case
   * @param keyPath where the name was written, for messages
   * @return a new loss
   * @throws IllegalArgumentException for an unknown name, with the nearest one
   */
  public static Loss build(String name, String keyPath) {
    return REGISTRY.get(name, keyPath).get();
  }

  /**
   * Tells whether a loss is meant for classification (else regression / forecasting).
   *
   * @param name a registered name
   * @return true for the cross-entropy losses
   */
  public static boolean isClassification(String name) {
    return REGISTRY
        .canonicalName(name, "loss")
        .toLowerCase(java.util.Locale.ROOT)
        .contains("cross");
  }

  /**
   * Returns the default loss name of a task: cross-entropy for classification, mean squared error
   * (L2) for regression, masked MAE for forecasting (as BasicTS).
   *
   * @param task the task
   * @return the loss name
   */
  public static String defaultFor(DataInfo.Task task) {
    switch (task) {
      case CLASSIFICATION:
        return "cross_entropy";
      case REGRESSION:
        return "masked_mse";
      default:
        return "masked_mae";
    }
  }

  /**
   * Lists the loss names.
   *
   * @return the names
   */
  public static List<String> names() {
    return REGISTRY.names();
  }
}
