package dev.runkit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import dev.runkit.data.DataInfo;
import dev.runkit.data.Examples;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Normalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A model's outputs for a set of examples, copied to the Java heap: the raw outputs (class scores,
 * regression values in the targets' units, forecasts), and for classifiers the predicted classes,
 * their names and their probabilities. Made by {@link RunResult#predict}; immutable.
 *
 * <pre>{@code
 * Predictions p = result.predict(data.test());
 * int[] classes = p.classes();            // argmax of each row
 * String[] names = p.names();             // the same classes by name ("mid")
 * float[][] probs = p.probabilities();    // softmax of each row
 * Show.table(p.confusion());              // true classes by predicted classes, named
 * }</pre>
 */
public final class Predictions {

  /** Rows per forward pass when predicting a data set given as examples. */
  static final int BATCH = 256;

  private final float[] values;
  private final int rows;
  private final int width;

  /** The true classes when the predictions were made from labelled examples, else null. */
  private final int[] labels;

  /** The class names the model keeps ({@link DataInfo#classes()}), or empty: numbers name them. */
  private final List<String> classNames;

  private Predictions(float[] values, int rows, int width) {
    this(values, rows, width, null, List.of());
  }

  private Predictions(float[] values, int rows, int width, int[] labels, List<String> classNames) {
    this.values = values;
    this.rows = rows;
    this.width = width;
    this.labels = labels;
    this.classNames = classNames;
  }

  /**
   * These predictions with the class names of the model's data, when it keeps them, and in the
   * targets' units, when it was trained on standardised regression targets.
   */
  private Predictions named(Model model) {
    List<String> names =
        DataInfo.fromProperties(model.getProperties())
            .map(DataInfo::classes)
            .filter(c -> c.size() == width)
            .orElse(List.of());
    float[] out =
        Normalizer.fromProperties(model.getProperties(), Normalizer.TARGETS)
            .filter(t -> t.size() == width)
            .map(t -> t.denormalize(values))
            .orElse(values);
    return new Predictions(out, rows, width, null, names);
  }

  /**
   * Runs a model in inference mode (dropout off, batch norm on its running statistics) on rows of
   * features in the data's units, shaped as one example each: when the model keeps a feature
   * normaliser ({@link dev.runkit.data.SplitData#normalized()}), the rows are normalised with it
   * first, as its training data was.
   *
   * @param model the model, initialized
   * @param inputs one row per example, each holding the values of one example in row-major order
   * @return the predictions
   * @throws IllegalArgumentException if the model was never initialized, takes several inputs, a
   *     row does not hold one example, or the model keeps a normaliser of another width
   */
  static Predictions of(Model model, float[][] inputs) {
    if (inputs == null || inputs.length == 0) {
      throw new IllegalArgumentException("predict needs at least one row of inputs, got none");
    }
    long[] example = exampleShape(model);
    long size = new Shape(example).size();
    float[] flat = new float[Math.multiplyExact(inputs.length, (int) size)];
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null || inputs[i].length != size) {
        throw new IllegalArgumentException(
            "predict: each row must hold one example of shape "
                + Arrays.toString(example)
                + " ("
                + size
                + " values), but row "
                + i
                + " has "
                + (inputs[i] == null ? "none (null)" : inputs[i].length));
      }
      System.arraycopy(inputs[i], 0, flat, i * (int) size, (int) size);
    }
    Optional<Normalizer> normalizer = Normalizer.fromProperties(model.getProperties());
    if (normalizer.isPresent()) {
      if (normalizer.get().size() != size) {
        throw new IllegalArgumentException(
            "predict: the model keeps a normalizer of "
                + normalizer.get().size()
                + " columns, but takes examples of "
                + size
                + " values; its properties belong to other data");
      }
      flat = normalizer.get().normalize(flat);
    }
    long[] shape = new long[example.length + 1];
    shape[0] = inputs.length;
    System.arraycopy(example, 0, shape, 1, example.length);
    try (NDManager scope = model.getNDManager().newSubManager()) {
      return forward(model, scope, new NDList(scope.create(flat, new Shape(shape)))).named(model);
    }
  }

  /**
   * Runs a model in inference mode on a batch of inputs.
   *
   * @param model the model, initialized
   * @param inputs the inputs, batch axis first; left open and unchanged
   * @return the predictions
   * @throws IllegalArgumentException if the model was never initialized
   */
  static Predictions of(Model model, NDList inputs) {
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("predict needs an input array, got none");
    }
    exampleShape(model);
    try (NDManager scope = model.getNDManager().newSubManager()) {
      // the arrays of the forward pass go to the inputs' manager: lend it ours, so that they are
      // freed here and the inputs go back to the caller's manager unchanged
      inputs.tempAttach(scope);
      return forward(model, scope, inputs).named(model);
    }
  }

  /**
   * Runs a model in inference mode on every batch of a dataset, in the order it yields them.
   *
   * @param model the model, initialized
   * @param dataset the data; its labels are ignored
   * @return the predictions, one row per example
   * @throws IllegalArgumentException if the model was never initialized or the dataset is empty
   */
  static Predictions of(Model model, Dataset dataset) {
    if (dataset == null) {
      throw new IllegalArgumentException("predict needs a dataset, got null");
    }
    exampleShape(model);
    List<Predictions> parts = new ArrayList<>();
    try (NDManager scope = model.getNDManager().newSubManager()) {
      for (Batch batch : dataset.getData(scope)) {
        try (batch) {
          parts.add(forward(model, scope, batch.getData()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dataset to predict", e);
    } catch (TranslateException e) {
      throw new IllegalArgumentException("cannot read the dataset to predict: " + e, e);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("predict: the dataset has no examples");
    }
    return concat(parts).named(model);
  }

  /**
   * Runs a model in inference mode on examples held on the heap (a split part such as {@code
   * data.test()}), in their order.
   *
   * @param model the model, initialized
   * @param examples the examples; their labels or targets are ignored
   * @return the predictions, one row per example
   * @throws IllegalArgumentException if the model was never initialized
   */
  static Predictions of(Model model, Examples examples) {
    if (examples == null) {
      throw new IllegalArgumentException("predict needs examples, got null");
    }
    exampleShape(model);
    try (NDManager scope = model.getNDManager().newSubManager()) {
      Predictions p = of(model, examples.toDataset(scope, BATCH));
      // labelled examples keep their classes, for accuracy() and confusion() without arguments
      return examples instanceof LabeledData labelled
          ? new Predictions(p.values, p.rows, p.width, labelled.labels().clone(), p.classNames)
          : p;
    }
  }

  /** The shape of one example the model was initialized with, without the batch axis. */
  private static long[] exampleShape(Model model) {
    ClosedModels.requireOpen(model, "predict");
    Block block = model.getBlock();
    if (block == null || !block.isInitialized()) {
      throw new IllegalArgumentException(
          "predict: the model was never initialized (the run did not reach its first step)");
    }
    Shape[] shapes = block.getInputShapes();
    if (shapes.length != 1) {
      throw new IllegalArgumentException(
          "predict takes rows of one input, but the model takes "
              + shapes.length
              + " inputs; pass an NDList");
    }
    return Arrays.copyOfRange(shapes[0].getShape(), 1, shapes[0].dimension());
  }

  private static Predictions forward(Model model, NDManager scope, NDList inputs) {
    Device device = scope.getDevice();
    NDList onDevice =
        inputs.head().getDevice().equals(device) ? inputs : inputs.toDevice(device, false);
    NDList out;
    try {
      out = model.getBlock().forward(new ParameterStore(scope, false), onDevice, false);
    } catch (RuntimeException e) {
      if (onDevice != inputs) {
        onDevice.close();
      }
      // MXNet's own words ("Shape inconsistent, Provided = [16,4], inferred shape=(16,64)") name
      // neither the data nor what the model was trained on
      throw new IllegalArgumentException(
          "predict: the model was trained on examples of shape "
              + String.join(
                  " + ",
                  Arrays.stream(model.getBlock().getInputShapes())
                      .map(Predictions::example)
                      .toList())
              + " and cannot take examples of shape "
              + String.join(" + ", inputs.stream().map(a -> example(a.getShape())).toList())
              + ": "
              + firstLine(e),
          e);
    }
    try {
      NDArray y = out.head();
      long rows = y.getShape().dimension() == 0 ? 1 : y.getShape().get(0);
      int width = (int) (y.getShape().size() / Math.max(1, rows));
      float[] values = y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
      return new Predictions(values, (int) rows, width);
    } finally {
      if (onDevice != inputs) {
        onDevice.close();
      }
      out.close();
    }
  }

  /** One example's shape: the batch axis left out. */
  private static String example(Shape batch) {
    return Arrays.toString(Arrays.copyOfRange(batch.getShape(), 1, batch.dimension()));
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static Predictions concat(List<Predictions> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int width = parts.get(0).width;
    int rows = 0;
    for (Predictions p : parts) {
      rows += p.rows;
    }
    float[] all = new float[rows * width];
    int at = 0;
    for (Predictions p : parts) {
      System.arraycopy(p.values, 0, all, at, p.values.length);
      at += p.values.length;
    }
    return new Predictions(all, rows, width);
  }

  /**
   * Returns the number of examples predicted.
   *
   * @return the row count
   */
  public int size() {
    return rows;
  }

  /**
   * Returns the number of outputs per example (classes, or forecast steps).
   *
   * @return the output count
   */
  public int width() {
    return width;
  }

  /**
   * Returns the raw outputs: class scores (logits) of a classifier, the forecast of a regression.
   *
   * @return one row per example, a copy
   */
  public float[][] outputs() {
    float[][] out = new float[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = Arrays.copyOfRange(values, i * width, (i + 1) * width);
    }
    return out;
  }

  /**
   * Returns the predicted class of each example: the index of its largest output (the first one on
   * a tie).
   *
   * @return one class index per example
   */
  public int[] classes() {
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      int best = 0;
      for (int j = 1; j < width; j++) {
        if (values[i * width + j] > values[i * width + best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * Returns the class probabilities of each example: the softmax of its outputs, for a classifier
   * trained with softmax cross-entropy on scores (DJL's default).
   *
   * @return one row per example, each summing to 1
   */
  public float[][] probabilities() {
    float[][] out = new float[rows][width];
    for (int i = 0; i < rows; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < width; j++) {
        max = Math.max(max, values[i * width + j]);
      }
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += Math.exp(values[i * width + j] - max);
      }
      for (int j = 0; j < width; j++) {
        out[i][j] = (float) (Math.exp(values[i * width + j] - max) / sum);
      }
    }
    return out;
  }

  /**
   * Returns the name of each class, by index: the names the model keeps from its data (text labels
   * of a CSV file, e.g. {@code "high", "low", "mid"}), else the numbers {@code "0", "1", ...}.
   *
   * @return one name per output
   */
  public List<String> classNames() {
    return classNames.isEmpty() ? DataInfo.numberedClasses(width) : classNames;
  }

  /**
   * Returns the predicted class of each example by name ({@link #classes()} looked up in {@link
   * #classNames()}).
   *
   * <pre>{@code
   * String[] kinds = result.predict(new float[][] {{5.1f, 3.5f, 21.4f, 0.2f}}).names();  // "low"
   * }</pre>
   *
   * @return one class name per example
   */
  public String[] names() {
    List<String> names = classNames();
    int[] predicted = classes();
    String[] out = new String[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = names.get(predicted[i]);
    }
    return out;
  }

  /**
   * Returns the confusion matrix of predictions made from labelled examples ({@code
   * result.predict(data.test())} on a classification split); see {@link #confusion(int[])}.
   *
   * @return the table
   * @throws IllegalArgumentException if these predictions hold no true classes: pass them to {@link
   *     #confusion(int[])}
   */
  public Table confusion() {
    return confusion(trueClasses("confusion"));
  }

  /**
   * Returns the confusion matrix: one row per true class, one column per predicted class, both by
   * name ({@link #classNames()}), each cell the number of examples of that true class predicted as
   * that class; the first column, {@code true class}, names the row.
   *
   * @param labels the true class of each example
   * @return the table, named {@code confusion}
   * @throws IllegalArgumentException if there is not one label per example, or a label is not a
   *     class of the model
   */
  public Table confusion(int[] labels) {
    checkLabels("confusion", labels);
    List<String> names = classNames();
    int[][] counts = new int[width][width];
    int[] predicted = classes();
    for (int i = 0; i < rows; i++) {
      if (labels[i] < 0 || labels[i] >= width) {
        throw new IllegalArgumentException(
            "confusion: label "
                + labels[i]
                + " of example "
                + i
                + " is not a class of the model (0.."
                + (width - 1)
                + ")");
      }
      counts[labels[i]][predicted[i]]++;
    }
    Table t = Table.create("confusion", StringColumn.create("true class", names));
    for (int p = 0; p < width; p++) {
      int[] column = new int[width];
      for (int a = 0; a < width; a++) {
        column[a] = counts[a][p];
      }
      t.addColumns(IntColumn.create(names.get(p), column));
    }
    return t;
  }

  private int[] trueClasses(String what) {
    if (labels == null) {
      throw new IllegalArgumentException(
          what
              + "() needs the true classes, which only predictions of labelled examples"
              + " (LabeledData, e.g. a classification split's test part) hold; pass them: "
              + what
              + "(labels)");
    }
    return labels;
  }

  private void checkLabels(String what, int[] labels) {
    if (labels == null || labels.length != rows) {
      throw new IllegalArgumentException(
          what
              + " needs one label per prediction ("
              + rows
              + "), got "
              + (labels == null ? "null" : labels.length));
    }
  }

  /**
   * Returns the share of examples whose predicted class is their true class, for predictions made
   * from labelled examples ({@code result.predict(data.test())} on a classification split).
   *
   * @return the accuracy in [0, 1]
   * @throws IllegalArgumentException if these predictions hold no true classes (made from rows,
   *     arrays, a dataset or forecasting windows): pass them to {@link #accuracy(int[])}
   */
  public double accuracy() {
    return accuracy(trueClasses("accuracy"));
  }

  /**
   * Returns the share of examples whose predicted class is the given label.
   *
   * @param labels the true class of each example
   * @return the accuracy in [0, 1]
   * @throws IllegalArgumentException if there is not one label per example
   */
  public double accuracy(int[] labels) {
    checkLabels("accuracy", labels);
    int[] predicted = classes();
    int right = 0;
    for (int i = 0; i < rows; i++) {
      if (predicted[i] == labels[i]) {
        right++;
      }
    }
    return (double) right / rows;
  }

  @Override
  public String toString() {
    return "Predictions[" + rows + " examples x " + width + " outputs]";
  }
}
