package dev.runkit.data;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Data sets by name, as a config's {@code DATA: {NAME, PARAM}} asks for them: the bundled {@code
 * digits} and {@code iris} (classification), {@code co2} and {@code sunspots} (forecasting
 * windows), and any CSV file ({@code csv} with a label column, {@code series_csv} with a value
 * column).
 *
 * <p>{@code csv} takes {@code path}, {@code header} (default true), {@code label} (a column name or
 * index, default the last column; for regression also a list of columns), {@code task} ({@code
 * classification} or {@code regression}; by default classification, refusing a label column that
 * looks like a quantity to predict), {@code normalize} (default true: each feature column, and each
 * regression target, standardised with the training part's mean and deviation, see {@link
 * SplitData#normalized()}; metrics and predictions stay in the targets' units), {@code drop} (a
 * column or a list of columns that are not features, such as an id or a text column) and {@code
 * train_val_test_ratio}.
 *
 * <pre>{@code
 * SplitData d = Datasets.build("co2", Map.of("window", 52, "horizon", 4), 42, Path.of("."), "DATA");
 * SplitData h = Datasets.build("csv", Map.of("path", "houses.csv", "label", "price",
 *     "task", "regression"), 42, Path.of("."), "DATA");
 * }</pre>
 */
public final class Datasets {

  /** Loads and splits one named data set from its validated parameters. */
  @FunctionalInterface
  interface Factory {
    SplitData load(Params params, long seed, Path baseDir);
  }

  private static final Ratio CLASSIFICATION_RATIO = Ratio.of(0.8, 0.2, 0.0);
  private static final Ratio SERIES_RATIO = Ratio.of(0.7, 0.1, 0.2);

  private static final Registry<Factory> REGISTRY =
      new Registry<Factory>("data set")
          .register(
              "digits",
              (p, seed, dir) ->
                  SplitData.classification(
                      "digits", LabeledData.digits(), ratio(p, CLASSIFICATION_RATIO), seed))
          .register(
              "iris",
              (p, seed, dir) ->
                  SplitData.classification(
                      "iris", LabeledData.iris(), ratio(p, CLASSIFICATION_RATIO), seed))
          .register("co2", (p, seed, dir) -> series(p, Series.co2(), 52))
          .register("sunspots", (p, seed, dir) -> series(p, Series.sunspots(), 20))
          .register("csv", Datasets::csv)
          .register("series_csv", Datasets::seriesCsv);

  private Datasets() {}

  /**
   * Loads a data set by name and splits it.
   *
   * @param name a registered name, any case (see {@link #names()})
   * @param params its parameters (see the class comment); null for defaults
   * @param seed the seed of the shuffle before a classification split
   * @param baseDir the folder relative file paths are resolved against (the config's folder)
   * @param path the key path of the data section (e.g. {@code DATA}); the name is reported at
   *     {@code path.NAME} and parameters at {@code path.PARAM.key}
   * @return the split data
   * @throws IllegalArgumentException for an unknown name or parameter, a bad value or a missing
   *     file
   */
  public static SplitData build(
      String name, Map<?, ?> params, long seed, Path baseDir, String path) {
    Factory factory = REGISTRY.get(name, path + ".NAME");
    Params p = Params.of(path + ".PARAM", params);
    SplitData data = factory.load(p, seed, baseDir);
    p.requireNoUnknown();
    return data;
  }

  /**
   * Lists every registered data set name.
   *
   * @return the names, in registration order
   */
  public static List<String> names() {
    return REGISTRY.names();
  }

  private static Ratio ratio(Params p, Ratio fallback) {
    String key = "train_val_test_ratio";
    if (!p.has(key)) {
      return fallback;
    }
    List<Double> r = p.requiredDoubleList(key);
    boolean ok =
        r.size() == 3
            && r.get(0) > 0
            && r.get(1) >= 0
            && r.get(2) >= 0
            && Math.abs(r.get(0) + r.get(1) + r.get(2) - 1) <= 1e-6;
    p.check(key, r, ok, "three shares >= 0 (train > 0) summing to 1");
    return Ratio.of(r.get(0), r.get(1), r.get(2));
  }

