package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.schedule.Schedule;
import dev.runkit.schedule.Schedules;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.AxisTicks;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.Table;

class ChartsTest {

  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  static BufferedImage decode(byte[] png) throws IOException {
    assertThat(png).startsWith(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).isNotNull();
    return image;
  }

  @Test
  void schedule_warmupCosine_rendersPngWithOneSeriesAndLabels() throws IOException {
    XYChart chart = Charts.schedule(Fixtures.warmupCosine(100, 1_000), 1_000);

    BufferedImage image = decode(Show.png(chart));

    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
    assertThat(Fixtures.shown(chart)).containsOnlyKeys("learning rate");
    assertThat(chart.getTitle()).isEqualTo("Learning-rate schedule");
    assertThat(chart.getXAxisTitle()).isEqualTo("step");
    assertThat(chart.getYAxisTitle()).isEqualTo("learning rate");
    assertThat(Charts.notes(chart)).isEmpty();
  }

  @Test
  void schedule_smallLearningRates_drawnInUnitsOfAPowerOfTen() throws IOException {
    Schedule small = step -> 3e-3 * Math.min(1.0, step / 100.0);

    XYChart chart = Charts.schedule(small, 1_000);
    decode(Show.png(chart));

    assertThat(chart.getYAxisTitle()).isEqualTo("learning rate (x 1e-3)");
    double[] y = chart.getSeriesMap().get("learning rate").getYData();
    assertThat(y[y.length - 1]).isCloseTo(3.0, within(1e-12));
    assertThat(ChartStyle.unitExponent(0.5)).isZero();
    assertThat(ChartStyle.unitExponent(2e-5)).isEqualTo(-5);
  }

  @Test
  void schedule_cyclingMomentum_addsMomentumOnSecondAxis() throws IOException {
    XYChart chart =
        Charts.schedule("one-cycle", Fixtures.cyclingMomentum(500), 500, ChartOptions.defaults());

    decode(Show.png(chart));

    assertThat(Fixtures.shown(chart)).containsOnlyKeys("one-cycle", "momentum");
    assertThat(chart.getSeriesMap().get("one-cycle").getYAxisGroup()).isZero();
    assertThat(chart.getSeriesMap().get("momentum").getYAxisGroup()).isEqualTo(1);
    assertThat(chart.getYAxisGroupTitle(1)).isEqualTo("momentum");
  }

  @Test
  void schedule_constantSchedule_hasNoMomentumSeriesAndARangeAroundTheValue() throws IOException {
    XYChart chart = Charts.schedule(step -> 0.1, 10);

    decode(Show.png(chart));
    assertThat(chart.getSeriesMap()).containsOnlyKeys("learning rate");
    assertThat(chart.getStyler().getYAxisMin(0)).isCloseTo(0.05, within(1e-12));
    assertThat(chart.getStyler().getYAxisMax(0)).isCloseTo(0.15, within(1e-12));
  }

  @Test
  void schedule_100kStepsWithRestarts_thinsSeriesButKeepsEveryPeak() throws IOException {
    Schedule sgdr = Fixtures.restarts(10_000);

    XYChart chart = Charts.schedule(sgdr, 100_000);
    decode(Show.png(chart));

    XYSeries series = chart.getSeriesMap().get("learning rate");
    double[] x = series.getXData();
    double[] y = series.getYData();
    assertThat(x.length).isLessThanOrEqualTo(4 * 500).isGreaterThan(500);
    for (long restart = 0; restart < 100_000; restart += 10_000) {
      long r = restart;
      assertThat(x).as("restart at step %d kept", r).contains((double) r);
    }
    assertThat(y).contains(sgdr.lr(0), sgdr.lr(9_999));
  }

  @Test
  void schedule_zeroSteps_drawsEmptyChartWithMessage() throws IOException {
    XYChart chart = Charts.schedule(step -> 0.1, 0);

    decode(Show.png(chart));

    assertThat(Charts.notes(chart))
        .containsExactly("No steps to plot (steps = 0): pass the number of steps to draw.");
  }

