package dev.runkit.notebook;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How every RunKit chart looks, whatever it plots ({@link Charts}, {@link SweepCharts}): the chart
 * with its size, colours and dashed marks, the legend placed where it hides no curve, the axes'
 * tick-label patterns, ranges and units, thinned line series, and messages written inside a chart
 * (which {@link Charts#notes} reads back).
 */
final class ChartStyle {

  private ChartStyle() {}

  /** The colour of marks: warm-up ends, restarts, suggestions. */
  static final Color MARK = new Color(120, 120, 120);

  /**
   * Series colours, in order: ten that stay apart from each other and from the white background
   * (XChart's own run into light grey, cyan and a yellow next to its orange from the sixth series
   * on, so ten runs compared were hard to tell apart).
   */
  static final Color[] SERIES_COLORS = {
    new Color(31, 119, 180), // blue
    new Color(255, 127, 14), // orange
    new Color(44, 160, 44), // green
    new Color(214, 39, 40), // red
    new Color(148, 103, 189), // purple
    new Color(140, 86, 75), // brown
    new Color(227, 119, 194), // pink
    new Color(0, 0, 0), // black
    new Color(188, 189, 34), // olive
    new Color(23, 190, 207) // cyan
  };

  /** Beyond this many series a legend inside the plot would cover curves; it goes outside. */
  static final int MAX_INSIDE_LEGEND = 5;

  /**
   * Puts the legend where it hides nothing: in an inside corner no curve passes through (rising
   * accuracy curves fill the top right corner, falling losses the bottom right), each curve read
   * against its own y axis as drawn (log scales and fixed axis ranges included), else, when curves
   * cross every corner or there are many series, to the right of the plot.
   */
  static void placeLegend(XYChart chart) {
    List<XYSeries> shown = new ArrayList<>();
    for (XYSeries s : chart.getSeriesMap().values()) {
      if (s.isShowInLegend()) {
        shown.add(s);
      }
    }
    if (shown.size() > MAX_INSIDE_LEGEND) {
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      return;
    }
    // XChart draws every y axis (the second too) logarithmic when the chart's is
    boolean logY = chart.getStyler().isYAxisLogarithmic();
    boolean logX = chart.getStyler().isXAxisLogarithmic();
    // points as {x, y, y-axis group}; each group is scaled to its own axis (the learning rate on
    // the right of a curves chart has its own range)
    List<double[]> points = new ArrayList<>();
    for (XYSeries s : shown) {
      double[] xs = s.getXData();
      double[] ys = s.getYData();
      int group = s.getYAxisGroup();
      boolean log = logY;
      double[] previous = null;
      for (int i = 0; i < xs.length; i++) {
        double y = log ? (ys[i] > 0 ? Math.log10(ys[i]) : Double.NaN) : ys[i];
        double x = logX ? (xs[i] > 0 ? Math.log10(xs[i]) : Double.NaN) : xs[i];
        if (!Double.isFinite(y) || !Double.isFinite(x)) {
          previous = null;
          continue;
        }
        double[] point = {x, y, group};
        if (previous != null) {
          // a few points along each segment: the lines between sparse points hide too
          for (int k = 1; k < 8; k++) {
            double t = k / 8.0;
            points.add(
                new double[] {
                  previous[0] + t * (point[0] - previous[0]),
                  previous[1] + t * (point[1] - previous[1]),
                  group
                });
          }
        }
        points.add(point);
        previous = point;
      }
    }
    if (points.isEmpty()) {
      return;
    }
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    Map<Integer, double[]> yRange = new HashMap<>();
    for (double[] p : points) {
      x0 = Math.min(x0, p[0]);
      x1 = Math.max(x1, p[0]);
      double[] r =
          yRange.computeIfAbsent(
              (int) p[2], g -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
      r[0] = Math.min(r[0], p[1]);
      r[1] = Math.max(r[1], p[1]);
    }
    // an axis with a fixed range (the LR finder's cuts off the exploding loss) is drawn at it
    for (Map.Entry<Integer, double[]> e : yRange.entrySet()) {
      boolean log = logY;
      Double min = chart.getStyler().getYAxisMin(e.getKey());
      Double max = chart.getStyler().getYAxisMax(e.getKey());
      min = min != null ? min : chart.getStyler().getYAxisMin();
      max = max != null ? max : chart.getStyler().getYAxisMax();
      if (min != null && (!log || min > 0)) {
        e.getValue()[0] = log ? Math.log10(min) : min;
      }
      if (max != null && (!log || max > 0)) {
        e.getValue()[1] = log ? Math.log10(max) : max;
      }
    }
    // the legend's share of the plot, from its size as XChart draws it (a line sample and the
    // label per row, about 20 pixels a row) and the plot's (the chart less its axes and title)
    int longest = 0;
    for (XYSeries s : shown) {
      longest = Math.max(longest, s.getName().length());
    }
    double plotWidth = Math.max(100, chart.getWidth() - 140);
    double plotHeight = Math.max(80, chart.getHeight() - 90);
    double width = Math.min(0.9, (70 + 6.5 * longest) / plotWidth);
    double height = Math.min(0.9, (22 + 20 * shown.size()) / plotHeight);
    Styler.LegendPosition[] corners = {
      Styler.LegendPosition.InsideNE,
      Styler.LegendPosition.InsideSE,
      Styler.LegendPosition.InsideNW,
      Styler.LegendPosition.InsideSW
    };
    int[] covered = new int[corners.length];
    for (double[] p : points) {
      double[] r = yRange.get((int) p[2]);
      double u = x1 > x0 ? (p[0] - x0) / (x1 - x0) : 0.5;
      double v = r[1] > r[0] ? (p[1] - r[0]) / (r[1] - r[0]) : 0.5;
      boolean right = u >= 1 - width;
      boolean left = u <= width;
      boolean top = v >= 1 - height;
      boolean bottom = v <= height;
      covered[0] += right && top ? 1 : 0;
      covered[1] += right && bottom ? 1 : 0;
      covered[2] += left && top ? 1 : 0;
      covered[3] += left && bottom ? 1 : 0;
    }
    int best = 0;
    for (int i = 1; i < corners.length; i++) {
      if (covered[i] < covered[best]) {
        best = i;
      }
    }
    if (covered[best] == 0) {
      chart.getStyler().setLegendPosition(corners[best]);
    } else if (chart.getWidth() < NARROW && shown.size() <= 3) {
      // beside a narrow plot the legend would take a third of its width; below it, one line
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
      chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    } else {
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    }
  }

  /** Charts narrower than this (grid panels) put a legend that must go outside below the plot. */
  static final int NARROW = 600;

  /**
   * Picks the y tick-label pattern for the main axis's range, and gives a y axis whose series are
   * all flat (a constant learning rate) a range around the value: XChart otherwise draws it slowly
   * (several times the cost of the chart) with a degenerate scale.
   */
  static XYChart finishAxes(XYChart chart) {
    for (int group = 0; group <= 1; group++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (XYSeries s : chart.getSeriesMap().values()) {
        if (s.getYAxisGroup() != group || !s.isShowInLegend()) {
          continue;
        }
        for (double v : s.getYData()) {
          if (!Double.isNaN(v)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
      boolean log = chart.getStyler().isYAxisLogarithmic();
      if (log && !Double.isInfinite(min)) {
        chart.getStyler().putYAxisGroupDecimalPatternMap(group, logPattern(min, max));
      } else if (group == 0 && !Double.isInfinite(min)) {
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(min, max));
      }
      if (group == 0 && chart.getStyler().isYAxisLogarithmic() && min > 0 && max / min < 100) {
        // XChart labels a log axis at powers of ten only: within two decades that is one or two
        // labels; with 2, 3, ... 9 between them the curves can be read
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
      }
      if (min < max) {
        addSpacingBreaker(chart, group, min, max);
      }
      if (min == max && !Double.isInfinite(min)) {
        double half = min == 0 ? 1 : Math.abs(min) * 0.5;
        chart.getStyler().setYAxisMin(group, log ? min / 2 : min - half);
        chart.getStyler().setYAxisMax(group, log ? min * 2 : max + half);
      }
    }
    return chart;
  }

  /**
   * Adds an invisible point inside a y axis's range. XChart 3.8 labels an axis at its data values
   * when those are equally spaced (a linear ramp, or two levels of a step schedule), which piles up
   * labels or leaves two; an extra value that splits one gap unevenly makes it choose round ticks.
   */
  private static void addSpacingBreaker(XYChart chart, int group, double min, double max) {
    XYSeries first = chart.getSeriesMap().values().iterator().next();
    double x = first.getXData()[0];
    double y = min + (max - min) * 0.382;
    String name = "\u200b" + group;
    if (!(y > min && y < max) || chart.getSeriesMap().containsKey(name)) {
      return;
    }
    XYSeries breaker = chart.addSeries(name, new double[] {x}, new double[] {y});
    breaker.setYAxisGroup(group);
    breaker.setMarker(SeriesMarkers.NONE);
    breaker.setLineColor(new Color(0, 0, 0, 0));
    breaker.setShowInLegend(false);
  }

  /**
   * Chooses tick labels for a value range: plain decimals with enough places for the span where
   * values are of everyday size (losses, accuracies), scientific notation for tiny or huge ones
   * (learning rates).
   */
  static String decimalPattern(double min, double max) {
    double magnitude = Math.max(Math.abs(min), Math.abs(max));
    if (magnitude < 1e-2 || magnitude >= 1e6) {
      return magnitude == 0 ? "0.###" : "0.####E0";
    }
    double span = max - min;
    int places = span > 0 ? (int) Math.ceil(-Math.log10(span)) + 2 : 3;
    return "#,##0." + "#".repeat(Math.max(1, Math.min(6, places)));
  }

  /**
   * Chooses tick labels for a logarithmic axis, whose ticks are 1 to 9 times powers of ten: in full
   * with as many places as the smallest needs (0.001, 0.02) down to thousandths, else in scientific
   * notation (1E-4, 3E-4), so that no two labels read alike.
   */
  static String logPattern(double min, double max) {
    int lowest = min > 0 ? (int) Math.floor(Math.log10(min)) : Integer.MIN_VALUE;
    if (lowest < -3 || max >= 1e6) {
      return "0E0";
    }
    return lowest >= 0 ? "#,##0" : "#,##0." + "#".repeat(-lowest);
  }

  /**
   * The power of ten in whose units small learning rates are drawn on a linear axis (a log axis
   * needs none, and in units its labels would repeat). XChart 3.8 takes a series whose neighbouring
   * values differ by less than 1e-4 for an equally spaced one and labels the axis at data points
   * (an unreadable pile of labels); in units of 1e-3 the same curve gets round ticks, and one tick
   * pattern fits both y axes.
   */
  static int unitExponent(double peak) {
    return peak > 0 && peak < 0.1 ? (int) Math.floor(Math.log10(peak)) : 0;
  }

  static double peakOf(double[] values) {
    double peak = 0;
    for (double v : values) {
      if (!Double.isNaN(v) && !Double.isInfinite(v)) {
        peak = Math.max(peak, Math.abs(v));
      }
    }
    return peak;
  }

  static double[] toUnits(double[] values, int exponent) {
    if (exponent == 0) {
      return values;
    }
    double unit = Math.pow(10, exponent);
    double[] scaled = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      scaled[i] = values[i] / unit;
    }
    return scaled;
  }

  static String inUnits(String title, int exponent) {
    return exponent == 0 ? title : title + " (x 1e" + exponent + ")";
  }

  static XYChart newChart(String title, String xTitle, String yTitle, ChartOptions o) {
    XYChart chart =
        new NotedChart(
            new XYChartBuilder()
                .width(o.width())
                .height(o.height())
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle));
    Styler styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setSeriesColors(SERIES_COLORS);
    styler.setAntiAlias(true);
    chart.getStyler().setYAxisLogarithmic(o.logScale());
    chart.getStyler().setXAxisDecimalPattern("#,###");
    chart.getStyler().setXAxisMaxLabelCount(12);
    chart.getStyler().setAnnotationLineColor(MARK);
    chart
        .getStyler()
        .setAnnotationLineStroke(
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
    return chart;
  }

  /**
   * Writes a message inside an empty (or partly drawn) chart; an empty chart gets a blank series.
   */
  static XYChart message(XYChart chart, String text) {
    if (chart.getSeriesMap().isEmpty()) {
      XYSeries blank = chart.addSeries(" ", new double[] {0, 1}, new double[] {0, 0});
      blank.setMarker(SeriesMarkers.NONE);
      blank.setLineColor(new Color(0, 0, 0, 0));
      blank.setShowInLegend(false);
      chart.getStyler().setYAxisLogarithmic(false);
      // a legend of nothing is an empty box in the corner
      chart.getStyler().setLegendVisible(false);
    }
    chart.addAnnotation(new AnnotationTextPanel(text, 0, 0, true));
    if (chart instanceof NotedChart noted) {
      noted.notes.add(text);
    }
    return chart;
  }

  /**
   * Returns the messages written inside a chart made here (zero steps, empty history, unknown
   * metric names), so code and tests can read what the image says.
   *
   * @param chart a chart
   * @return the messages, empty when there are none or the chart was not made by {@code Charts}
   */
  static List<String> notes(XYChart chart) {
    return chart instanceof NotedChart noted ? List.copyOf(noted.notes) : List.of();
  }

  /** An XYChart that remembers the messages written into it. */
  private static final class NotedChart extends XYChart {
    private final List<String> notes = new ArrayList<>();

    NotedChart(XYChartBuilder builder) {
      super(builder);
    }
  }

  /** Adds a thinned line series; non-positive values become gaps on a log axis. */
  static XYSeries addLine(
      XYChart chart, String name, double[] x, double[] y, int axisGroup, ChartOptions o) {
    int[] keep = Decimate.minMax(y, o.maxPoints());
    double[] xs = new double[keep.length];
    double[] ys = new double[keep.length];
    // every y axis is logarithmic when the chart's is
    boolean log = o.logScale();
    for (int i = 0; i < keep.length; i++) {
      xs[i] = x[keep[i]];
      double v = y[keep[i]];
      ys[i] = log && !(v > 0) ? Double.NaN : v;
    }
    breakEqualSpacing(xs);
    String unique = name;
    for (int k = 2; chart.getSeriesMap().containsKey(unique); k++) {
      unique = name + " (" + k + ")";
    }
    XYSeries series = chart.addSeries(unique, xs, ys);
    series.setMarker(SeriesMarkers.NONE);
    series.setYAxisGroup(axisGroup);
    return series;
  }

  /**
   * XChart 3.8 labels an axis whose data are equally spaced (within 1e-4) at data points, giving
   * labels such as 0, 39, 78, ... for a 1,000-step schedule; moving the last point by a thousandth
   * of a step (invisible) lets it choose round ticks instead.
   */
  static void breakEqualSpacing(double[] xs) {
    int n = xs.length;
    if (n < 3) {
      return;
    }
    double gap = xs[1] - xs[0];
    for (int i = 2; i < n; i++) {
      if (Math.abs(xs[i] - xs[i - 1] - gap) > 1e-4) {
        return;
      }
    }
    xs[n - 1] += Math.max(1e-3, Math.abs(gap) * 1e-3);
  }
}
