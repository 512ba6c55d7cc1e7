package dev.runkit.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.runkit.data.DataInfo;
import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Built-in models by name ({@code MLP}, {@code CNN}, {@code LSTM}, {@code GRU}), users' models by
 * class name, and the check that a model fits its data before anything is trained or written.
 *
 * <pre>{@code
 * Block mlp = Models.build("MLP", Map.of("hidden", List.of(32)), data.info(), "MODEL");
 * }</pre>
 */
public final class Models {

  private static final Registry<ModelFactory> REGISTRY =
      new Registry<ModelFactory>("model")
          .register("MLP", Models::mlp)
          .register("CNN", Models::cnn)
          .register("LSTM", (p, d) -> recurrent(p, d, true))
          .register("GRU", (p, d) -> recurrent(p, d, false));

  private Models() {}

  /**
   * Returns the factory of a built-in model.
   *
   * @param name a registered name, any case (see {@link #names()})
   * @param keyPath where the name was written, for messages (e.g. {@code MODEL.NAME})
   * @return the factory
   * @throws IllegalArgumentException for an unknown name, listing the names and the nearest one
   */
  public static ModelFactory factory(String name, String keyPath) {
    return REGISTRY.get(name, keyPath);
  }

  /**
   * Returns the factory of a user's model class.
   *
   * @param className a class implementing {@link ModelFactory} with a public no-argument
   *     constructor
   * @param keyPath where the class was named, for messages (e.g. {@code MODEL.CLASS})
   * @return a new instance of the class
   * @throws IllegalArgumentException if the class is missing, not a factory, or cannot be made
   */
  public static ModelFactory userFactory(String className, String keyPath) {
    Class<?> type;
    try {
      type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          keyPath
              + " names class \""
              + className
              + "\", which is not on the class path; give the fully qualified name of a class"
              + " implementing "
              + ModelFactory.class.getName());
    }
    if (!ModelFactory.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          keyPath
              + " names class \""
              + className
              + "\", which does not implement "
              + ModelFactory.class.getName());
    }
    try {
      return (ModelFactory) type.getConstructor().newInstance();
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalArgumentException(
          keyPath
              + " names class \""
              + className
              + "\", which cannot be made with a public no-argument constructor: "
              + e,
          e);
    }
  }

  /**
   * Makes a built-in model.
   *
   * @param name a registered name, any case
   * @param params its parameters; null for defaults
   * @param data the data it will be trained on
   * @param path the key path of the model section (e.g. {@code MODEL})
   * @return a new, uninitialized block
   * @throws IllegalArgumentException for an unknown name or parameter, a bad value, or a model that
   *     does not fit the data
   */
  public static Block build(String name, Map<?, ?> params, DataInfo data, String path) {
    return build(factory(name, path + ".NAME"), params, data, path);
  }

  /**
   * Makes a model with a factory, rejecting parameters the factory did not read.
   *
   * @param factory the factory
   * @param params its parameters; null for none
   * @param data the data it will be trained on
   * @param path the key path of the model section; parameters are reported at {@code
   *     path.PARAM.key}
   * @return a new, uninitialized block
   * @throws IllegalArgumentException for an unknown parameter or a bad value
   */
  public static Block build(ModelFactory factory, Map<?, ?> params, DataInfo data, String path) {
    Params p = Params.of(path + ".PARAM", params);
    Block block = factory.create(p, data);
    p.requireNoUnknown();
    if (block == null) {
      throw new IllegalArgumentException(
          factory.getClass().getName() + ".create returned null for " + path);
    }
    return block;
  }

  /**
   * Checks that a model fits its data: a throw-away copy is initialized on its own arrays and run
   * on a batch of two zero examples, and must give one row of {@code data.outputs()} values per
   * example.
   *
   * @param factory the factory
   * @param params its parameters
   * @param data the data
   * @param path the key path of the model section
   * @param label how to name the model in messages (e.g. {@code MLP})
   * @throws IllegalArgumentException naming the model, the data and both shapes if they disagree
   */
  public static void checkFits(
      ModelFactory factory, Map<?, ?> params, DataInfo data, String path, String label) {
    Block block = build(factory, params, data, path);
    Shape input = data.batchShape(2);
    Shape output;
    try (NDManager manager = NDManager.newBaseManager()) {
      try {
        block.initialize(manager, DataType.FLOAT32, input);
        NDList out =
            block.forward(
                new ParameterStore(manager, false), new NDList(manager.zeros(input)), false);
        output = out.head().getShape();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            path
                + " ("
                + label
                + ") does not fit DATA "
                + data.name()
                + ": it cannot take examples of shape "
                + Arrays.toString(data.exampleShape())
                + ": "
                + firstLine(e),
            e);
      }
    }
    if (output.get(0) != 2 || output.size() != 2L * data.outputs()) {
      throw new IllegalArgumentException(
          path
              + " ("
              + label
              + ") gives outputs of shape "
              + output
              + " for a batch of 2, but DATA "
              + data.name()
              + " needs (2, "
              + data.outputs()
              + ") ("
              + data.outputs()
              + " "
              + data.outputsNoun()
              + ")");
    }
  }

  /**
   * Lists the built-in model names.
   *
   * @return the names, in registration order
   */
  public static List<String> names() {
    return REGISTRY.names();
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static Block mlp(Params p, DataInfo data) {
    checkSize(p, "input_size", data.features(), data, "values per example");
    int outputs = outputs(p, data);
    List<Long> hidden = p.has("hidden") ? p.requiredLongList("hidden") : List.of(64L);
    for (int i = 0; i < hidden.size(); i++) {
      p.check("hidden[" + i + "]", hidden.get(i), hidden.get(i) >= 1, ">= 1");
    }
    Mlp mlp =
        Mlp.outputs(outputs)
            .hidden(hidden.stream().mapToInt(Long::intValue).toArray())
            .activation(activation(p))
            .dropout(rate(p, "dropout"));
    return mlp.build();
  }

  private static Block cnn(Params p, DataInfo data) {
    int outputs = outputs(p, data);
    long[] image;
    if (p.has("image")) {
      List<Long> dims = p.requiredLongList("image");
      p.check(
          "image",
          dims,
          (dims.size() == 2 || dims.size() == 3) && dims.stream().allMatch(d -> d >= 1),
          "[height, width] or [channels, height, width], each >= 1");
      image =
          dims.size() == 2
              ? new long[] {1, dims.get(0), dims.get(1)}
              : new long[] {dims.get(0), dims.get(1), dims.get(2)};
    } else {
      long side = Math.round(Math.sqrt(data.features()));
      if (side * side != data.features()) {
        throw new IllegalArgumentException(
            "Missing required parameter "
                + p.path("image")
                + ": DATA "
                + data.name()
                + " gives "
                + data.features()
                + " values per example, not a square image; give [channels, height, width]");
      }
      image = new long[] {1, side, side};
    }
    long size = image[0] * image[1] * image[2];
    if (size != data.features()) {
      throw new IllegalArgumentException(
          p.path("image")
              + " "
              + Arrays.toString(image)
              + " holds "
              + size
              + " values, but DATA "
              + data.name()
              + " gives "
              + data.features()
              + " values per example");
    }
    List<Long> channels = p.has("channels") ? p.requiredLongList("channels") : List.of(16L, 32L);
    for (int i = 0; i < channels.size(); i++) {
      p.check("channels[" + i + "]", channels.get(i), channels.get(i) >= 1, ">= 1");
    }
    long kernel = p.optionalLong("kernel_size", 3);
    p.check("kernel_size", kernel, kernel >= 1 && kernel % 2 == 1 && kernel <= 31, "odd, 1..31");
    return Cnn.outputs(outputs)
        .image((int) image[0], (int) image[1], (int) image[2])
        .channels(channels.stream().mapToInt(Long::intValue).toArray())
        .kernel((int) kernel)
        .activation(activation(p))
        .dropout(rate(p, "dropout"))
        .build();
  }

  private static Block recurrent(Params p, DataInfo data, boolean lstm) {
    long[] shape = data.exampleShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException(
          (lstm ? "LSTM" : "GRU")
              + " at "
              + p.path().replaceFirst("\\.PARAM$", ".NAME")
              + " reads sequences of shape [window, channels], but DATA "
              + data.name()
              + " gives examples of shape "
              + Arrays.toString(shape)
              + "; use a series data set (co2, sunspots, series_csv) or MLP / CNN");
    }
    int outputs = outputs(p, data);
    long hidden = p.optionalLong("hidden_size", 32);
    p.check("hidden_size", hidden, hidden >= 1 && hidden <= 65_536, "in [1, 65536]");
    long layers = p.optionalLong("num_layers", 1);
    p.check("num_layers", layers, layers >= 1 && layers <= 64, "in [1, 64]");
    Forecaster f = lstm ? Forecaster.lstm(outputs) : Forecaster.gru(outputs);
    return f.hidden((int) hidden).layers((int) layers).dropout(rate(p, "dropout")).build();
  }

  private static int outputs(Params p, DataInfo data) {
    checkSize(p, "output_size", data.outputs(), data, data.outputsNoun());
    return data.outputs();
  }

  /** An optional size the user may state; it must agree with the data (it documents intent). */
  private static void checkSize(Params p, String key, long actual, DataInfo data, String what) {
    if (p.has(key)) {
      long given = p.requiredLong(key);
      if (given != actual) {
        throw new IllegalArgumentException(
            p.path(key)
                + " is "
                + given
                + ", but DATA "
                + data.name()
                + " has "
                + actual
                + " "
                + what
                + "; set it to "
                + actual
                + " or leave it out");
      }
    }
  }

  private static String activation(Params p) {
    String name = p.optionalString("activation", "relu");
    return Activations.canonical(name, p.path("activation"));
  }

  private static double rate(Params p, String key) {
    double rate = p.optionalDouble(key, 0);
    p.check(key, rate, rate >= 0 && rate < 1, "in [0, 1)");
    return rate;
  }
}