  @Test
  void schedule_negativeSteps_throws() {
    assertThatThrownBy(() -> Charts.schedule(step -> 0.1, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("steps must be >= 0, got -5");
  }

  @Test
  void schedule_logScaleWithZeroAndNaN_rendersGapsInsteadOfFailing() throws IOException {
    Schedule decayToZero = step -> step >= 50 ? 0.0 : (step == 10 ? Double.NaN : 0.1 / (step + 1));

    XYChart chart =
        Charts.schedule("decay", decayToZero, 100, ChartOptions.defaults().logScale(true));

    decode(Show.png(chart));
    assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
    assertThat(chart.getSeriesMap().get("decay").getYData()[60]).isNaN();
  }

  @Test
  void compare_twoSchedules_oneSeriesEachInOrder() throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put("warm-up cosine", Fixtures.warmupCosine(10, 200));
    schedules.put("restarts", Fixtures.restarts(50));

    XYChart chart = Charts.compare(schedules, 200);

    decode(Show.png(chart));
    assertThat(Fixtures.shown(chart).keySet()).containsExactly("warm-up cosine", "restarts");
    assertThat(chart.getTitle()).isEqualTo("Learning-rate schedules");
  }

  @Test
  void grid_threeSchedulesTwoColumns_composesOneImage() throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put("a", Fixtures.warmupCosine(10, 200));
    schedules.put("b", Fixtures.restarts(50));
    schedules.put("c", Fixtures.cyclingMomentum(200));

    ChartGrid grid = Charts.grid(schedules, 200, 2);
    BufferedImage image = decode(grid.png());

    assertThat(grid.rows()).isEqualTo(2);
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(560);
    assertThat(grid.charts()).extracting(XYChart::getTitle).containsExactly("a", "b", "c");
    assertThat(Fixtures.shown(grid.charts().get(2))).containsOnlyKeys("c", "momentum");
  }

  @Test
  void grid_oneCurvePanel_hidesTheLegendTheTitleRepeats() throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put("a", Fixtures.warmupCosine(10, 200));
    schedules.put("c", Fixtures.cyclingMomentum(200));

    ChartGrid grid = Charts.grid(schedules, 200, 2);
    decode(grid.png());

