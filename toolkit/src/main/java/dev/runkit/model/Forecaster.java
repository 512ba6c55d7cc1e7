package dev.runkit.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;

/**
 * A recurrent forecaster: an LSTM or GRU reads a window of shape {@code (window, channels)}; a
 * linear layer maps its last hidden state to the next {@code horizon} values. Immutable; each
 * setter returns a new one.
 *
 * <pre>{@code
 * Block lstm = Forecaster.lstm(4).hidden(32).layers(2).build();
 * }</pre>
 */
public final class Forecaster {

  private final boolean lstm;
  private final int horizon;
  private final int hidden;
  private final int layers;
  private final double dropout;

  private Forecaster(boolean lstm, int horizon, int hidden, int layers, double dropout) {
    this.lstm = lstm;
    this.horizon = horizon;
    this.hidden = hidden;
    this.layers = layers;
    this.dropout = dropout;
  }

  /**
   * Starts an LSTM forecaster with 32 hidden units in one layer.
   *
   * @param horizon forecast steps, {@code >= 1}
   * @return the settings
   */
  public static Forecaster lstm(int horizon) {
    return new Forecaster(true, positive("horizon", horizon), 32, 1, 0);
  }

  /**
   * Starts a GRU forecaster with 32 hidden units in one layer.
   *
   * @param horizon forecast steps, {@code >= 1}
   * @return the settings
   */
  public static Forecaster gru(int horizon) {
    return new Forecaster(false, positive("horizon", horizon), 32, 1, 0);
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("forecaster " + name + " must be >= 1, got " + value);
    }
    return value;
  }

  /**
   * Sets the hidden state size.
   *
   * @param units the size, {@code >= 1}
   * @return new settings
   */
  public Forecaster hidden(int units) {
    return new Forecaster(lstm, horizon, positive("hidden", units), layers, dropout);
  }

  /**
   * Sets the number of stacked recurrent layers.
   *
   * @param n the layers, {@code >= 1}
   * @return new settings
   */
  public Forecaster layers(int n) {
    return new Forecaster(lstm, horizon, hidden, positive("layers", n), dropout);
  }

  /**
   * Sets the dropout between stacked layers.
   *
   * @param rate the rate, in {@code [0, 1)}
   * @return new settings
   */
  public Forecaster dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("forecaster dropout must be in [0, 1), got " + rate);
    }
    return new Forecaster(lstm, horizon, hidden, layers, rate);
  }

  /**
   * Makes the network; it takes batches of shape {@code (batch, window, channels)}.
   *
   * @return a new, uninitialized block
   */
  public SequentialBlock build() {
    SequentialBlock block = new SequentialBlock();
    block.add(lstm ? recurrent(LSTM.builder()).build() : recurrent(GRU.builder()).build());
    block.add(new LambdaBlock(x -> new NDList(x.head().get(":, -1, :")), "last_step"));
    block.add(Linear.builder().setUnits(horizon).build());
    return block;
  }

  /** The recurrent layer's settings, the same for LSTM and GRU. */
  private <T extends RecurrentBlock.BaseBuilder<T>> T recurrent(T builder) {
    return builder
        .setStateSize(hidden)
        .setNumLayers(layers)
        .optDropRate((float) dropout)
        .optBatchFirst(true)
        .optReturnState(false);
  }
}
