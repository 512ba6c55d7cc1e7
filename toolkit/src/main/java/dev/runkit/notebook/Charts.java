package dev.runkit.notebook;

import static dev.runkit.notebook.ChartStyle.MARK;
import static dev.runkit.notebook.ChartStyle.addLine;
import static dev.runkit.notebook.ChartStyle.decimalPattern;
import static dev.runkit.notebook.ChartStyle.finishAxes;
import static dev.runkit.notebook.ChartStyle.inUnits;
import static dev.runkit.notebook.ChartStyle.message;
import static dev.runkit.notebook.ChartStyle.newChart;
import static dev.runkit.notebook.ChartStyle.peakOf;
import static dev.runkit.notebook.ChartStyle.placeLegend;
import static dev.runkit.notebook.ChartStyle.toUnits;
import static dev.runkit.notebook.ChartStyle.unitExponent;

import dev.runkit.RunResult;
import dev.runkit.registry.Names;
import dev.runkit.run.LrFinderResult;
import dev.runkit.schedule.Schedule;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * Builds XChart charts of schedules and training histories, with titles, axis labels and legends
 * set. Charts are plain objects: show them with {@link Show#chart}, or encode them with XChart.
 *
 * <pre>{@code
 * Show.chart(Charts.schedule(schedule, 2_000));                       // lr (and momentum) vs step
 * Show.chart(Charts.compare(Map.of("cosine", a, "step", b), 2_000));   // one figure
 * Show.chart(Charts.grid(Map.of("cosine", a, "step", b), 2_000, 2));   // a grid
 * Show.chart(Charts.curves(history));                                  // loss curves, lr on the right
 * Show.chart(Charts.compare(Map.of("adam", r1, "sgd", r2), "accuracy")); // runs overlaid
 * }</pre>
 *
 * <p>Empty input (zero steps, an empty history) gives a chart that says so rather than an
 * exception; unknown metric names are reported on the chart, with the nearest known name.
 */
public final class Charts {

  /** The phases a history has, as written before a metric name ("validation accuracy"). */
  private static final List<String> PHASES = List.of("train", "validation", "test");

  private Charts() {}

  /**
   * Plots a schedule's learning rate against the step, and its momentum on a second axis when it
   * cycles momentum; restarts (jumps up) and the end of a warm-up are marked with vertical lines.
   *
   * @param schedule the schedule
   * @param steps how many steps to plot ({@code 0 .. steps - 1}); 0 gives an empty chart saying so
   * @return the chart
   * @throws IllegalArgumentException if steps is negative or the schedule is null
   */
  public static XYChart schedule(Schedule schedule, long steps) {
    return schedule(
        "learning rate", schedule, steps, ChartOptions.defaults().title("Learning-rate schedule"));
  }

  /**
   * Plots a named schedule with chosen options.
   *
   * @param name the series name (also the default title)
   * @param schedule the schedule
   * @param steps how many steps to plot; 0 gives an empty chart saying so
   * @param options title, size, log scale
   * @return the chart
   * @throws IllegalArgumentException if steps is negative or the schedule is null
   */
  public static XYChart schedule(String name, Schedule schedule, long steps, ChartOptions options) {
    Map<String, Schedule> one = new LinkedHashMap<>();
    one.put(name, schedule);
    XYChart chart =
        compareChart(one, steps, options, options.titleOr("Learning-rate schedule: " + name), true);
    return chart;
  }

  /**
   * Plots several schedules on one figure, one series each (momentum is left out here; see {@link
   * #grid}).
   *
   * @param schedules name to schedule, in legend order
   * @param steps how many steps to plot; 0 gives an empty chart saying so
   * @return the chart
   * @throws IllegalArgumentException if steps is negative, the map is null or holds a null
   */
  public static XYChart compare(Map<String, ? extends Schedule> schedules, long steps) {
    return compare(schedules, steps, ChartOptions.defaults());
  }

  /**
   * Plots several schedules on one figure with chosen options.
   *
   * @param schedules name to schedule, in legend order
   * @param steps how many steps to plot; 0 gives an empty chart saying so
   * @param options title, size, log scale
   * @return the chart
   * @throws IllegalArgumentException if steps is negative, the map is null or holds a null
   */
  public static XYChart compare(
      Map<String, ? extends Schedule> schedules, long steps, ChartOptions options) {
    return compareChart(
        schedules, steps, options, options.titleOr("Learning-rate schedules"), false);
  }

  /**
   * Overlays the loss of several runs, one line per run named after it in the legend: the
   * validation loss, or the training loss for a run that never validated.
   *
   * <pre>{@code
   * Show.chart(Charts.compare(adamw, sgd));                                        // loss
   * Show.chart(Charts.compare(Map.of("lr 1e-3", a, "lr 3e-3", b), "accuracy"));    // a metric
   * Show.chart(Charts.compare(Map.of("lr 1e-3", a, "lr 3e-3", b), "train loss"));  // a phase
   * }</pre>
   *
   * @param runs the runs, each named in the legend by its name ({@code Runner.name(...)}; runs of
   *     one name are told apart as "name (2)", ...)
   * @return the chart; no runs give a chart that says so
   * @throws IllegalArgumentException if a run is null
   */
  public static XYChart compare(RunResult... runs) {
    return compare(Tables.byName(List.of(runs), "Charts.compare"), "loss");
  }

  /**
   * Overlays one metric of several runs, each named in the legend by its name ({@code
   * Runner.name(...)}); see {@link #compare(Map, String)}.
   *
   * <pre>{@code
   * Show.chart(Charts.compare(List.of(adamw, sgd, lion), "validation accuracy"));
   * }</pre>
   *
   * @param runs the runs, in legend order; runs of one name are told apart as "name (2)", ...
   * @param metric a metric, optionally preceded by a phase
   * @return the chart
   * @throws IllegalArgumentException if the list or a run is null, or the metric is blank
   */
  public static XYChart compare(List<RunResult> runs, String metric) {
    return compare(Tables.byName(runs, "Charts.compare"), metric);
  }

  /**
   * Overlays the loss of several runs, one line per run named after it in the legend.
   *
   * @param runs run name to result, in legend order (a {@code LinkedHashMap} keeps it)
   * @return the chart; an empty map gives a chart that says so
   * @throws IllegalArgumentException if the map is null or holds a null result
   */
  public static XYChart compare(Map<String, RunResult> runs) {
    return compare(runs, "loss", ChartOptions.defaults());
  }

  /**
   * Overlays one metric of several runs, one line per run named after it in the legend.
   *
   * @param runs run name to result, in legend order (a {@code LinkedHashMap} keeps it)
   * @param metric a metric name ({@code "accuracy"}: each run's validation curve, or its training
   *     curve when it never validated), or a phase and a metric ({@code "train loss"}, {@code
   *     "validation accuracy"}, {@code "test loss"})
   * @return the chart; an unknown metric, or a run without that curve, is written on it (with the
   *     nearest known name)
   * @throws IllegalArgumentException if the map is null, holds a null result, or the metric is null
   *     or blank
   */
  public static XYChart compare(Map<String, RunResult> runs, String metric) {
    return compare(runs, metric, ChartOptions.defaults());
  }

  /**
   * Overlays one metric of several runs with chosen options.
   *
   * @param runs run name to result, in legend order
   * @param metric a metric, optionally preceded by a phase; see {@link #compare(Map, String)}
   * @param options title, size, log scale
   * @return the chart
   * @throws IllegalArgumentException as {@link #compare(Map, String)}
   */
  public static XYChart compare(Map<String, RunResult> runs, String metric, ChartOptions options) {
    if (runs == null) {
      throw new IllegalArgumentException("Charts.compare: the runs are null");
    }
    if (metric == null || metric.isBlank()) {
      throw new IllegalArgumentException(
          "Charts.compare: the metric is blank; give a name such as \"loss\" or \"validation"
              + " accuracy\"");
    }
    Map<String, History> all = new LinkedHashMap<>();
    for (Map.Entry<String, RunResult> e : runs.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("Charts.compare: run \"" + e.getKey() + "\" is null");
      }
      all.put(e.getKey(), History.of(e.getValue().history(), "Charts.compare"));
    }
    java.util.Set<String> held = new java.util.LinkedHashSet<>();
    all.values().forEach(h -> held.addAll(h.phases()));
    PhaseAndMetric wanted = PhaseAndMetric.read(metric, List.copyOf(held), "the runs hold");
    String name = wanted.metric();
    String phase = wanted.phase();
    Map<String, History> histories = new LinkedHashMap<>();
    Map<String, String> phases = new LinkedHashMap<>();
    java.util.Set<String> problems = new java.util.LinkedHashSet<>();
    if (wanted.unknownPhase() != null) {
      problems.add(wanted.unknownPhase());
      all.clear();
    }
    for (Map.Entry<String, History> e : all.entrySet()) {
      History h = e.getValue();
      String p =
          phase != null ? phase : h.rowsOf("validation", name).length > 0 ? "validation" : "train";
      if (h.rowsOf(p, name).length > 0) {
        histories.put(e.getKey(), h);
        phases.put(e.getKey(), p);
      } else if (!h.metrics().contains(name)) {
        problems.add(unknownMetric(name, h.metrics()));
      } else {
        problems.add("Run \"" + e.getKey() + "\" has no " + p + " " + name + " values.");
      }
    }
    boolean onePhase = new java.util.HashSet<>(phases.values()).size() <= 1;
    String yTitle =
        onePhase && !phases.isEmpty() ? phases.values().iterator().next() + " " + name : name;
    XYChart chart =
        newChart(options.titleOr("Runs compared: " + yTitle), "iteration", yTitle, options);
    if (runs.isEmpty()) {
      return message(chart, "No runs to compare.");
    }
    for (Map.Entry<String, History> e : histories.entrySet()) {
      String p = phases.get(e.getKey());
      String label = onePhase ? e.getKey() : e.getKey() + " (" + p + ")";
      addCurve(chart, label, e.getValue(), e.getValue().rowsOf(p, name), p, options);
    }
    if (!problems.isEmpty()) {
      message(chart, String.join("\n", problems));
    }
    placeLegend(chart);
    return finishAxes(chart);
  }

  /**
   * Plots each schedule in its own chart (with momentum when cycled), laid out in a grid.
   *
   * @param schedules name to schedule, in reading order
   * @param steps how many steps to plot
   * @param columns charts per row, {@code >= 1}
   * @return the grid
   * @throws IllegalArgumentException if steps is negative, columns is below 1, or the map is null,
   *     empty or holds a null
   */
  public static ChartGrid grid(Map<String, ? extends Schedule> schedules, long steps, int columns) {
    return grid(schedules, steps, columns, ChartOptions.defaults().size(400, 280));
  }

  /**
   * Plots each schedule in its own chart with chosen options (the size is each chart's).
   *
   * @param schedules name to schedule, in reading order
   * @param steps how many steps to plot
   * @param columns charts per row, {@code >= 1}
   * @param options per-chart size and log scale; the title names the grid
   * @return the grid
   * @throws IllegalArgumentException as {@link #grid(Map, long, int)}
   */
  public static ChartGrid grid(
      Map<String, ? extends Schedule> schedules, long steps, int columns, ChartOptions options) {
    if (schedules == null || schedules.isEmpty()) {
      throw new IllegalArgumentException("Charts.grid needs at least one schedule, got none");
    }
    if (columns < 1) {
      throw new IllegalArgumentException("Charts.grid columns must be >= 1, got " + columns);
    }
    List<XYChart> charts = new ArrayList<>();
    for (Map.Entry<String, ? extends Schedule> e : schedules.entrySet()) {
      XYChart chart = schedule(e.getKey(), e.getValue(), steps, options.title(e.getKey()));
      // the panel's title names its one curve; a legend would only cover part of it
      if (chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).count() == 1) {
        chart.getStyler().setLegendVisible(false);
      }
      charts.add(chart);
    }
    return new ChartGrid(
        options.titleOr("Learning-rate schedules"), charts, Math.min(columns, charts.size()));
  }

  private static XYChart compareChart(
      Map<String, ? extends Schedule> schedules,
      long steps,
      ChartOptions options,
      String title,
      boolean withMomentum) {
    if (schedules == null) {
      throw new IllegalArgumentException("Charts: the schedules are null");
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    XYChart chart = newChart(title, "step", "learning rate", options);
    if (steps == 0) {
      return message(chart, "No steps to plot (steps = 0): pass the number of steps to draw.");
    }
    if (schedules.isEmpty()) {
      return message(chart, "No schedules to plot.");
    }
    int n = (int) Math.min(steps, Integer.MAX_VALUE - 8);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    Map<String, double[]> rates = new LinkedHashMap<>();
    double peak = 0;
    for (Map.Entry<String, ? extends Schedule> e : schedules.entrySet()) {
      Schedule s = e.getValue();
      if (s == null) {
        throw new IllegalArgumentException("Charts: schedule \"" + e.getKey() + "\" is null");
      }
      double[] lr = new double[n];
      for (int i = 0; i < n; i++) {
        lr[i] = s.lr(i);
      }
      rates.put(e.getKey(), lr);
      peak = Math.max(peak, peakOf(lr));
    }
    int exponent = options.logScale() ? 0 : unitExponent(peak);
    chart.setYAxisTitle(inUnits("learning rate", exponent));
    for (Map.Entry<String, double[]> e : rates.entrySet()) {
      double[] lr = e.getValue();
      addLine(chart, e.getKey(), x, toUnits(lr, exponent), 0, options);
      if (schedules.size() == 1) {
        markPhases(chart, lr);
      }
      Schedule s = schedules.get(e.getKey());
      OptionalDouble m0 = s.momentum(0);
      if (withMomentum && m0.isPresent()) {
        double[] momentum = new double[n];
        for (int i = 0; i < n; i++) {
          momentum[i] = s.momentum(i).orElse(Double.NaN);
        }
        XYSeries series = addLine(chart, "momentum", x, momentum, 1, options);
        series.setLineStyle(
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        chart.setYAxisGroupTitle(1, "momentum");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
      }
    }
    placeLegend(chart);
    return finishAxes(chart);
  }

  /**
   * Writes a chart to a PNG file, creating its folder, for scripts and the command line.
   *
   * @param chart the chart
   * @param file the file to write
   * @return the file
   * @throws UncheckedIOException if the file cannot be written
   */
  public static Path writePng(Chart<?, ?> chart, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, Show.png(chart));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Plots training curves from a history table in long format (columns {@code iteration}, {@code
   * phase}, {@code metric}, {@code value}, optional {@code lr} and {@code elapsed}): one series per
   * phase and metric, and the learning rate on a second axis when the table has it.
   *
   * @param history the history, e.g. {@code RunResult.history()}
   * @param metrics the metrics to plot, each of every phase ({@code "loss"}) or of one ({@code
   *     "validation loss"}); none means "loss" when present, else every metric
   * @return the chart; an empty history gives a chart that says so
   * @throws IllegalArgumentException if the table lacks a required column
   */
  public static XYChart curves(Table history, String... metrics) {
    return curves(history, ChartOptions.defaults(), metrics);
  }

  /**
   * Plots a run's training curves: train and validation loss (or the chosen metrics) against the
   * iteration, the learning rate on a second axis.
   *
   * <pre>{@code
   * Show.chart(Charts.curves(result));                         // loss
   * Show.chart(Charts.curves(result, "accuracy"));             // a metric
   * Show.chart(Charts.curves(result, "validation accuracy"));  // a metric of one phase
   * }</pre>
   *
   * @param result the result of {@code Runner.fit()}
   * @param metrics the metrics to plot, each of every phase or of one ({@code "validation loss"});
   *     none means "loss"
   * @return the chart; an unknown metric name is written on it with the nearest known name
   * @throws IllegalArgumentException if the result is null
   */
  public static XYChart curves(RunResult result, String... metrics) {
    return curves(historyOf(result, "Charts.curves"), ChartOptions.defaults(), metrics);
  }

  /**
   * Plots a run's training curves with chosen options.
   *
   * @param result the result of {@code Runner.fit()}
   * @param options title, size, log scale
   * @param metrics the metrics to plot, each of every phase or of one ({@code "validation loss"});
   *     none means "loss"
   * @return the chart
   * @throws IllegalArgumentException if the result is null
   */
  public static XYChart curves(RunResult result, ChartOptions options, String... metrics) {
    return curves(historyOf(result, "Charts.curves"), options, metrics);
  }

  /** The history of a run result, or a clear message for a null one. */
  /** A run's history, named after the run when it has a name, so that titles say whose it is. */
  static Table historyOf(RunResult result, String caller) {
    if (result == null) {
      throw new IllegalArgumentException(caller + ": the run result is null");
    }
    return result.name().equals(RunResult.UNNAMED)
        ? result.history()
        : result.history().copy().setName(result.name());
  }

  /**
   * Plots training curves with chosen options.
   *
   * @param history the history in long format
   * @param options title, size, log scale (of the metric axis)
   * @param metrics the metrics to plot, each of every phase ({@code "loss"}) or of one ({@code
   *     "validation loss"}); none means "loss" when present, else every metric
   * @return the chart
   * @throws IllegalArgumentException if the table lacks a required column
   */
  public static XYChart curves(Table history, ChartOptions options, String... metrics) {
    History h = History.of(history, "Charts.curves");
    List<String> known = h.metrics();
    List<PhaseAndMetric> chosen = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (metrics == null || metrics.length == 0) {
      if (known.contains("loss")) {
        chosen.add(new PhaseAndMetric(null, "loss"));
      } else {
        known.forEach(m -> chosen.add(new PhaseAndMetric(null, m)));
      }
    } else {
      for (String m : metrics) {
        if (m != null && known.contains(m.trim())) {
          chosen.add(new PhaseAndMetric(null, m.trim()));
          continue;
        }
        if (m == null || m.isBlank()) {
          throw new IllegalArgumentException(
              "Charts.curves: a metric name is blank; give one such as \"loss\" or \"validation"
                  + " accuracy\"");
        }
        PhaseAndMetric wanted = PhaseAndMetric.read(m, h.phases(), "the history holds");
        String problem = wanted.problem(h);
        if (problem == null) {
          chosen.add(wanted);
        } else {
          problems.add(problem);
        }
      }
    }
    List<String> labels = chosen.stream().map(PhaseAndMetric::label).toList();
    String yTitle = chosen.size() == 1 ? labels.get(0) : "value";
    // the metrics are named unless it is the loss alone, so a run's loss and metric charts differ
    String what = labels.equals(List.of("loss")) ? "" : String.join(", ", labels);
    String name =
        h.name.isBlank() || h.name.equals("history") || h.name.equals("training") ? "" : h.name;
    String title =
        "Training curves"
            + (what.isEmpty() && name.isEmpty() ? "" : ": ")
            + what
            + (!what.isEmpty() && !name.isEmpty() ? " (" + name + ")" : name);
    XYChart chart = newChart(options.titleOr(title), "iteration", yTitle, options);
    if (h.rows == 0) {
      // a filter on a run's history (a misspelt phase in where(...)) empties it as well
      return message(
          chart,
          "The history is empty: nothing has been recorded yet, or a filter on it matched no rows."
              + "\nA run records the phases "
              + PHASES
              + "; to plot one, name it: Charts.curves(result, \"validation loss\").");
    }
    for (PhaseAndMetric wanted : chosen) {
      for (String phase : h.phases()) {
        int[] rows = h.rowsOf(phase, wanted.metric());
        if (rows.length > 0 && (wanted.phase() == null || wanted.phase().equals(phase))) {
          addCurve(chart, phase + " " + wanted.metric(), h, rows, phase, options);
        }
      }
    }
    if (h.lr != null && !chosen.isEmpty()) {
      int[] rows = h.rowsOf(firstPhaseWithLr(h), chosen.get(0).metric());
      if (rows.length > 0) {
        double[] x = pick(h.iteration, rows);
        double[] y = pick(h.lr, rows);
        int exponent = options.logScale() ? 0 : unitExponent(peakOf(y));
        XYSeries s = addLine(chart, "learning rate", x, toUnits(y, exponent), 1, options);
        s.setLineColor(MARK);
        chart.setYAxisGroupTitle(1, inUnits("learning rate", exponent));
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
      }
    }
    if (chosen.isEmpty() && problems.isEmpty()) {
      problems.add("The history has no metrics.");
    }
    if (!problems.isEmpty()) {
      message(chart, String.join("\n", problems));
    }
    placeLegend(chart);
    return finishAxes(chart);
  }

  /**
   * A metric a chart is asked for, optionally after a phase ({@code "validation accuracy"}), as
   * read from what the user wrote.
   *
   * @param phase the phase, or null for every phase (curves) or the usual one (compare)
   * @param metric the metric name
   * @param unknownPhase the message for a first word that is a misspelt phase, else null
   */
  private record PhaseAndMetric(String phase, String metric, String unknownPhase) {

    PhaseAndMetric(String phase, String metric) {
      this(phase, metric, null);
    }

    /**
     * Reads "phase metric" or "metric"; a first word near a phase name ("valdation loss") is a
     * misspelt phase, reported with the phases held and the nearest, not part of a metric name.
     */
    static PhaseAndMetric read(String text, List<String> held, String holder) {
      String name = text.trim();
      List<String> phases = new ArrayList<>(PHASES);
      held.stream().filter(p -> !phases.contains(p)).forEach(phases::add);
      for (String p : phases) {
        if (name.startsWith(p + " ")) {
          return new PhaseAndMetric(p, name.substring(p.length()).trim());
        }
      }
      int space = name.indexOf(' ');
      if (space > 0) {
        String first = name.substring(0, space);
        String rest = name.substring(space + 1).trim();
        java.util.Optional<String> near = Names.nearest(first, phases);
        if (near.isPresent()) {
          return new PhaseAndMetric(
              null,
              name,
              "Unknown phase \""
                  + first
                  + "\" in \""
                  + name
                  + "\"; "
                  + holder
                  + " the phases "
                  + held
                  + ". Did you mean \""
                  + near.get()
                  + " "
                  + rest
                  + "\"?");
        }
      }
      return new PhaseAndMetric(null, name);
    }

    /** What the chart calls it: "validation loss", or "loss" for every phase. */
    String label() {
      return phase == null ? metric : phase + " " + metric;
    }

    /**
     * Why a history cannot draw it (a misspelt phase, an unknown metric, no such rows), or null.
     */
    String problem(History h) {
      if (unknownPhase != null) {
        return unknownPhase;
      }
      if (!h.metrics().contains(metric)) {
        return unknownMetric(metric, h.metrics());
      }
      if (phase != null && h.rowsOf(phase, metric).length == 0) {
        return "The history has no " + label() + " values; it holds the phases " + h.phases() + ".";
      }
      return null;
    }
  }

  /**
   * Adds one history curve (rows of one phase and metric) as a line; evaluation curves with few
   * points get markers, since each point is one validation or test.
   */
  private static XYSeries addCurve(
      XYChart chart, String name, History h, int[] rows, String phase, ChartOptions options) {
    XYSeries s = addLine(chart, name, pick(h.iteration, rows), pick(h.value, rows), 0, options);
    if (rows.length <= 60 && !phase.equals("train")) {
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    return s;
  }

  private static double[] pick(double[] column, int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = column[rows[i]];
    }
    return out;
  }

  /**
   * Plots an LR-finder curve: the loss and the smoothed loss against the learning rate (log axis),
   * with the valley and steepest-descent suggestions marked and named in the legend.
   *
   * <pre>{@code
   * Show.chart(Charts.lrFinder(runner.lrFinder()));
   * }</pre>
   *
   * @param result the search result
   * @return the chart; a search with no points gives a chart that says so
   * @throws IllegalArgumentException if the result is null
   */
  public static XYChart lrFinder(LrFinderResult result) {
    if (result == null) {
      throw new IllegalArgumentException("Charts.lrFinder: the LR-finder result is null");
    }
    ChartOptions options = ChartOptions.defaults();
    XYChart chart = newChart("LR finder", "learning rate", "training loss", options);
    double[] lrs = result.lrs();
    double[] losses = result.losses();
    double[] smoothed = result.smoothed();
    int n = 0;
    while (n < lrs.length && lrs[n] > 0 && Double.isFinite(smoothed[n])) {
      n++;
    }
    if (n == 0) {
      return message(chart, "The LR finder recorded no finite loss: " + result.message());
    }
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("0.#E0");
    double[] x = java.util.Arrays.copyOf(lrs, n);
    double[] raw = java.util.Arrays.copyOf(losses, n);
    for (int i = 0; i < n; i++) {
      raw[i] = Double.isFinite(raw[i]) ? raw[i] : Double.NaN;
    }
    XYSeries lossSeries = addLine(chart, "loss", x, raw, 0, options);
    lossSeries.setLineColor(new Color(170, 190, 220));
    addLine(chart, "smoothed loss", x, java.util.Arrays.copyOf(smoothed, n), 0, options);
    // the loss explodes at the end of a search: scale the axis to the curve before its last five
    // points (the part fastai plots; the top from the smoothed loss), so the descent stays readable
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < Math.max(Math.min(3, n), n - 5); i++) {
      lo = Math.min(lo, Double.isNaN(raw[i]) ? smoothed[i] : Math.min(raw[i], smoothed[i]));
      hi = Math.max(hi, smoothed[i]);
    }
    double span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1) * 0.1;
    chart.getStyler().setYAxisMin(lo - 0.1 * span);
    chart.getStyler().setYAxisMax(hi + 0.25 * span);
    chart.getStyler().setYAxisDecimalPattern(decimalPattern(lo, hi));
    mark(chart, "valley", result.valleyIndex(), lrs, smoothed, SeriesMarkers.CIRCLE);
    mark(chart, "steepest", result.steepestIndex(), lrs, smoothed, SeriesMarkers.DIAMOND);
    if (result.valleyIndex().isEmpty()) {
      message(chart, "Too few points for a suggestion: " + result.message());
    }
    placeLegend(chart);
    return chart;
  }

  private static void mark(
      XYChart chart,
      String label,
      java.util.OptionalInt index,
      double[] lrs,
      double[] smoothed,
      org.knowm.xchart.style.markers.Marker marker) {
    if (index.isEmpty()) {
      return;
    }
    int i = index.getAsInt();
    XYSeries s =
        chart.addSeries(
            String.format(java.util.Locale.ROOT, "%s %.2g", label, lrs[i]),
            new double[] {lrs[i]},
            new double[] {smoothed[i]});
    s.setMarker(marker);
    s.setMarkerColor(label.equals("valley") ? new Color(200, 40, 40) : new Color(40, 140, 40));
    s.setLineColor(new Color(0, 0, 0, 0));
    chart.addAnnotation(new AnnotationLine(lrs[i], true, false));
  }

  private static String firstPhaseWithLr(History h) {
    return h.phases().contains("train") ? "train" : h.phases().get(0);
  }

  /**
   * The message for a metric the history does not hold.
   *
   * @param metric the name asked for
   * @param known the names the history holds
   * @return e.g. {@code Unknown metric "acc"; the history has [loss, accuracy]. Did you mean
   *     "accuracy"?}
   */
  static String unknownMetric(String metric, List<String> known) {
    return "Unknown metric \""
        + metric
        + "\"; the history has "
        + known
        + "."
        + Names.didYouMean(metric, known);
  }

  /**
   * Marks the end of a warm-up (the learning rate rising from the start to its peak) and restarts
   * (a jump up by at least half the range in one step) with dashed vertical lines.
   */
  private static void markPhases(XYChart chart, double[] lr) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : lr) {
      if (!Double.isNaN(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (!(max > min)) {
      return;
    }
    double range = max - min;
    int peak = 0;
    while (peak + 1 < lr.length && lr[peak + 1] >= lr[peak] && lr[peak + 1] > lr[0]) {
      peak++;
    }
    if (peak > 0 && peak < lr.length - 1) {
      chart.addAnnotation(new AnnotationLine(peak, true, false));
    }
    int marks = 0;
    for (int i = Math.max(1, peak + 1); i < lr.length && marks < 50; i++) {
      if (lr[i] - lr[i - 1] >= 0.5 * range) {
        chart.addAnnotation(new AnnotationLine(i, true, false));
        marks++;
      }
    }
  }

  /**
   * Returns the messages written inside a chart made here (zero steps, empty history, unknown
   * metric names), so code and tests can read what the image says.
   *
   * @param chart a chart
   * @return the messages, empty when there are none or the chart was not made by {@code Charts}
   */
  public static List<String> notes(XYChart chart) {
    return ChartStyle.notes(chart);
  }
}