    assertThat(grid.charts().get(0).getStyler().isLegendVisible()).isFalse();
    assertThat(grid.charts().get(1).getStyler().isLegendVisible()).isTrue();
  }

  @Test
  void schedule_risingRamp_legendLeavesTheTopRightCornerToTheCurve() throws IOException {
    // the ramp ends in the top right corner and starts in the bottom left: the legend takes the
    // bottom right, not the top right where it would hide the end of the curve
    XYChart chart = Charts.schedule(step -> 0.1 * step / 999.0, 1_000);

    decode(Show.png(chart));

    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.InsideSE);
  }

  @Test
  void schedule_curvesThroughEveryCorner_legendGoesOutsideThePlot() throws IOException {
    // one-cycle: the learning rate starts low and ends low, the momentum starts and ends high
    XYChart chart = Charts.schedule(Fixtures.cyclingMomentum(1_000), 1_000);

    decode(Show.png(chart));

    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.OutsideE);
  }

  @Test
  void schedule_curvesThroughEveryCornerOfANarrowChart_legendGoesBelowOnOneLine()
      throws IOException {
    XYChart chart =
        Charts.schedule(
            "one-cycle",
            Fixtures.cyclingMomentum(1_000),
            1_000,
            ChartOptions.defaults().size(440, 300));

    decode(Show.png(chart));

    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.OutsideS);
    assertThat(chart.getStyler().getLegendLayout()).isEqualTo(Styler.LegendLayout.Horizontal);
  }

  @Test
  void placeLegend_fixedAxisRange_readsCurvesAgainstTheAxisAsDrawn() {
    // a flat curve in the middle of a fixed axis shoots far above its maximum at the right: read
    // against the data's own range the flat part lies at the bottom and the top left looks free;
    // as drawn, the curve fills the top right and leaves both bottom corners free
    XYChart chart = new org.knowm.xchart.XYChartBuilder().width(800).height(450).build();
    double[] x = new double[100];
    double[] y = new double[100];
    for (int i = 0; i < 100; i++) {
      x[i] = i;
      y[i] = i < 80 ? 1.0 : 1.0 + (i - 79) * 100;
    }
    chart.addSeries("loss", x, y);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(2.0);

    ChartStyle.placeLegend(chart);

    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.InsideSE);
  }

  @Test
  void compare_tenSchedules_tenColoursApartAndVisibleOnWhite() throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      double top = 0.1 * (i + 1);
      schedules.put("s" + i, step -> top);
    }
    XYChart chart = Charts.compare(schedules, 100);

    decode(Show.png(chart));

    java.util.List<java.awt.Color> colours =
        Fixtures.shown(chart).values().stream()
            .map(s -> (java.awt.Color) s.getLineColor())
            .toList();
    assertThat(colours).hasSize(10);
    for (int i = 0; i < colours.size(); i++) {
      java.awt.Color c = colours.get(i);
      double brightness = (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
      assertThat(brightness).as("brightness of series %d, %s", i, c).isLessThan(0.75);
      for (int j = 0; j < i; j++) {
        java.awt.Color d = colours.get(j);
        double distance =
            Math.sqrt(
                Math.pow(c.getRed() - d.getRed(), 2)
                    + Math.pow(c.getGreen() - d.getGreen(), 2)
                    + Math.pow(c.getBlue() - d.getBlue(), 2));
        assertThat(distance)
            .as("colours of series %d and %d: %s, %s", j, i, d, c)
            .isGreaterThan(60);
      }
    }
  }

  @Test
  void compare_logScaleWithinTwoDecades_labelsBetweenThePowersOfTen() throws IOException {
    Map<String, Schedule> narrow = new LinkedHashMap<>();
    narrow.put("a", step -> 2.3 * Math.pow(0.75, step / 25.0)); // 2.3 down to 0.07
    Map<String, Schedule> wide = new LinkedHashMap<>();
    wide.put("b", step -> Math.pow(10, -step / 50.0)); // 1 down to 1e-6

    XYChart few = Charts.compare(narrow, 300, ChartOptions.defaults().logScale(true));
    XYChart many = Charts.compare(wide, 300, ChartOptions.defaults().logScale(true));
    decode(Show.png(few));
    decode(Show.png(many));

    assertThat(few.getStyler().isYAxisLogarithmicDecadeOnly()).isFalse();
    assertThat(many.getStyler().isYAxisLogarithmicDecadeOnly()).isTrue();
  }

  @Test
  void compare_logScaleSmallRates_axisInPlainUnitsWithDistinctTickLabels() throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put("cosine", Schedules.cosineWithWarmup(100, 1_000).build(3e-3));
    schedules.put("step", Schedules.step(300, 0.1).build(3e-3));

    XYChart chart = Charts.compare(schedules, 1_000, ChartOptions.defaults().logScale(true));
    decode(Show.png(chart));

    // was "learning rate (x 1e-3)" with ticks 0, 0, 0, 0.01, 0.1, 1
    assertThat(chart.getYAxisTitle()).isEqualTo("learning rate");
    assertThat(AxisTicks.y(chart, 0))
        .containsExactly("1E-8", "1E-7", "1E-6", "1E-5", "1E-4", "1E-3");
    assertThat(chart.getSeriesMap().get("step").getYData()[0]).isEqualTo(3e-3);
  }

  @Test
  void compare_logScaleWithinTwoDecades_everyTickLabelDistinct() throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put("exponential", Schedules.exponential(0.99).build(3e-3)); // 3e-3 to 1.3e-4

    XYChart chart = Charts.compare(schedules, 300, ChartOptions.defaults().logScale(true));
    decode(Show.png(chart));

    assertThat(AxisTicks.y(chart, 0))
        .startsWith("2E-4", "3E-4")
        .contains("1E-3", "2E-3", "3E-3")
        .doesNotHaveDuplicates();
  }

  @Test
  void curves_logScale_learningRateAxisInPlainUnitsWithDistinctTickLabels() throws IOException {
    Schedule lr = Schedules.cosineWithWarmup(100, 1_000).build(3e-3); // 0 at the end
    Fixtures.HistoryRows rows = new Fixtures.HistoryRows();
    for (int i = 1; i <= 1_000; i++) {
      rows.add(i, "train", "loss", 2.0 / i, lr.lr(i), i * 0.01);
    }

    XYChart chart = Charts.curves(rows.table("run"), ChartOptions.defaults().logScale(true));
    decode(Show.png(chart));

    assertThat(chart.getYAxisGroupTitle(1)).isEqualTo("learning rate");
    assertThat(AxisTicks.y(chart, 1)).isNotEmpty().doesNotHaveDuplicates().doesNotContain("0");
    assertThat(AxisTicks.y(chart, 0)).isNotEmpty().doesNotHaveDuplicates().doesNotContain("0");
  }

  @Test
  void logPattern_ticksOfTheAxisReadApart() {
    assertThat(ChartStyle.logPattern(0.07, 2.3)).isEqualTo("#,##0.##");
    assertThat(ChartStyle.logPattern(1.5e-3, 0.1)).isEqualTo("#,##0.###");
    assertThat(ChartStyle.logPattern(2e-4, 3e-3)).isEqualTo("0E0");
    assertThat(ChartStyle.logPattern(3, 900)).isEqualTo("#,##0");
    assertThat(ChartStyle.logPattern(3, 2e6)).isEqualTo("0E0");
  }

  @Test
  void grid_zeroColumns_throws() {
    assertThatThrownBy(() -> Charts.grid(Map.of("a", step -> 0.1), 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Charts.grid columns must be >= 1, got 0");
  }

  @Test
  void curves_history_plotsLossPerPhaseAndLrOnSecondAxis() throws IOException {
    XYChart chart = Charts.curves(Fixtures.history(1_000, 100));

    decode(Show.png(chart));

    assertThat(Fixtures.shown(chart).keySet())
        .containsExactly("train loss", "validation loss", "learning rate");
    assertThat(chart.getSeriesMap().get("learning rate").getYAxisGroup()).isEqualTo(1);
    assertThat(chart.getSeriesMap().get("validation loss").getXData()).hasSize(10);
    assertThat(Charts.notes(chart)).isEmpty();
  }

  @Test
  void curves_risingAccuracy_legendLeavesTheTopRightCornerFree() throws IOException {
    // validation accuracy climbs into the top right corner; the learning rate, read against its
    // own axis on the right, is a flat line through the middle: the bottom right is free
    XYChart chart = Charts.curves(Fixtures.history(1_000, 100), "accuracy");

    decode(Show.png(chart));

    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.InsideSE);
  }

  @Test
  void curves_lossOrMetrics_titleNamesTheMetricsBesidesTheLoss() {
    // RunResult.history() is named "history": no run name to show
    Table history = Fixtures.history(100, 10).setName("history");

    assertThat(Charts.curves(history).getTitle()).isEqualTo("Training curves");
    assertThat(Charts.curves(history, "accuracy").getTitle())
        .isEqualTo("Training curves: accuracy");
    assertThat(Charts.curves(history, "loss", "accuracy").getTitle())
        .isEqualTo("Training curves: loss, accuracy");
    history.setName("digits");
    assertThat(Charts.curves(history).getTitle()).isEqualTo("Training curves: digits");
    assertThat(Charts.curves(history, "accuracy").getTitle())
        .isEqualTo("Training curves: accuracy (digits)");
  }

  @Test
  void curves_unknownMetric_plotsTheKnownOnesAndNamesTheNearest() throws IOException {
    XYChart chart = Charts.curves(Fixtures.history(100, 10), "loss", "acuracy");

    decode(Show.png(chart));

    assertThat(chart.getSeriesMap()).containsKeys("train loss", "validation loss");
    assertThat(Charts.notes(chart))
        .containsExactly(
            "Unknown metric \"acuracy\"; the history has [loss, accuracy]. Did you mean"
                + " \"accuracy\"?");
  }

  @Test
  void curves_emptyHistory_drawsMessage() throws IOException {
    Table empty = Fixtures.history(0, 10);

    XYChart chart = Charts.curves(empty);

    decode(Show.png(chart));
    assertThat(Charts.notes(chart))
        .containsExactly(
            "The history is empty: nothing has been recorded yet, or a filter on it matched no"
                + " rows.\nA run records the phases [train, validation, test]; to plot one, name"
                + " it: Charts.curves(result, \"validation loss\").");
    assertThat(chart.getStyler().isLegendVisible()).isFalse();
  }

  @Test
  void curves_misspeltPhase_namesThePhasesHeldAndTheNearest() throws IOException {
    XYChart chart = Charts.curves(Fixtures.history(100, 10), "valdation loss");

    decode(Show.png(chart));
    assertThat(Charts.notes(chart))
        .containsExactly(
            "Unknown phase \"valdation\" in \"valdation loss\"; the history holds the phases"
                + " [train, validation]. Did you mean \"validation loss\"?");
  }

  @Test
  void curves_onePhase_plotsOnlyThatPhase() throws IOException {
    XYChart chart = Charts.curves(Fixtures.history(100, 10), "validation loss");

    decode(Show.png(chart));
    assertThat(Fixtures.shown(chart)).containsOnlyKeys("validation loss", "learning rate");
    assertThat(chart.getYAxisTitle()).isEqualTo("validation loss");
    assertThat(chart.getTitle()).isEqualTo("Training curves: validation loss (run)");
    assertThat(Charts.notes(chart)).isEmpty();
  }

  @Test
  void curves_phaseWithoutThatMetric_namesThePhasesHeld() throws IOException {
    XYChart chart = Charts.curves(Fixtures.history(100, 10), "test loss", "train accuracy");

    decode(Show.png(chart));
    assertThat(Charts.notes(chart))
        .containsExactly(
            "The history has no test loss values; it holds the phases [train, validation].\n"
                + "The history has no train accuracy values; it holds the phases [train,"
                + " validation].");
  }

  @Test
  void curves_nanLoss_rendersWithGap() throws IOException {
    Table history = Fixtures.history(100, 10);
    history.doubleColumn("value").set(5, Double.NaN);

    XYChart chart = Charts.curves(history);

    decode(Show.png(chart));
    assertThat(chart.getSeriesMap().get("train loss").getYData()).contains(Double.NaN);
  }

  @Test
  void curves_tableWithoutPhaseColumn_throwsNamingTheFormat() {
    Table wrong = Fixtures.history(10, 5).removeColumns("phase");

    assertThatThrownBy(() -> Charts.curves(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Charts.curves: history table \"run\" lacks column \"phase\"; expected the long format"
                + " [iteration, phase, metric, value, lr, elapsed] (lr and elapsed optional), got"
                + " [iteration, metric, value, lr, elapsed]");
  }
}
