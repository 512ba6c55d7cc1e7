package dev.runkit.notebook;

import dev.runkit.config.ConfigFiles;
import dev.runkit.sweep.Objective;
import dev.runkit.sweep.Param;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialResult;
import dev.runkit.sweep.TrialStatus;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of a sweep: the objective against each hyperparameter (a grid, one small chart per
 * dimension), the trials' curves of the objective coloured by how far each trial got, and parallel
 * coordinates of the best trials; {@link #summary} puts curves and parameters in one image, which
 * sweeps write to their directory as {@code summary.png}.
 *
 * <pre>{@code
 * SweepResult r = sweep.fit();
 * Show.chart(SweepCharts.parameters(r));   // objective against each parameter
 * Show.chart(SweepCharts.curves(r));       // the objective over iterations, by rung
 * Show.chart(SweepCharts.parallel(r));     // the ten best trials across every parameter
 * }</pre>
 *
 * <p>Trials are drawn by status: completed in full colour, pruned ones faded (their value is the
 * best they reached before the scheduler stopped them), failed ones as red crosses along the
 * bottom, trials still training (a sweep in progress) in orange; the best trial is marked. A
 * dimension searched on a log scale gets a log axis; a choice gets one category per value.
 */
public final class SweepCharts {

  /** The colour of completed trials. */
  private static final Color COMPLETED = ChartStyle.SERIES_COLORS[0];

  /** Pruned trials: grey, see-through. */
  private static final Color PRUNED = new Color(120, 120, 120, 120);

  private static final Color RUNNING = ChartStyle.SERIES_COLORS[1];
  private static final Color FAILED = ChartStyle.SERIES_COLORS[3];
  private static final Color BEST = Color.BLACK;

  /** Parallel coordinates: the worst shown trial, the middle, the best (dark on white). */
  private static final Color[] RAMP = {
    new Color(244, 165, 80), new Color(92, 184, 150), new Color(37, 52, 148)
  };

  /** The size of one panel of a grid. */
  private static final ChartOptions PANEL = ChartOptions.defaults().size(420, 300);

  private SweepCharts() {}

  // ------------------------------------------------------------------------------ parameters

  /**
   * Plots the objective against each dimension of the search space, one panel per dimension in a
   * grid of up to three columns.
   *
   * @param sweep the sweep's result (or the view of a sweep in progress)
   * @return the grid
   * @throws IllegalArgumentException if the result is null
   */
  public static ChartGrid parameters(SweepResult sweep) {
    return parameters(sweep, 3, PANEL);
  }

  /**
   * Plots the objective against each dimension with chosen columns and panel size.
   *
   * @param sweep the sweep's result
   * @param columns panels per row, {@code >= 1}
   * @param options each panel's size; the title names the grid
   * @return the grid
   * @throws IllegalArgumentException if the result is null or columns is below 1
   */
  public static ChartGrid parameters(SweepResult sweep, int columns, ChartOptions options) {
    check(sweep, "parameters");
    if (columns < 1) {
      throw new IllegalArgumentException(
          "SweepCharts.parameters: columns must be >= 1, got " + columns);
    }
    List<XYChart> charts = new ArrayList<>();
    for (Param p : sweep.space().params()) {
      charts.add(parameter(sweep, p, options));
    }
    oneLegend(charts);
    return new ChartGrid(
        options.titleOr(objectiveName(sweep.objective()) + " by parameter"),
        charts,
        Math.min(columns, charts.size()));
  }

  /**
   * Plots the objective against one dimension of the search space.
   *
   * @param sweep the sweep's result
   * @param key the dimension's key (a config key path, or a factory's name)
   * @return the chart
   * @throws IllegalArgumentException for a null result or a key the space does not have (with the
   *     nearest)
   */
  public static XYChart parameter(SweepResult sweep, String key) {
    check(sweep, "parameter");
    Param p =
        sweep
            .space()
            .param(key)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "SweepCharts.parameter: the search space has no \""
                            + key
                            + "\"; it has "
                            + sweep.space().keys()
                            + "."
                            + dev.runkit.registry.Names.didYouMean(key, sweep.space().keys())));
    return parameter(sweep, p, ChartOptions.defaults().size(560, 400));
  }

  private static XYChart parameter(SweepResult sweep, Param p, ChartOptions options) {
    String yTitle = objectiveName(sweep.objective());
    XYChart chart = ChartStyle.newChart(p.key(), p.key(), yTitle, options);
    // the panel's title names the parameter
    chart.getStyler().setXAxisTitleVisible(false);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(7);
    List<Trial> trials = sweep.trials();
    List<TrialResult> results = sweep.results();
    if (trials.isEmpty()) {
      return ChartStyle.message(chart, "No trials yet.");
    }
    List<String> categories = categories(p);
    double[] x = new double[trials.size()];
    for (int i = 0; i < x.length; i++) {
      Object v = trials.get(i).params().get(p.key());
      x[i] = categories != null ? categories.indexOf(label(v)) : number(v);
    }
    if (categories != null) {
      spreadWithinCategories(x);
    }
    double[] finite = finiteObjectives(results);
    if (finite.length == 0) {
      ChartStyle.message(chart, "No trial has a value of " + sweep.objective().name() + " yet.");
    }
    double low = finite.length == 0 ? 0 : min(finite);
    double high = finite.length == 0 ? 1 : max(finite);
    // failed trials have no value: a row of crosses just below the others
    double floor = low - Math.max(0.06 * (high - low), 1e-3 * Math.max(1, Math.abs(low)));
    int best = bestIndex(sweep);
    Map<String, List<double[]>> groups = new LinkedHashMap<>();
    for (String name : List.of("completed", "running", "pruned", "failed")) {
      groups.put(name, new ArrayList<>());
    }
    for (int i = 0; i < results.size(); i++) {
      TrialResult r = results.get(i);
      boolean hasValue = Double.isFinite(r.objective());
      String group = group(r.status());
      if (group.equals("failed") || !hasValue) {
        if (r.status() == TrialStatus.FAILED) {
          groups.get("failed").add(new double[] {x[i], floor});
        }
        continue;
      }
      groups.get(group).add(new double[] {x[i], r.objective()});
    }
    addPoints(chart, "pruned", groups.get("pruned"), PRUNED, "circle");
    addPoints(chart, "completed", groups.get("completed"), COMPLETED, "circle");
    addPoints(chart, "running", groups.get("running"), RUNNING, "circle");
    addPoints(chart, "failed", groups.get("failed"), FAILED, "cross");
    if (best >= 0) {
      List<double[]> one = new ArrayList<>();
      one.add(new double[] {x[best], results.get(best).objective()});
      addPoints(chart, "best (trial " + trials.get(best).id() + ")", one, BEST, "diamond");
    }
    if (finite.length > 0) {
      chart.getStyler().setYAxisDecimalPattern(ChartStyle.decimalPattern(floor, high));
    }
    if (categories != null) {
      categoryAxis(chart, categories);
    } else {
      numericAxis(chart, p);
    }
    ChartStyle.placeLegend(chart);
    return chart;
  }

  /**
   * Every panel has the same legend: one shows it, the first with a corner free of points, else the
   * first below its plot, in one line (beside it, it would take a third of a panel's width).
   */
  private static void oneLegend(List<XYChart> charts) {
    XYChart with = null;
    for (XYChart chart : charts) {
      chart.getStyler().setLegendVisible(false);
      if (with == null && legendEntries(chart) > 0) {
        ChartStyle.placeLegend(chart);
        String where = chart.getStyler().getLegendPosition().name();
        if (where.startsWith("Inside")) {
          with = chart;
        }
      }
    }
    if (with == null && !charts.isEmpty() && legendEntries(charts.get(0)) > 0) {
      with = charts.get(0);
      with.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
      with.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
    }
    if (with != null) {
      with.getStyler().setLegendVisible(true);
    }
  }

  private static void addPoints(
      XYChart chart, String name, List<double[]> points, Color color, String marker) {
    if (points.isEmpty()) {
      return;
    }
    double[] xs = new double[points.size()];
    double[] ys = new double[points.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = points.get(i)[0];
      ys[i] = points.get(i)[1];
    }
    XYSeries s = chart.addSeries(name, xs, ys);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(
        switch (marker) {
          case "cross" -> SeriesMarkers.CROSS;
          case "diamond" -> SeriesMarkers.DIAMOND;
          default -> SeriesMarkers.CIRCLE;
        });
    s.setMarkerColor(color);
    s.setLineColor(color);
  }

  /** The categories of a choice or grid, as labels; null for a numeric range. */
  private static List<String> categories(Param p) {
    List<Object> values =
        p instanceof Param.Choice c ? c.values() : p instanceof Param.Grid g ? g.values() : null;
    if (values == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(label(v)));
    return out;
  }

  /** Puts the points of one category side by side around its position, so none hides another. */
  private static void spreadWithinCategories(double[] x) {
    Map<Double, List<Integer>> at = new TreeMap<>();
    for (int i = 0; i < x.length; i++) {
      at.computeIfAbsent(x[i], k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> same : at.values()) {
      int n = same.size();
      if (n < 2) {
        continue;
      }
      double width = Math.min(0.5, 0.05 * (n - 1));
      for (int j = 0; j < n; j++) {
        x[same.get(j)] += -width / 2 + width * j / (n - 1);
      }
    }
  }

  /** One category per integer position, labelled by its value; nothing between them. */
  private static void categoryAxis(XYChart chart, List<String> categories) {
    chart.getStyler().setXAxisMin(-0.5);
    chart.getStyler().setXAxisMax(categories.size() - 0.5);
    chart.setCustomXAxisTickLabelsFormatter(labelsAt(categories));
  }

  /**
   * Tick labels that name whole positions: {@code names[i]} at {@code i}. Ticks between them get
   * labels that print nothing but differ from each other, since XChart spaces its ticks out until
   * every label is different (equal blank labels left the axis unlabelled).
   */
  private static java.util.function.Function<Double, String> labelsAt(List<String> names) {
    return v -> {
      long i = Math.round(v);
      if (Math.abs(v - i) < 1e-6 && i >= 0 && i < names.size()) {
        return names.get((int) i);
      }
      return "\u200b".repeat(1 + (int) Math.max(0, Math.round((v + 1) * 16)));
    };
  }

  /** The searched range on the x axis, logarithmic where the space is. */
  private static void numericAxis(XYChart chart, Param p) {
    Range r = Range.of(p);
    double low = r.low();
    double high = r.high();
    boolean log = r.log();
    chart.getStyler().setXAxisMin(low);
    chart.getStyler().setXAxisMax(high);
    if (log) {
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setXAxisDecimalPattern(ChartStyle.logPattern(low, high));
      if (high / low < 100) {
        // labels at powers of ten only would be one or two over less than two decades
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
      }
    } else {
      chart.getStyler().setXAxisDecimalPattern(ChartStyle.decimalPattern(low, high));
    }
  }

  // ------------------------------------------------------------------------------ curves

  /**
   * Plots each trial's objective against the iteration, coloured by how far the trial got (one
   * colour per rung, pruned trials faded), rungs marked by dashed lines and the best trial in
   * black.
   *
   * @param sweep the sweep's result
   * @return the chart
   * @throws IllegalArgumentException if the result is null
   */
  public static XYChart curves(SweepResult sweep) {
    return curves(sweep, ChartOptions.defaults());
  }

  /**
   * Plots the trials' curves with chosen options.
   *
   * @param sweep the sweep's result
   * @param options size and title
   * @return the chart
   * @throws IllegalArgumentException if the result is null
   */
  public static XYChart curves(SweepResult sweep, ChartOptions options) {
    check(sweep, "curves");
    Objective o = sweep.objective();
    XYChart chart =
        ChartStyle.newChart(
            options.titleOr("Trials: " + objectiveName(o) + " by iteration"),
            "iteration",
            objectiveName(o),
            options);
    // markers only show trials stopped at their first report, a point each
    chart.getStyler().setMarkerSize(7);
    List<Trial> trials = sweep.trials();
    List<TrialResult> results = sweep.results();
    // how far each trial got: the rungs, in order, give the colours
    TreeSet<Long> reached = new TreeSet<>();
    Set<Long> rungs = new TreeSet<>();
    for (TrialResult r : results) {
      if (r.status() != TrialStatus.FAILED && !points(o, r).isEmpty()) {
        reached.add(r.iterations());
        if (r.status() != TrialStatus.COMPLETED) {
          rungs.add(r.iterations());
        }
      }
    }
    List<Long> levels = new ArrayList<>(reached);
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < results.size(); i++) {
      TrialResult r = results.get(i);
      if (points(o, r).isEmpty()) {
        continue;
      }
      groups.computeIfAbsent(groupLabel(r), k -> new ArrayList<>()).add(i);
    }
    // draw the faded ones first, so the trials that went on lie on top
    List<Map.Entry<String, List<Integer>>> ordered = new ArrayList<>(groups.entrySet());
    ordered.sort(
        Comparator.comparingInt(
            (Map.Entry<String, List<Integer>> e) ->
                drawOrder(results.get(e.getValue().get(0)).status())));
    for (Map.Entry<String, List<Integer>> e : ordered) {
      List<Integer> members = e.getValue();
      boolean first = true;
      for (int i : members) {
        TrialResult r = results.get(i);
        List<double[]> pts = points(o, r);
        Color color = curveColor(r, levels);
        String name =
            first
                ? e.getKey()
                    + " ("
                    + members.size()
                    + (members.size() == 1 ? " trial)" : " trials)")
                : "trial " + trials.get(i).id();
        XYSeries s = line(chart, name, pts, color);
        s.setShowInLegend(first);
        if (r.status() == TrialStatus.PRUNED) {
          s.setLineStyle(new BasicStroke(1.2f));
        } else if (r.status() == TrialStatus.FAILED) {
          s.setLineStyle(
              new BasicStroke(
                  1.5f,
                  BasicStroke.CAP_BUTT,
                  BasicStroke.JOIN_MITER,
                  10f,
                  new float[] {5f, 4f},
                  0f));
        }
        first = false;
      }
    }
    int best = bestIndex(sweep);
    if (best >= 0) {
      TrialResult r = results.get(best);
      XYSeries s =
          line(
              chart,
              "best: trial " + trials.get(best).id() + " (" + Formats.number(r.objective()) + ")",
              points(o, r),
              BEST);
      s.setLineStyle(new BasicStroke(2.5f));
    }
    if (chart.getSeriesMap().isEmpty()) {
      return ChartStyle.message(chart, "No trial has reported " + o.name() + " yet.");
    }
    for (long rung : rungs) {
      chart.addAnnotation(new AnnotationLine(rung, true, false));
    }
    double[] all = allValues(chart);
    chart.getStyler().setYAxisDecimalPattern(ChartStyle.decimalPattern(min(all), max(all)));
    ChartStyle.placeLegend(chart);
    return chart;
  }

  private static String groupLabel(TrialResult r) {
    return switch (r.status()) {
      case COMPLETED -> "completed at " + Formats.count(r.iterations());
      case PRUNED -> "pruned at " + Formats.count(r.iterations());
      case RUNNING -> "running, at " + Formats.count(r.iterations());
      case FAILED -> "failed";
    };
  }

  private static int drawOrder(TrialStatus s) {
    return switch (s) {
      case PRUNED -> 0;
      case FAILED -> 1;
      case RUNNING -> 2;
      case COMPLETED -> 3;
    };
  }

  /** The colour of the rung a trial reached; faded when pruned, red when failed. */
  private static Color curveColor(TrialResult r, List<Long> levels) {
    if (r.status() == TrialStatus.FAILED) {
      return FAILED;
    }
    int level = Math.max(0, levels.indexOf(r.iterations()));
    // the rungs take the series colours in order, skipping the best trial's black and the red
    Color[] palette = {
      ChartStyle.SERIES_COLORS[2],
      ChartStyle.SERIES_COLORS[4],
      ChartStyle.SERIES_COLORS[1],
      ChartStyle.SERIES_COLORS[0],
      ChartStyle.SERIES_COLORS[5],
      ChartStyle.SERIES_COLORS[9],
      ChartStyle.SERIES_COLORS[6],
      ChartStyle.SERIES_COLORS[8]
    };
    // the furthest rung is always blue, as completed trials are in the other charts
    int fromTop = levels.size() - 1 - level;
    Color c = fromTop == 0 ? COMPLETED : palette[(fromTop - 1) % palette.length];
    return r.status() == TrialStatus.PRUNED
        ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 150)
        : c;
  }

  private static XYSeries line(XYChart chart, String name, List<double[]> pts, Color color) {
    double[] xs = new double[pts.size()];
    double[] ys = new double[pts.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = pts.get(i)[0];
      ys[i] = pts.get(i)[1];
    }
    String unique = name;
    for (int k = 2; chart.getSeriesMap().containsKey(unique); k++) {
      unique = name + " (" + k + ")";
    }
    XYSeries s = chart.addSeries(unique, xs, ys);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(color);
    s.setMarkerColor(color);
    // a trial stopped at its first report is one point: a marker, as a line would not show
    s.setMarker(pts.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    // XChart's theme dashes every second series; a dash means a failed trial here
    s.setLineStyle(new BasicStroke(1.6f));
    return s;
  }

  /** A trial's finite values of the objective, as {iteration, value}. */
  private static List<double[]> points(Objective o, TrialResult r) {
    List<double[]> out = new ArrayList<>();
    for (TrialResult.Row row : r.history()) {
      if (row.phase().equals(o.phase())
          && row.metric().equals(o.metric())
          && Double.isFinite(row.value())) {
        out.add(new double[] {row.iteration(), row.value()});
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------ parallel

  /**
   * Draws the ten best trials in parallel coordinates; see {@link #parallel(SweepResult, int,
   * ChartOptions)}.
   *
   * @param sweep the sweep's result
   * @return the chart
   * @throws IllegalArgumentException if the result is null
   */
  public static XYChart parallel(SweepResult sweep) {
    return parallel(sweep, 10, ChartOptions.defaults());
  }

  /**
   * Draws the best trials in parallel coordinates: one vertical axis per dimension (scaled to the
   * searched range, logarithmic where the space is; a choice's values spread evenly) and one for
   * the objective, a line per trial coloured by its objective from light (worst shown) to dark
   * (best). Completed trials come first; pruned ones fill up when fewer completed.
   *
   * @param sweep the sweep's result
   * @param top how many trials, {@code >= 1}
   * @param options size and title
   * @return the chart
   * @throws IllegalArgumentException if the result is null or top is below 1
   */
  public static XYChart parallel(SweepResult sweep, int top, ChartOptions options) {
    check(sweep, "parallel");
    if (top < 1) {
      throw new IllegalArgumentException("SweepCharts.parallel: top must be >= 1, got " + top);
    }
    Objective o = sweep.objective();
    List<Trial> trials = sweep.trials();
    List<TrialResult> results = sweep.results();
    List<Integer> shown = ranked(sweep);
    if (shown.size() > top) {
      shown = shown.subList(0, top);
    }
    int n = shown.size();
    XYChart chart =
        ChartStyle.newChart(
            options.titleOr(
                (n == 1 ? "The best trial" : "The " + n + " best trials")
                    + " across the parameters"),
            "",
            "each axis: lowest value at the bottom, highest at the top",
            options);
    List<Param> params = sweep.space().params();
    if (n == 0) {
      return ChartStyle.message(chart, "No trial has a value of " + o.name() + " yet.");
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i : shown) {
      lo = Math.min(lo, results.get(i).objective());
      hi = Math.max(hi, results.get(i).objective());
    }
    int axes = params.size() + 1;
    double[] xs = new double[axes];
    for (int a = 0; a < axes; a++) {
      xs[a] = a;
    }
    // best first in the legend; the best is drawn again last, so that it lies on top
    for (int rank = 0; rank <= n; rank++) {
      int i = shown.get(rank == n ? 0 : rank);
      double[] ys = new double[axes];
      for (int a = 0; a < params.size(); a++) {
        ys[a] = scaled(params.get(a), trials.get(i).params().get(params.get(a).key()));
      }
      double value = results.get(i).objective();
      ys[axes - 1] = hi > lo ? (value - lo) / (hi - lo) : 0.5;
      double goodness = hi > lo ? (o.maximize() ? ys[axes - 1] : 1 - ys[axes - 1]) : 1;
      boolean pruned = results.get(i).status() != TrialStatus.COMPLETED;
      String name = "trial " + trials.get(i).id() + ": " + Formats.number(value);
      XYSeries s =
          chart.addSeries(rank == n ? "\u200b" + name : name + (pruned ? ", pruned" : ""), xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
      Color c = ramp(goodness);
      s.setLineColor(c);
      s.setMarkerColor(c);
      float width = rank == 0 || rank == n ? 3f : 1.8f;
      s.setShowInLegend(rank < n);
      s.setLineStyle(
          pruned
              ? new BasicStroke(
                  width,
                  BasicStroke.CAP_BUTT,
                  BasicStroke.JOIN_MITER,
                  10f,
                  new float[] {5f, 4f},
                  0f)
              : new BasicStroke(width));
    }
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setYAxisMin(-0.16);
    chart.getStyler().setYAxisMax(1.16);
    chart.getStyler().setYAxisTicksVisible(false);
    // the axes are the only vertical lines: grid lines between them would read as more axes
    chart.getStyler().setPlotGridLinesVisible(false);
    chart.getStyler().setXAxisMin(-0.3);
    chart.getStyler().setXAxisMax(axes - 0.7);
    List<String> names = axisNames(params, o);
    chart.setCustomXAxisTickLabelsFormatter(labelsAt(names));
    for (int a = 0; a < axes; a++) {
      chart.addAnnotation(new AnnotationLine(a, true, false));
      if (a < params.size()) {
        axisLabels(chart, a, params.get(a));
      } else {
        chart.addAnnotation(new AnnotationText(Formats.number(hi), a, 1.09, false));
        chart.addAnnotation(new AnnotationText(Formats.number(lo), a, -0.09, false));
      }
    }
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    return chart;
  }

  /** Trials with a value of the objective: completed ones best first, then the others. */
  private static List<Integer> ranked(SweepResult sweep) {
    Objective o = sweep.objective();
    List<TrialResult> results = sweep.results();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (Double.isFinite(results.get(i).objective())
          && results.get(i).status() != TrialStatus.FAILED) {
        out.add(i);
      }
    }
    out.sort(
        Comparator.comparing((Integer i) -> results.get(i).status() != TrialStatus.COMPLETED)
            .thenComparingDouble(i -> o.loss(results.get(i).objective())));
    return out;
  }

  /** A value's place on its axis, 0 (lowest) to 1 (highest). */
  private static double scaled(Param p, Object value) {
    List<String> categories = categories(p);
    if (categories != null) {
      int k = categories.size();
      return k == 1 ? 0.5 : (double) categories.indexOf(label(value)) / (k - 1);
    }
    double v = number(value);
    Range r = Range.of(p);
    return r.log()
        ? (Math.log(v) - Math.log(r.low())) / (Math.log(r.high()) - Math.log(r.low()))
        : (v - r.low()) / (r.high() - r.low());
  }

  /** The searched range of a numeric parameter, and whether it is searched on a log scale. */
  private record Range(double low, double high, boolean log) {
    static Range of(Param p) {
      if (p instanceof Param.Uniform u) {
        return new Range(u.low(), u.high(), u.log());
      }
      Param.Int n = (Param.Int) p;
      return new Range(n.low(), n.high(), n.log());
    }
  }

  private static void axisLabels(XYChart chart, int axis, Param p) {
    List<String> categories = categories(p);
    if (categories != null) {
      int k = categories.size();
      for (int c = 0; c < k; c++) {
        double y = k == 1 ? 0.5 : (double) c / (k - 1);
        chart.addAnnotation(new AnnotationText(categories.get(c), axis + 0.14, y + 0.035, false));
      }
      return;
    }
    double low = p instanceof Param.Uniform u ? u.low() : ((Param.Int) p).low();
    double high = p instanceof Param.Uniform u ? u.high() : ((Param.Int) p).high();
    boolean log = p instanceof Param.Uniform u ? u.log() : ((Param.Int) p).log();
    chart.addAnnotation(
        new AnnotationText(Formats.number(high) + (log ? " (log)" : ""), axis, 1.09, false));
    chart.addAnnotation(new AnnotationText(Formats.number(low), axis, -0.09, false));
  }

  /** The axes' names: each key's last part (the whole key where two end alike), the objective. */
  private static List<String> axisNames(List<Param> params, Objective o) {
    List<String> shortNames = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> twice = new HashSet<>();
    for (Param p : params) {
      String s = p.key().substring(p.key().lastIndexOf('.') + 1);
      if (!seen.add(s)) {
        twice.add(s);
      }
      shortNames.add(s);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      out.add(twice.contains(shortNames.get(i)) ? params.get(i).key() : shortNames.get(i));
    }
    out.add(objectiveName(o));
    return out;
  }

  private static Color ramp(double t) {
    t = Math.max(0, Math.min(1, t));
    Color a = t < 0.5 ? RAMP[0] : RAMP[1];
    Color b = t < 0.5 ? RAMP[1] : RAMP[2];
    double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
    return new Color(
        (int) Math.round(a.getRed() + u * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + u * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + u * (b.getBlue() - a.getBlue())));
  }

  // ------------------------------------------------------------------------------ summary

  /**
   * Puts the trials' curves and the objective against each parameter in one image, the summary a
   * sweep writes to its directory.
   *
   * @param sweep the sweep's result
   * @return the grid: curves first, then one panel per dimension
   * @throws IllegalArgumentException if the result is null
   */
  public static ChartGrid summary(SweepResult sweep) {
    check(sweep, "summary");
    List<XYChart> charts = new ArrayList<>();
    charts.add(curves(sweep, PANEL.title("Trials by iteration")));
    charts.addAll(parameters(sweep, 3, PANEL).charts());
    int done = 0;
    for (TrialResult r : sweep.results()) {
      done += r.status() == TrialStatus.RUNNING ? 0 : 1;
    }
    String title =
        "Sweep "
            + sweep.directory().getFileName()
            + ": "
            + done
            + " of "
            + sweep.trials().size()
            + " trials done";
    return new ChartGrid(title, charts, Math.min(3, charts.size()));
  }

  /**
   * Writes {@link #summary} to the sweep directory as {@code summary.png} (replacing it whole, so a
   * reader never sees half a file).
   *
   * @param sweep the sweep's result
   * @return the file
   * @throws IllegalArgumentException if the result is null
   * @throws java.io.UncheckedIOException if the file cannot be written
   */
  public static Path writeSummary(SweepResult sweep) {
    check(sweep, "writeSummary");
    byte[] png = summary(sweep).png();
    Path file = sweep.directory().resolve(SUMMARY_FILE);
    ConfigFiles.writeAtomically(file, tmp -> Files.write(tmp, png));
    return file;
  }

  /** The summary image's name in a sweep directory. */
  public static final String SUMMARY_FILE = "summary.png";

  // ------------------------------------------------------------------------------ helpers

  private static void check(SweepResult sweep, String method) {
    if (sweep == null) {
      throw new IllegalArgumentException("SweepCharts." + method + ": the sweep result is null");
    }
  }

  /** {@code validation accuracy} for {@code validation/accuracy}. */
  static String objectiveName(Objective o) {
    return o.phase() + " " + o.metric();
  }

  private static String group(TrialStatus s) {
    return switch (s) {
      case COMPLETED -> "completed";
      case RUNNING -> "running";
      case PRUNED -> "pruned";
      case FAILED -> "failed";
    };
  }

  /** The best completed trial's index, -1 when none. */
  private static int bestIndex(SweepResult sweep) {
    return sweep.bestIfAny().map(b -> sweep.trials().indexOf(b.trial())).orElse(-1);
  }

  private static int legendEntries(XYChart chart) {
    int n = 0;
    for (XYSeries s : chart.getSeriesMap().values()) {
      n += s.isShowInLegend() ? 1 : 0;
    }
    return n;
  }

  /** A value as a category or table label: {@code 0.001}, {@code [64, 32]}, {@code relu}. */
  static String label(Object v) {
    if (v instanceof Double d) {
      return Formats.number(d);
    }
    if (v instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(label(item)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(v);
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static double[] finiteObjectives(List<TrialResult> results) {
    return results.stream().mapToDouble(TrialResult::objective).filter(Double::isFinite).toArray();
  }

  private static double[] allValues(XYChart chart) {
    List<Double> out = new ArrayList<>();
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (double v : s.getYData()) {
        if (Double.isFinite(v)) {
          out.add(v);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
