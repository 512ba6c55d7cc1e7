package org.knowm.xchart.internal.chartpart;

import java.util.List;
import java.util.Objects;

/**
 * The tick labels XChart drew on a chart's axes, read from its axis pair (package-private in XChart
 * 3.8, hence this helper in XChart's package); call after the chart was painted.
 */
public final class AxisTicks {

  private AxisTicks() {}

  /**
   * Returns the labels of a y axis as drawn, without the unlabelled ticks of a log axis.
   *
   * @param chart a painted chart
   * @param group the y-axis group
   * @return the labels, bottom to top
   */
  public static List<String> y(Chart<?, ?> chart, int group) {
    return labels(chart.getAxisPair().getYAxis(group));
  }

  /**
   * Returns the labels of the x axis as drawn.
   *
   * @param chart a painted chart
   * @return the labels, left to right
   */
  public static List<String> x(Chart<?, ?> chart) {
    return labels(chart.getAxisPair().getXAxis());
  }

  private static List<String> labels(Axis<?, ?> axis) {
    return axis.getAxisTickCalculator().getTickLabels().stream().filter(Objects::nonNull).toList();
  }
}
