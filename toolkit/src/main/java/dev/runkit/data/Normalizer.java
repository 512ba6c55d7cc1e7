package dev.runkit.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Standardises the columns of tabular rows, {@code (x - mean) / std} per column, with statistics
 * fitted on the training rows only (fastai's {@code Normalize}, scikit-learn's {@code
 * StandardScaler}): the features, and the targets of regression rows. {@link
 * SplitData#normalized()} applies them to every part of a split, and a trained model keeps them in
 * its properties so that {@code RunResult.predict(float[][])} takes raw rows and answers in the
 * targets' units.
 *
 * <pre>{@code
 * SplitData d = SplitData.classification("flowers", rows, Ratio.of(0.8, 0.2, 0), 42).normalized();
 * Normalizer n = d.normalizer();
 * float[] z = n.normalize(rawRows);   // row-major, n.size() values per row
 * }</pre>
 *
 * @param columns the scaler of each feature column, in column order; a column that was constant in
 *     the training rows has std 1, so it is only centred
 */
public record Normalizer(List<Scaler> columns) {

  /** The name of a feature normaliser among a model's properties. */
  public static final String FEATURES = "normalizer";

  /** The name of a regression target normaliser among a model's properties. */
  public static final String TARGETS = "target_normalizer";

  /**
   * Checks that there is a scaler per column.
   *
   * @throws IllegalArgumentException if there are no columns
   */
  public Normalizer {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a normalizer needs at least one column");
    }
  }

  /**
   * Fits the statistics of each column of row-major rows (NaN left out); they are rounded to float,
   * the precision of the data, so that normalising the same values later gives the same floats.
   *
   * @param features the rows, row-major, {@code rows * columns} values
   * @param columns the values per row, {@code >= 1}
   * @return the normalizer
   * @throws IllegalArgumentException if the values do not fill whole rows or there are none
   */
  public static Normalizer fit(float[] features, int columns) {
    if (columns < 1 || features.length == 0 || features.length % columns != 0) {
      throw new IllegalArgumentException(
          "Normalizer.fit needs whole rows of "
              + columns
              + " columns, got "
              + features.length
              + " values");
    }
    List<Scaler> scalers = new ArrayList<>(columns);
    for (int c = 0; c < columns; c++) {
      Scaler s = Scaler.fit(features, c, features.length, columns);
      float mean = (float) s.mean();
      float std = (float) s.std();
      scalers.add(new Scaler(mean, std > 0 && Float.isFinite(std) ? std : 1));
    }
    return new Normalizer(scalers);
  }

  /**
   * Returns the number of columns.
   *
   * @return the values per row
   */
  public int size() {
    return columns.size();
  }

  /**
   * Returns the mean of each column.
   *
   * @return the means, in column order
   */
  public float[] means() {
    float[] out = new float[size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = (float) columns.get(c).mean();
    }
    return out;
  }

  /**
   * Returns the deviation of each column (1 for a constant one).
   *
   * @return the deviations, in column order
   */
  public float[] stds() {
    float[] out = new float[size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = (float) columns.get(c).std();
    }
    return out;
  }

  /**
   * Normalises row-major rows.
   *
   * @param features the rows in the data's units, {@code size()} values per row
   * @return a normalised copy
   * @throws IllegalArgumentException if the values do not fill whole rows of {@code size()}
   */
  public float[] normalize(float[] features) {
    return eachColumn(features, false);
  }

  /** Normalises row-major rows, or turns them back, with each column's own scaler. */
  private float[] eachColumn(float[] values, boolean back) {
    int width = size();
    if (values.length % width != 0) {
      throw new IllegalArgumentException(
          "the normalizer takes rows of "
              + width
              + " values, but "
              + values.length
              + " values are not whole rows");
    }
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      Scaler column = columns.get(i % width);
      out[i] = (float) (back ? column.denormalize(values[i]) : column.normalize(values[i]));
    }
    return out;
  }

  /**
   * Turns normalised row-major rows back into the data's units, {@code z * std + mean}.
   *
   * @param values the rows, {@code size()} values per row
   * @return a copy in the data's units
   * @throws IllegalArgumentException if the values do not fill whole rows of {@code size()}
   */
  public float[] denormalize(float[] values) {
    return eachColumn(values, true);
  }

  /**
   * Writes the statistics of a feature normaliser as string properties of a model: {@code
   * runkit.data.normalizer.mean} and {@code runkit.data.normalizer.std}, JSON lists of numbers.
   *
   * @return the properties
   */
  public Map<String, String> toProperties() {
    return toProperties(FEATURES);
  }

  /**
   * Writes the statistics as string properties of a model under a name: {@code
   * runkit.data.NAME.mean} and {@code runkit.data.NAME.std}.
   *
   * @param name {@link #FEATURES} or {@link #TARGETS}
   * @return the properties
   */
  public Map<String, String> toProperties(String name) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(DataInfo.PROPERTY_PREFIX + name + ".mean", Json.numbers(means()));
    p.put(DataInfo.PROPERTY_PREFIX + name + ".std", Json.numbers(stds()));
    return p;
  }

  /**
   * Reads a feature normalizer written by {@link #toProperties()} from a model's properties.
   *
   * @param properties the model's properties (other keys are ignored)
   * @return the normalizer, or empty when the properties hold none
   * @throws IllegalArgumentException if they hold one that cannot be read
   */
  public static Optional<Normalizer> fromProperties(Map<String, String> properties) {
    return fromProperties(properties, FEATURES);
  }

  /**
   * Reads a normalizer written by {@link #toProperties(String)} from a model's properties.
   *
   * @param properties the model's properties (other keys are ignored)
   * @param name {@link #FEATURES} or {@link #TARGETS}
   * @return the normalizer, or empty when the properties hold none of that name
   * @throws IllegalArgumentException if they hold one that cannot be read
   */
  public static Optional<Normalizer> fromProperties(Map<String, String> properties, String name) {
    String meanKey = DataInfo.PROPERTY_PREFIX + name + ".mean";
    String stdKey = DataInfo.PROPERTY_PREFIX + name + ".std";
    String mean = properties.get(meanKey);
    String std = properties.get(stdKey);
    if (mean == null && std == null) {
      return Optional.empty();
    }
    try {
      float[] m = Json.readFloats(mean);
      float[] s = Json.readFloats(std);
      if (m.length != s.length) {
        throw new IllegalArgumentException(m.length + " means but " + s.length + " deviations");
      }
      List<Scaler> scalers = new ArrayList<>(m.length);
      for (int c = 0; c < m.length; c++) {
        scalers.add(new Scaler(m[c], s[c]));
      }
      return Optional.of(new Normalizer(scalers));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the model's properties "
              + meanKey
              + " / "
              + stdKey
              + " hold no readable normalizer: "
              + e,
          e);
    }
  }
}
