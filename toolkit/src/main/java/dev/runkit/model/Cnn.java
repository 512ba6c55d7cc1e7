package dev.runkit.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;

/**
 * A small convolutional network for images given as flat rows (the 8x8 digits): the row reshaped to
 * {@code (channels, height, width)}, then per stage a same-padded convolution, an activation and a
 * 2x2 max-pool (while the image is at least 2x2), then a linear output layer. Immutable; each
 * setter returns a new one.
 *
 * <pre>{@code
 * Block cnn = Cnn.outputs(10).image(1, 8, 8).channels(16, 32).build();
 * }</pre>
 */
public final class Cnn {

  private final int outputs;
  private final int[] image;
  private final int[] channels;
  private final int kernel;
  private final String activation;
  private final double dropout;

  private Cnn(
      int outputs, int[] image, int[] channels, int kernel, String activation, double dropout) {
    this.outputs = outputs;
    this.image = image;
    this.channels = channels;
    this.kernel = kernel;
    this.activation = activation;
    this.dropout = dropout;
  }

  /**
   * Starts a CNN for 1x8x8 images with stages of 16 and 32 channels, 3x3 kernels and ReLU.
   *
   * @param outputs the number of classes, {@code >= 1}
   * @return the CNN settings
   * @throws IllegalArgumentException if outputs is below 1
   */
  public static Cnn outputs(int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("cnn outputs must be >= 1, got " + outputs);
    }
    return new Cnn(outputs, new int[] {1, 8, 8}, new int[] {16, 32}, 3, "relu", 0);
  }

  /**
   * Sets the image layout the flat rows are reshaped to.
   *
   * @param channels input channels, {@code >= 1}
   * @param height rows of pixels, {@code >= 1}
   * @param width columns of pixels, {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException for a size below 1
   */
  public Cnn image(int channels, int height, int width) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "cnn image sizes must be >= 1, got " + channels + "x" + height + "x" + width);
    }
    return new Cnn(
        outputs, new int[] {channels, height, width}, this.channels, kernel, activation, dropout);
  }

  /**
   * Sets the output channels of each convolution stage.
   *
   * @param channels the widths, at least one, each {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException for no stage or a width below 1
   */
  public Cnn channels(int... channels) {
    if (channels.length == 0 || Arrays.stream(channels).anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException(
          "cnn channels must be >= 1 each, at least one, got " + Arrays.toString(channels));
    }
    return new Cnn(outputs, image, channels.clone(), kernel, activation, dropout);
  }

  /**
   * Sets the (square, odd) kernel size.
   *
   * @param size the kernel size, odd, {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException if not odd and positive
   */
  public Cnn kernel(int size) {
    if (size < 1 || size % 2 == 0) {
      throw new IllegalArgumentException("cnn kernel size must be odd and >= 1, got " + size);
    }
    return new Cnn(outputs, image, channels, size, activation, dropout);
  }

  /**
   * Sets the activation after each convolution.
   *
   * @param name one of {@link Activations#names()}
   * @return new settings
   */
  public Cnn activation(String name) {
    return new Cnn(
        outputs, image, channels, kernel, Activations.canonical(name, "cnn activation"), dropout);
  }

  /**
   * Sets the dropout rate before the output layer.
   *
   * @param rate the rate, in {@code [0, 1)}
   * @return new settings
   */
  public Cnn dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("cnn dropout must be in [0, 1), got " + rate);
    }
    return new Cnn(outputs, image, channels, kernel, activation, rate);
  }

  /**
   * Returns the number of values in one image.
   *
   * @return channels * height * width
   */
  public long imageSize() {
    return (long) image[0] * image[1] * image[2];
  }

  /**
   * Makes the network.
   *
   * @return a new, uninitialized block
   */
  public SequentialBlock build() {
    Shape layout = new Shape(-1, image[0], image[1], image[2]);
    SequentialBlock block = new SequentialBlock();
    block.add(new LambdaBlock(x -> new NDList(x.head().reshape(layout)), "reshape"));
    int h = image[1];
    int w = image[2];
    for (int c : channels) {
      block.add(
          Conv2d.builder()
              .setKernelShape(new Shape(kernel, kernel))
              .optPadding(new Shape(kernel / 2, kernel / 2))
              .setFilters(c)
              .build());
      block.add(Activations.block(activation));
      if (h >= 2 && w >= 2) {
        block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        h /= 2;
        w /= 2;
      }
    }
    block.add(Blocks.batchFlattenBlock());
    if (dropout > 0) {
      block.add(Dropout.builder().optRate((float) dropout).build());
    }
    block.add(Linear.builder().setUnits(outputs).build());
    return block;
  }
}
