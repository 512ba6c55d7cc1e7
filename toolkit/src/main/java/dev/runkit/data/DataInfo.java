package dev.runkit.data;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model must accept and produce for a data set: the shape of one example, the number of
 * outputs (classes, regression targets or forecast steps) and the names of the classes, checked
 * against a model before training starts and kept with the trained model as string properties
 * ({@link #toProperties()}).
 *
 * @param name the data set name, for messages
 * @param task classification, regression or forecasting
 * @param exampleShape the shape of one example without the batch axis (e.g. {@code [64]} for
 *     digits, {@code [window, 1]} for a series)
 * @param outputs the number of classes (classification), targets (regression) or forecast steps
 *     (forecasting)
 * @param classes the name of each class by its index (classification: one per output, the numbers
 *     {@code "0", "1", ...} when the labels were numbers); empty for the other tasks
 */
public record DataInfo(
    String name, Task task, long[] exampleShape, int outputs, List<String> classes) {

  /** The prefix of the model property keys this info is kept under. */
  public static final String PROPERTY_PREFIX = "runkit.data.";

  /** The kind of prediction a data set asks for. */
  public enum Task {
    /** One class label per example; outputs are class scores. */
    CLASSIFICATION,
    /** One or more numeric targets per example; outputs are the predicted values. */
    REGRESSION,
    /** A window of past values per example; outputs are the next values. */
    FORECASTING
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for an empty shape, fewer than one output, class names on a
   *     task other than classification, or class names that are not one per output or repeat
   */
  public DataInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    exampleShape = exampleShape.clone();
    if (exampleShape.length == 0 || outputs < 1) {
      throw new IllegalArgumentException(
          "data info needs a shape and >= 1 output, got "
              + Arrays.toString(exampleShape)
              + " and "
              + outputs);
    }
    classes = List.copyOf(classes);
    if (task != Task.CLASSIFICATION && !classes.isEmpty()) {
      throw new IllegalArgumentException(
          "class names are for classification, but " + name + " is " + taskWord(task));
    }
    if (task == Task.CLASSIFICATION) {
      if (classes.size() != outputs) {
        throw new IllegalArgumentException(
            name + " has " + outputs + " classes but " + classes.size() + " class names");
      }
      if (new HashSet<>(classes).size() != classes.size()) {
        throw new IllegalArgumentException(name + " repeats a class name: " + classes);
      }
    }
  }

  /**
   * Makes the info of a data set whose classes, if any, are named by their numbers.
   *
   * @param name the data set name
   * @param task the task
   * @param exampleShape the shape of one example
   * @param outputs the number of outputs
   * @throws IllegalArgumentException for an empty shape or fewer than one output
   */
  public DataInfo(String name, Task task, long[] exampleShape, int outputs) {
    this(name, task, exampleShape, outputs, numbered(task, outputs));
  }

  /**
   * Returns the names {@code "0", "1", ...} of {@code k} classes named by their numbers.
   *
   * @param k the number of classes
   * @return the names
   */
  public static List<String> numberedClasses(int k) {
    List<String> names = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      names.add(String.valueOf(i));
    }
    return names;
  }

  private static List<String> numbered(Task task, int outputs) {
    return task == Task.CLASSIFICATION && outputs >= 1 ? numberedClasses(outputs) : List.of();
  }

  /** The task in the words of configs and messages: "classification", "regression", ... */
  private static String taskWord(Task task) {
    return task.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the number of values in one example.
   *
   * @return the product of the example shape
   */
  public long features() {
    long n = 1;
    for (long d : exampleShape) {
      n *= d;
    }
    return n;
  }

  /**
   * Returns the shape of a batch of examples, the batch axis first.
   *
   * @param rows the examples in the batch
   * @return {@code (rows, exampleShape...)}
   */
  public Shape batchShape(long rows) {
    return new Shape(rows).addAll(new Shape(exampleShape));
  }

  /**
   * Names what the outputs of a model for this data are, in the plural.
   *
   * @return {@code "classes"}, {@code "targets"} or {@code "forecast steps"}
   */
  public String outputsNoun() {
    switch (task) {
      case CLASSIFICATION:
        return "classes";
      case REGRESSION:
        return "targets";
      default:
        return "forecast steps";
    }
  }

  /**
   * Writes this info as string properties of a model (DJL's {@code Model.setProperty}, saved with
   * the model and kept in RunKit checkpoints): keys {@code runkit.data.name}, {@code .task}, {@code
   * .example_shape} and {@code .outputs}, and {@code .classes} (a JSON list) when the classes have
   * names other than their numbers.
   *
   * @return the properties, keys in a fixed order
   */
  public Map<String, String> toProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(PROPERTY_PREFIX + "name", name);
    p.put(PROPERTY_PREFIX + "task", taskWord(task));
    p.put(PROPERTY_PREFIX + "example_shape", Json.numbers(exampleShape));
    p.put(PROPERTY_PREFIX + "outputs", String.valueOf(outputs));
    if (!classes.equals(numbered(task, outputs))) {
      p.put(PROPERTY_PREFIX + "classes", Json.strings(classes));
    }
    return p;
  }

  /**
   * Reads an info written by {@link #toProperties()} from a model's properties.
   *
   * @param properties the model's properties (other keys are ignored)
   * @return the info, or empty when the properties hold none
   * @throws IllegalArgumentException if the properties hold an info that cannot be read
   */
  public static Optional<DataInfo> fromProperties(Map<String, String> properties) {
    String task = properties.get(PROPERTY_PREFIX + "task");
    if (task == null) {
      return Optional.empty();
    }
    try {
      Task t = Task.valueOf(task.toUpperCase(Locale.ROOT));
      long[] shape = Json.readLongs(properties.get(PROPERTY_PREFIX + "example_shape"));
      int outputs = Integer.parseInt(properties.get(PROPERTY_PREFIX + "outputs"));
      String classes = properties.get(PROPERTY_PREFIX + "classes");
      String name = Objects.requireNonNull(properties.get(PROPERTY_PREFIX + "name"), "name");
      return Optional.of(
          classes == null
              ? new DataInfo(name, t, shape, outputs)
              : new DataInfo(name, t, shape, outputs, Json.readStrings(classes)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the model's properties " + PROPERTY_PREFIX + "* hold no readable data info: " + e, e);
    }
  }

  /**
   * Returns the shape of one example.
   *
   * @return a copy of the shape, without the batch axis
   */
  @Override
  public long[] exampleShape() {
    return exampleShape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataInfo other
        && name.equals(other.name)
        && task == other.task
        && Arrays.equals(exampleShape, other.exampleShape)
        && outputs == other.outputs
        && classes.equals(other.classes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, task, Arrays.hashCode(exampleShape), outputs, classes);
  }

  @Override
  public String toString() {
    return name
        + " ("
        + task
        + ", example "
        + Arrays.toString(exampleShape)
        + ", "
        + outputs
        + " outputs)";
  }
}
