package dev.runkit.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A univariate time series with NaN for missing values (the weeks CO2 was not measured), cut into
 * forecasting windows by {@link #split}.
 *
 * <pre>{@code
 * SplitData d = Series.co2().split(52, 1, Ratio.of(0.7, 0.1, 0.2), true);
 * }</pre>
 *
 * @param name the series name, for messages
 * @param values the values in time order, NaN where missing
 */
public record Series(String name, float[] values) {

  /**
   * Checks the values.
   *
   * @throws NullPointerException if a value is null
   */
  public Series {
    Objects.requireNonNull(name, "name");
    values = values.clone();
  }

  /**
   * Loads the bundled Mauna Loa weekly CO2 concentrations (ppm), 1958-03-29 to 2001-12-29; 59 weeks
   * are missing (NaN).
   *
   * @return the series
   */
  public static Series co2() {
    CsvTable t = CsvTable.resource("co2.csv", true);
    return new Series("co2", t.numbers(t.column("co2")));
  }

  /**
   * Loads the bundled yearly sunspot activity, 1700 to 2008.
   *
   * @return the series
   */
  public static Series sunspots() {
    CsvTable t = CsvTable.resource("sunspots.csv", true);
    return new Series("sunspots", t.numbers(t.column("SUNACTIVITY")));
  }

  /**
   * Reads one column of a CSV file with a header as a series; empty cells are missing values.
   *
   * @param file the file
   * @param column the column name or 0-based index
   * @return the series
   * @throws IllegalArgumentException for a missing file or column, or a cell that is not a number
   */
  public static Series csv(Path file, String column) {
    return csv(file, column, null);
  }

  /**
   * Reads one column of a CSV file as {@link #csv(Path, String)} does, for a column named in a
   * config: an unknown column's error names where it was written.
   *
   * @param file the file
   * @param column the column name or 0-based index
   * @param keyPath where the column was named, for messages (e.g. {@code DATA.PARAM.column})
   * @return the series
   * @throws IllegalArgumentException for a missing file or column, or a cell that is not a number
   */
  public static Series csv(Path file, String column, String keyPath) {
    CsvTable t = CsvTable.read(file, true);
    return new Series(file.getFileName().toString(), t.numbers(t.column(column, keyPath)));
  }

  /**
   * Returns the values.
   *
   * @return a copy, NaN where missing
   */
  @Override
  public float[] values() {
    return values.clone();
  }

  /**
   * Returns the number of time steps.
   *
   * @return the length
   */
  public int length() {
    return values.length;
  }

  /**
   * Cuts the series into windows of {@code window} inputs followed by {@code horizon} targets and
   * splits them in time order (training first, so no future leaks into training). When asked, the
   * values are z-score normalised with the mean and deviation of the training part; missing inputs
   * are then filled with 0 (the training mean) while missing targets stay NaN, to be masked by the
   * loss and metrics.
   *
   * @param window input steps per example, {@code >= 1}
   * @param horizon forecast steps per example, {@code >= 1}
   * @param ratio the train / validation / test shares of the windows
   * @param normalize whether to z-score normalise
   * @return the split, examples of shape {@code [window, 1]}, labels of shape {@code [horizon]},
   *     with the {@link SplitData#scaler() scaler} used (the identity when not normalised)
   * @throws IllegalArgumentException if the series is too short for one window per part
   */
  public SplitData split(int window, int horizon, Ratio ratio, boolean normalize) {
    if (window < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "window and horizon must be >= 1, got " + window + " and " + horizon);
    }
    int count = values.length - window - horizon + 1;
    if (count < 1) {
      throw new IllegalArgumentException(
          name
              + " has "
              + values.length
              + " steps, fewer than window + horizon = "
              + (window + horizon));
    }
    int[] sizes = ratio.sizes(count, name);
    float[] v = values.clone();
    Scaler scaler = Scaler.identity();
    if (normalize) {
      // statistics of the steps the training windows touch, so validation and test stay unseen
      int trainSteps = sizes[0] - 1 + window + horizon;
      scaler = Scaler.fit(v, 0, trainSteps, 1);
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) scaler.normalize(v[i]);
      }
    }
    DataInfo info = new DataInfo(name, DataInfo.Task.FORECASTING, new long[] {window, 1}, horizon);
    int a = sizes[0];
    int b = a + sizes[1];
    return new SplitData(
        info,
        windows(v, 0, a, window, horizon),
        sizes[1] == 0 ? null : windows(v, a, b, window, horizon),
        sizes[2] == 0 ? null : windows(v, b, count, window, horizon),
        scaler);
  }

  private static Windows windows(float[] v, int from, int to, int window, int horizon) {
    int n = to - from;
    float[] x = new float[n * window];
    float[] y = new float[n * horizon];
    for (int i = 0; i < n; i++) {
      int start = from + i;
      for (int j = 0; j < window; j++) {
        float value = v[start + j];
        x[i * window + j] = Float.isNaN(value) ? 0f : value;
      }
      System.arraycopy(v, start + window, y, i * horizon, horizon);
    }
    return new Windows(x, y, window, horizon);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s && name.equals(s.name) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Series[" + name + ", " + values.length + " steps]";
  }
}
