package dev.runkit.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import dev.runkit.registry.Registry;
import java.util.List;
import java.util.function.Function;

/** Activation functions by name, for the built-in models. */
public final class Activations {

  private static final Registry<Function<NDList, NDList>> REGISTRY =
      new Registry<Function<NDList, NDList>>("activation")
          .register("relu", Activation::relu)
          .register("tanh", Activation::tanh)
          .register("sigmoid", Activation::sigmoid)
          .register("gelu", Activation::gelu)
          .register("elu", x -> Activation.elu(x, 1f))
          .register("selu", Activation::selu)
          .register("silu", x -> Activation.swish(x, 1f))
          .register("mish", Activation::mish)
          .register("softplus", Activation::softPlus)
          .register("leaky_relu", x -> Activation.leakyRelu(x, 0.01f));

  private Activations() {}

  /**
   * Returns the registered spelling of an activation name.
   *
   * @param name a name, any case
   * @param keyPath where it was written, for messages
   * @return the registered name
   * @throws IllegalArgumentException for an unknown name, with the nearest one
   */
  public static String canonical(String name, String keyPath) {
    return REGISTRY.canonicalName(name, keyPath);
  }

  /**
   * Makes a block applying an activation.
   *
   * @param name a registered name
   * @return the block
   */
  public static Block block(String name) {
    return new LambdaBlock(REGISTRY.get(name, "activation"), name);
  }

  /**
   * Lists the activation names.
   *
   * @return the names
   */
  public static List<String> names() {
    return REGISTRY.names();
  }
}
