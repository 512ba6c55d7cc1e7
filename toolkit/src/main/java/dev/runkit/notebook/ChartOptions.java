package dev.runkit.notebook;

import java.util.Objects;

/**
 * How a chart looks: title, size, logarithmic y axis, and how many points a series keeps (longer
 * series are thinned keeping each bucket's extremes, so spikes, warm-ups and restarts stay
 * visible). Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * Charts.schedule(schedule, 10_000, ChartOptions.defaults().title("OneCycle").logScale(true));
 * }</pre>
 */
public final class ChartOptions {

  private static final ChartOptions DEFAULTS = new ChartOptions(null, 800, 450, false, 500);

  private final String title;
  private final int width;
  private final int height;
  private final boolean logScale;
  private final int maxPoints;

  private ChartOptions(String title, int width, int height, boolean logScale, int maxPoints) {
    this.title = title;
    this.width = width;
    this.height = height;
    this.logScale = logScale;
    this.maxPoints = maxPoints;
  }

  /**
   * Returns the defaults: 800x450 pixels, linear axes, at most 500 buckets per series (each keeps
   * up to four points: about two points per pixel of the plot area, and drawing time grows with the
   * points).
   *
   * @return the default options
   */
  public static ChartOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Sets the title (null keeps the chart's own default).
   *
   * @param title the title
   * @return the changed copy
   */
  public ChartOptions title(String title) {
    return new ChartOptions(title, width, height, logScale, maxPoints);
  }

  /**
   * Sets the image size.
   *
   * @param width pixels, {@code >= 100}
   * @param height pixels, {@code >= 100}
   * @return the changed copy
   * @throws IllegalArgumentException if a side is below 100 pixels or above 10,000
   */
  public ChartOptions size(int width, int height) {
    if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
      throw new IllegalArgumentException(
          "chart size must be between 100 and 10000 pixels a side, got " + width + "x" + height);
    }
    return new ChartOptions(title, width, height, logScale, maxPoints);
  }

  /**
   * Sets whether the (first) y axis is logarithmic; non-positive values are then left out.
   *
   * @param logScale true for a log scale
   * @return the changed copy
   */
  public ChartOptions logScale(boolean logScale) {
    return new ChartOptions(title, width, height, logScale, maxPoints);
  }

  /**
   * Sets how many buckets a long series is thinned to (each keeps its first, lowest, highest and
   * last point).
   *
   * @param maxPoints the bucket count, {@code >= 10}
   * @return the changed copy
   * @throws IllegalArgumentException if maxPoints is below 10
   */
  public ChartOptions maxPoints(int maxPoints) {
    if (maxPoints < 10) {
      throw new IllegalArgumentException("maxPoints must be >= 10, got " + maxPoints);
    }
    return new ChartOptions(title, width, height, logScale, maxPoints);
  }

  /**
   * Returns the title, or the given default when none was set.
   *
   * @param fallback the chart's default title
   * @return the title
   */
  String titleOr(String fallback) {
    return title == null ? fallback : title;
  }

  /**
   * Returns the width in pixels.
   *
   * @return the width
   */
  public int width() {
    return width;
  }

  /**
   * Returns the height in pixels.
   *
   * @return the height
   */
  public int height() {
    return height;
  }

  /**
   * Returns whether the y axis is logarithmic.
   *
   * @return true for a log scale
   */
  public boolean logScale() {
    return logScale;
  }

  /**
   * Returns the bucket count long series are thinned to.
   *
   * @return the bucket count
   */
  public int maxPoints() {
    return maxPoints;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChartOptions other
        && Objects.equals(title, other.title)
        && width == other.width
        && height == other.height
        && logScale == other.logScale
        && maxPoints == other.maxPoints;
  }

  @Override
  public int hashCode() {
    return Objects.hash(title, width, height, logScale, maxPoints);
  }
}
