package dev.runkit.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A small table of float features with one class label per row, held on the Java heap, from which
 * DJL datasets are made; the bundled digits and iris data sets load into it.
 *
 * <pre>{@code
 * LabeledData digits = LabeledData.digits().shuffled(42);
 * ArrayDataset train = digits.rows(0, 1_400).toDataset(manager, 64);
 * }</pre>
 *
 * @param features the features, row-major, {@code rows * columns} values
 * @param labels the class label of each row
 * @param columns the number of features per row
 * @param classes the name of each class by its label (text labels of a CSV file, in sorted order);
 *     empty when the labels are numbers that name themselves
 */
public record LabeledData(float[] features, int[] labels, int columns, List<String> classes)
    implements TabularRows<LabeledData> {

  /**
   * Checks that the features fill whole rows, one row per label, and that named classes cover the
   * labels.
   *
   * @throws IllegalArgumentException if the sizes disagree or a label has no class name
   */
  public LabeledData {
    if (columns <= 0 || features.length != (long) labels.length * columns) {
      throw new IllegalArgumentException(
          "features must hold labels.length * columns values ("
              + labels.length
              + " * "
              + columns
              + "), got "
              + features.length);
    }
    classes = List.copyOf(classes);
    if (!classes.isEmpty()) {
      for (int label : labels) {
        if (label < 0 || label >= classes.size()) {
          throw new IllegalArgumentException(
              "label " + label + " has no class name among the " + classes.size() + " given");
        }
      }
    }
  }

  /**
   * Makes rows whose labels are numbers that name themselves.
   *
   * @param features the features, row-major
   * @param labels the class label of each row
   * @param columns the number of features per row
   * @throws IllegalArgumentException if the sizes disagree
   */
  public LabeledData(float[] features, int[] labels, int columns) {
    this(features, labels, columns, List.of());
  }

  /**
   * Loads the bundled UCI handwritten digits: 1,797 rows of 64 pixels scaled from 0..16 to 0..1,
   * labels 0..9.
   *
   * @return the data, in file order
   */
  public static LabeledData digits() {
    return readCsv("digits.csv.gz", 0, 1f / 16f);
  }

  /**
   * Loads the bundled Fisher iris data: 150 rows of 4 measurements (cm), labels 0..2.
   *
   * @return the data, in file order
   */
  public static LabeledData iris() {
    return readCsv("iris.csv", 1, 1f);
  }

  /**
   * Returns the number of rows.
   *
   * @return the row count
   */
  public int size() {
    return labels.length;
  }

  /**
   * Returns rows {@code from} (inclusive) to {@code to} (exclusive).
   *
   * @param from the first row
   * @param to one past the last row
   * @return a copy of those rows
   * @throws IllegalArgumentException if the range is empty or outside the data
   */
  public LabeledData rows(int from, int to) {
    if (from < 0 || to > size() || from >= to) {
      throw new IllegalArgumentException(
          "rows(" + from + ", " + to + ") must satisfy 0 <= from < to <= " + size());
    }
    float[] x = new float[(to - from) * columns];
    System.arraycopy(features, from * columns, x, 0, x.length);
    int[] y = new int[to - from];
    System.arraycopy(labels, from, y, 0, y.length);
    return new LabeledData(x, y, columns, classes);
  }

  /**
   * Returns the rows in a random order fixed by the seed.
   *
   * @param seed the seed
   * @return a shuffled copy
   */
  public LabeledData shuffled(long seed) {
    int[] order = RowOrder.shuffled(size(), seed);
    int[] y = new int[labels.length];
    for (int i = 0; i < order.length; i++) {
      y[i] = labels[order[i]];
    }
    return new LabeledData(RowOrder.gather(features, columns, order), y, columns, classes);
  }

  /**
   * Returns these rows with other features of the same shape, such as normalised ones.
   *
   * @param features the new features, row-major
   * @return the rows, same labels and class names
   * @throws IllegalArgumentException if the features do not fill the same rows
   */
  public LabeledData withFeatures(float[] features) {
    return new LabeledData(features, labels, columns, classes);
  }

  /**
   * Makes a DJL dataset: data of shape {@code (rows, columns)} float32, labels of shape {@code
   * (rows)} float32 (as DJL's softmax cross-entropy expects).
   *
   * @param manager the manager that owns the arrays
   * @param batchSize the batch size the dataset reports
   * @return the dataset
   */
  public ArrayDataset toDataset(NDManager manager, int batchSize) {
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[i];
    }
    return new ArrayDataset.Builder()
        .setData(manager.create(features, new Shape(size(), columns)))
        .optLabels(manager.create(y, new Shape(size())))
        .setSampling(batchSize, false)
        .build();
  }

  private static LabeledData readCsv(String resource, int headerLines, float scale) {
    try (InputStream raw = LabeledData.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("bundled data set " + resource + " is missing");
      }
      InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (int i = 0; i < headerLines; i++) {
        reader.readLine();
      }
      List<String[]> lines = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          lines.add(line.split(","));
        }
      }
      int columns = lines.get(0).length - 1;
      float[] x = new float[lines.size() * columns];
      int[] y = new int[lines.size()];
      for (int r = 0; r < lines.size(); r++) {
        String[] cells = lines.get(r);
        for (int c = 0; c < columns; c++) {
          x[r * columns + c] = Float.parseFloat(cells[c]) * scale;
        }
        y[r] = Integer.parseInt(cells[columns].trim());
      }
      return new LabeledData(x, y, columns);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled data set " + resource, e);
    }
  }
}
