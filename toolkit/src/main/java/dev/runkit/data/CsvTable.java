package dev.runkit.data;

import dev.runkit.registry.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * A comma-separated file read as text cells with a header row, from which labelled rows, regression
 * rows or a time series are taken; errors name the file, the row and the column.
 *
 * <pre>{@code
 * CsvTable t = CsvTable.read(Path.of("flowers.csv"), true);
 * LabeledData flowers = t.labeled(t.column("species"));         // classes, names kept
 * RegressionData houses = t.regression(t.column("price"));        // numeric targets
 * SplitData d = SplitData.classification("flowers", flowers, Ratio.of(0.8, 0.2, 0), 42).normalized();
 * }</pre>
 *
 * @param source the file or resource name, for messages
 * @param header the column names
 * @param rows the cells of each data row
 */
public record CsvTable(String source, List<String> header, List<String[]> rows) {

  /**
   * Reads a CSV file (gzip when its name ends in {@code .gz}).
   *
   * @param file the file
   * @param hasHeader whether the first line names the columns (else they are named {@code 0, 1,
   *     ...})
   * @return the table
   * @throws IllegalArgumentException if the file is missing, empty or ragged
   */
  public static CsvTable read(Path file, boolean hasHeader) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file not found: " + file.toAbsolutePath());
    }
    try (InputStream in = Files.newInputStream(file)) {
      return parse(
          file.toString(),
          file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
          hasHeader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads a CSV resource bundled beside this class.
   *
   * @param resource the resource name
   * @param hasHeader whether the first line names the columns
   * @return the table
   */
  static CsvTable resource(String resource, boolean hasHeader) {
    try (InputStream raw = CsvTable.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("bundled data set " + resource + " is missing");
      }
      return parse(resource, resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw, hasHeader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled data set " + resource, e);
    }
  }

  private static CsvTable parse(String source, InputStream in, boolean hasHeader)
      throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<String[]> rows = new ArrayList<>();
    List<String> header = null;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      for (int i = 0; i < cells.length; i++) {
        cells[i] = unquote(cells[i].trim());
      }
      if (hasHeader && header == null) {
        header = List.of(cells);
        continue;
      }
      if (header == null) {
        header = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
          header.add(String.valueOf(i));
        }
      }
      if (cells.length != header.size()) {
        throw new IllegalArgumentException(
            source
                + ": data row "
                + (rows.size() + 1)
                + " has "
                + cells.length
                + " cells, the header "
                + header.size());
      }
      rows.add(cells);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(source + ": holds no data rows");
    }
    return new CsvTable(source, List.copyOf(header), rows);
  }

  private static String unquote(String cell) {
    return cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
        ? cell.substring(1, cell.length() - 1)
        : cell;
  }

  /**
   * Finds a column by name (exact, then ignoring case) or by 0-based index written as a number;
   * {@code -1} is the last column.
   *
   * <pre>{@code
   * CsvTable t = CsvTable.read(Path.of("flowers.csv"), true);
   * LabeledData rows = t.labeled(t.column("species"));
   * }</pre>
   *
   * @param column the name or index
   * @return the index
   * @throws IllegalArgumentException naming the columns and the nearest one if there is no such
   *     column
   */
  public int column(String column) {
    return column(column, null);
  }

  /**
   * Returns the table without some columns: those that are not features (an id, a date, a text
   * column) before the rest becomes the features.
   *
   * <pre>{@code
   * CsvTable t = CsvTable.read(Path.of("flowers.csv"), true).drop("species");
   * RegressionData widths = t.regression(t.column("petal_width_mm"));
   * }</pre>
   *
   * @param columns the names (or indices) of the columns to leave out
   * @return a new table
   * @throws IllegalArgumentException naming the columns and the nearest one for a column that is
   *     not there
   */
  public CsvTable drop(String... columns) {
    Set<Integer> out = new HashSet<>();
    for (String c : columns) {
      out.add(column(c));
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      if (!out.contains(i)) {
        kept.add(header.get(i));
      }
    }
    List<String[]> cells = new ArrayList<>(rows.size());
    for (String[] row : rows) {
      String[] k = new String[kept.size()];
      for (int i = 0, j = 0; i < row.length; i++) {
        if (!out.contains(i)) {
          k[j++] = row[i];
        }
      }
      cells.add(k);
    }
    return new CsvTable(source, List.copyOf(kept), cells);
  }

  /**
   * Finds a column as {@link #column(String)} does, for a name written in a config: the error names
   * where it was written.
   *
   * @param column the name or index
   * @param keyPath where the column was named, for messages (e.g. {@code DATA.PARAM.label})
   * @return the index
   * @throws IllegalArgumentException naming the key path, the columns and the nearest one if there
   *     is no such column
   */
  public int column(String column, String keyPath) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).equals(column)) {
        return i;
      }
    }
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).equalsIgnoreCase(column)) {
        return i;
      }
    }
    try {
      int index = Integer.parseInt(column.trim());
      if (index == -1) {
        return header.size() - 1;
      }
      if (index >= 0 && index < header.size()) {
        return index;
      }
    } catch (NumberFormatException e) {
      // not an index: report as an unknown name below
    }
    throw new IllegalArgumentException(
        "Unknown column \""
            + column
            + "\""
            + (keyPath == null ? "" : " at " + keyPath)
            + "; "
            + source
            + " has columns "
            + header
            + "."
            + Names.didYouMean(column, header));
  }

  /**
   * Reads a numeric column; empty cells (and {@code NA}, {@code NaN}) become NaN.
   *
   * @param index the column
   * @return the values, one per row
   * @throws IllegalArgumentException naming the row and the cell if a cell is not a number
   */
  public float[] numbers(int index) {
    float[] out = new float[rows.size()];
    for (int r = 0; r < out.length; r++) {
      out[r] = number(r, index);
    }
    return out;
  }

  private static boolean missing(String cell) {
    return cell.isEmpty() || cell.equalsIgnoreCase("na") || cell.equalsIgnoreCase("nan");
  }

  private float number(int row, int index) {
    String cell = rows.get(row)[index];
    if (missing(cell)) {
      return Float.NaN;
    }
    try {
      return Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source
              + ": data row "
              + (row + 1)
              + ", column \""
              + header.get(index)
              + "\" must be a number, got \""
              + cell
              + "\""
              + (row > 0
                  ? ""
                  : "; a column that is not a feature can be left out: drop(\""
                      + header.get(index)
                      + "\") in code, drop: ["
                      + header.get(index)
                      + "] in a config's csv PARAM"));
    }
  }

  /**
   * Makes labelled rows for classification: every column but the label is a feature; labels that
   * are all whole numbers {@code >= 0} are kept (and name themselves), other labels are numbered in
   * sorted order and keep their text as class names ({@link LabeledData#classes()}). A label column
   * that looks like a quantity to predict (non-integer numbers, or numbers of which more than 20
   * and more than half of the rows are distinct) is refused rather than turned into hundreds of
   * classes: use {@link #regression(int...)} for it, or {@link #classes(int)} to take its values as
   * classes all the same.
   *
   * @param labelColumn the label column index
   * @return the rows
   * @throws IllegalArgumentException if a feature cell is not a number or empty, or the labels look
   *     continuous (naming the column, what was seen and what to call instead)
   */
  public LabeledData labeled(int labelColumn) {
    return labeled(
        labelColumn,
        source + ": the label column \"" + header.get(labelColumn) + "\"",
        "CsvTable.regression(column)",
        "CsvTable.classes(column)");
  }

  /**
   * Makes labelled rows as {@link #labeled(int)} does, but takes the label values as classes
   * whatever they look like (fastai's {@code CategoryBlock}).
   *
   * @param labelColumn the label column index
   * @return the rows
   * @throws IllegalArgumentException if a feature cell is not a number or empty
   */
  public LabeledData classes(int labelColumn) {
    return classRows(labelColumn);
  }

  /**
   * Makes labelled rows, refusing labels that look continuous with a message in the words of the
   * caller (code or config).
   *
   * @param labelColumn the label column
   * @param what names the column, starting the message
   * @param regression how to ask for regression
   * @param classes how to ask for classes anyway
   */
  LabeledData labeled(int labelColumn, String what, String regression, String classes) {
    Optional<String> seen = continuous(labelColumn);
    if (seen.isPresent()) {
      throw new IllegalArgumentException(
          what
              + " looks like a quantity to predict, not classes ("
              + seen.get()
              + "); for regression use "
              + regression
              + ", to take its values as classes all the same use "
              + classes);
    }
    return classRows(labelColumn);
  }

  /**
   * Makes regression rows (fastai's {@code RegressionBlock}): every column but the targets is a
   * feature; every target cell must be a number.
   *
   * @param targetColumns the target column indices, at least one, each once
   * @return the rows, one output per target column in the order given
   * @throws IllegalArgumentException if no target is given, one repeats or is outside the table, no
   *     feature column is left, or a cell is not a number or empty
   */
  public RegressionData regression(int... targetColumns) {
    if (targetColumns.length == 0) {
      throw new IllegalArgumentException(source + ": regression needs a target column, got none");
    }
    Set<Integer> targets = new HashSet<>();
    for (int t : targetColumns) {
      if (t < 0 || t >= header.size() || !targets.add(t)) {
        throw new IllegalArgumentException(
            source
                + ": target columns "
                + Arrays.toString(targetColumns)
                + " must be distinct indices in [0, "
                + (header.size() - 1)
                + "]");
      }
    }
    float[] x = features(targets);
    float[] y = new float[rows.size() * targetColumns.length];
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < targetColumns.length; j++) {
        y[r * targetColumns.length + j] = present(r, targetColumns[j]);
      }
    }
    return new RegressionData(x, y, header.size() - targetColumns.length, targetColumns.length);
  }

  /**
   * Tells why a label column looks like a quantity rather than classes: all its cells are numbers
   * and some are not whole, or more than 20 and more than half of them are distinct.
   *
   * @return what was seen, or empty when the column looks like classes (text labels always do)
   */
  Optional<String> continuous(int column) {
    Set<Double> distinct = new HashSet<>();
    String fraction = null;
    int counted = 0;
    for (String[] row : rows) {
      String cell = row[column];
      if (missing(cell)) {
        continue;
      }
      double v;
      try {
        v = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      distinct.add(v);
      counted++;
      if (fraction == null && Double.isFinite(v) && v != Math.rint(v)) {
        fraction = cell;
      }
    }
    boolean many = distinct.size() > 20 && distinct.size() * 2 > counted;
    if (fraction == null && !many) {
      return Optional.empty();
    }
    return Optional.of(
        distinct.size()
            + " distinct values in "
            + rows.size()
            + " rows"
            + (fraction == null ? "" : ", non-integer values such as " + fraction));
  }

  private LabeledData classRows(int labelColumn) {
    float[] x = features(Set.of(labelColumn));
    int[] y = new int[rows.size()];
    List<String> names = labels(labelColumn, y);
    return new LabeledData(x, y, header.size() - 1, names);
  }

  /** The cells of every column not excluded, row-major; each must be a number. */
  private float[] features(Set<Integer> excluded) {
    int columns = header.size() - excluded.size();
    if (columns < 1) {
      throw new IllegalArgumentException(
          source
              + ": needs a feature column besides the label"
              + (excluded.size() > 1 ? " columns" : ""));
    }
    float[] x = new float[rows.size() * columns];
    for (int r = 0; r < rows.size(); r++) {
      int c = 0;
      for (int i = 0; i < header.size(); i++) {
        if (!excluded.contains(i)) {
          x[r * columns + c++] = present(r, i);
        }
      }
    }
    return x;
  }

  private float present(int row, int index) {
    float v = number(row, index);
    if (Float.isNaN(v)) {
      throw new IllegalArgumentException(
          source + ": data row " + (row + 1) + ", column \"" + header.get(index) + "\" is empty");
    }
    return v;
  }

  /**
   * Fills the class of each row; returns the class names when the labels are text (numbered in
   * sorted order), none when they are whole numbers {@code >= 0}.
   */
  private List<String> labels(int column, int[] y) {
    boolean numeric = true;
    for (int r = 0; r < rows.size() && numeric; r++) {
      try {
        y[r] = Integer.parseInt(rows.get(r)[column]);
        numeric = y[r] >= 0;
      } catch (NumberFormatException e) {
        numeric = false;
      }
    }
    if (numeric) {
      return List.of();
    }
    Map<String, Integer> classes = new TreeMap<>();
    for (String[] row : rows) {
      classes.put(row[column], 0);
    }
    int next = 0;
    for (Map.Entry<String, Integer> e : classes.entrySet()) {
      e.setValue(next++);
    }
    for (int r = 0; r < rows.size(); r++) {
      y[r] = classes.get(rows.get(r)[column]);
    }
    return List.copyOf(classes.keySet());
  }
}
