package dev.runkit.model;

import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.Arrays;
import java.util.List;

/**
 * A multi-layer perceptron: the input flattened, then hidden linear layers each followed by an
 * activation (and dropout), then a linear output layer. Immutable; each setter returns a new one.
 *
 * <pre>{@code
 * Block mlp = Mlp.outputs(10).hidden(128, 64).activation("gelu").dropout(0.1).build();
 * }</pre>
 */
public final class Mlp {

  private final int outputs;
  private final int[] hidden;
  private final String activation;
  private final double dropout;

  private Mlp(int outputs, int[] hidden, String activation, double dropout) {
    this.outputs = outputs;
    this.hidden = hidden;
    this.activation = activation;
    this.dropout = dropout;
  }

  /**
   * Starts an MLP with one hidden layer of 64 ReLU units and no dropout.
   *
   * @param outputs the output width (classes, or forecast steps), {@code >= 1}
   * @return the MLP settings
   * @throws IllegalArgumentException if outputs is below 1
   */
  public static Mlp outputs(int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("mlp outputs must be >= 1, got " + outputs);
    }
    return new Mlp(outputs, new int[] {64}, "relu", 0);
  }

  /**
   * Sets the hidden layer widths (none for a linear model).
   *
   * @param units the widths, each {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException for a width below 1
   */
  public Mlp hidden(int... units) {
    for (int u : units) {
      if (u < 1) {
        throw new IllegalArgumentException(
            "mlp hidden sizes must be >= 1, got " + Arrays.toString(units));
      }
    }
    return new Mlp(outputs, units.clone(), activation, dropout);
  }

  /**
   * Sets the activation between layers.
   *
   * @param name one of {@link Activations#names()}
   * @return new settings
   * @throws IllegalArgumentException for an unknown name
   */
  public Mlp activation(String name) {
    return new Mlp(outputs, hidden, Activations.canonical(name, "mlp activation"), dropout);
  }

  /**
   * Sets the dropout rate after each hidden activation.
   *
   * @param rate the rate, in {@code [0, 1)}
   * @return new settings
   * @throws IllegalArgumentException if the rate is outside {@code [0, 1)}
   */
  public Mlp dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("mlp dropout must be in [0, 1), got " + rate);
    }
    return new Mlp(outputs, hidden, activation, rate);
  }

  /**
   * Returns the hidden widths.
   *
   * @return a copy
   */
  public List<Integer> hiddenSizes() {
    return Arrays.stream(hidden).boxed().toList();
  }

  /**
   * Makes the network.
   *
   * @return a new, uninitialized block
   */
  public SequentialBlock build() {
    SequentialBlock block = new SequentialBlock();
    block.add(Blocks.batchFlattenBlock());
    for (int units : hidden) {
      block.add(Linear.builder().setUnits(units).build());
      block.add(Activations.block(activation));
      if (dropout > 0) {
        block.add(Dropout.builder().optRate((float) dropout).build());
      }
    }
    block.add(Linear.builder().setUnits(outputs).build());
    return block;
  }
}