  private static SplitData series(Params p, Series series, int defaultWindow) {
    long window = p.optionalLong("window", defaultWindow);
    p.check("window", window, window >= 1 && window <= 100_000, "in [1, 100000]");
    long horizon = p.optionalLong("horizon", 1);
    p.check("horizon", horizon, horizon >= 1 && horizon <= 100_000, "in [1, 100000]");
    boolean normalize = p.optionalBoolean("normalize", true);
    Ratio ratio = ratio(p, SERIES_RATIO);
    try {
      return series.split((int) window, (int) horizon, ratio, normalize);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p.path() + ": " + e.getMessage(), e);
    }
  }

  private static SplitData csv(Params p, long seed, Path baseDir) {
    // every key checked first: a misspelt "task" must not surface as the advice to set it
    p.requireOnly("path", "header", "label", "task", "normalize", "drop", "train_val_test_ratio");
    Path file = file(p, baseDir);
    boolean header = p.optionalBoolean("header", true);
    String task = p.optionalChoice("task", null, "classification", "regression");
    boolean normalize = p.optionalBoolean("normalize", true);
    List<String> labels =
        p.optionalRaw("label") instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : List.of(p.optionalString("label", "-1"));
    Ratio ratio = ratio(p, CLASSIFICATION_RATIO);
    CsvTable table = CsvTable.read(file, header);
    if (p.optionalRaw("drop") != null) {
      table = drop(table, p);
    }
    String name = file.getFileName().toString();
    int[] columns = new int[labels.size()];
    for (int i = 0; i < columns.length; i++) {
      String at = p.path("label") + (labels.size() > 1 ? "[" + i + "]" : "");
      columns[i] = table.column(labels.get(i), at);
    }
    boolean regression = "regression".equals(task);
    if (!regression && columns.length != 1) {
      throw new IllegalArgumentException(
          p.path("label")
              + " must name one column for classification, got "
              + labels
              + "; several columns are the targets of a regression ("
              + p.path("task")
              + ": regression)");
    }
    SplitData data;
    if (regression) {
      RegressionData rows = table.regression(columns);
      data = split(p, () -> SplitData.regression(name, rows, ratio, seed));
    } else {
      LabeledData rows =
          task == null
              ? table.labeled(
                  columns[0],
                  p.path("label") + " \"" + table.header().get(columns[0]) + "\" of " + name,
                  p.path("task") + ": regression",
                  p.path("task") + ": classification")
              : table.classes(columns[0]);
      data = split(p, () -> SplitData.classification(name, rows, ratio, seed));
    }
    return normalize ? data.normalized() : data;
  }

  /** Leaves out the columns {@code drop} names (one, or a list), each checked at its key path. */
  private static CsvTable drop(CsvTable table, Params p) {
    Object raw = p.optionalRaw("drop");
    List<String> names =
        raw instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : List.of(String.valueOf(raw));
    for (int i = 0; i < names.size(); i++) {
      table.column(names.get(i), p.path("drop") + (raw instanceof List<?> ? "[" + i + "]" : ""));
    }
    return table.drop(names.toArray(String[]::new));
  }

  /**
   * Splits, naming the data section in what the split reports (a share that leaves a part empty).
   */
  private static SplitData split(Params p, Supplier<SplitData> split) {
    try {
      return split.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p.path() + ": " + e.getMessage(), e);
    }
  }

  private static SplitData seriesCsv(Params p, long seed, Path baseDir) {
    Path file = file(p, baseDir);
    String column = p.requiredString("column");
    return series(p, Series.csv(file, column, p.path("column")), 20);
  }

  private static Path file(Params p, Path baseDir) {
    String given = p.requiredString("path");
    Path file = baseDir.resolve(given).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          p.path("path") + " names a file that does not exist: \"" + given + "\" (" + file + ")");
    }
    return file;
  }
}
