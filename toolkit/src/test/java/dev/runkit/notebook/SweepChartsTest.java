package dev.runkit.notebook;

import static dev.runkit.notebook.ChartsTest.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.loss.Loss;
import dev.runkit.Runner;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.SplitData;
import dev.runkit.model.Mlp;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Metrics;
import dev.runkit.schedule.Schedules;
import dev.runkit.sweep.Samplers;
import dev.runkit.sweep.Space;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.TrialParams;
import dev.runkit.sweep.TrialResult;
import dev.runkit.sweep.TrialSchedulers;
import dev.runkit.sweep.TrialStatus;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The charts of a real sweep (digits, random search with ASHA, a log-scale learning rate, a choice
 * of layers, a log-scale batch size the run refuses above 50): headless PNGs, their series and
 * axes.
 */
class SweepChartsTest {

  static final SplitData DIGITS =
      SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.3, 0), 42);

  @TempDir static Path tmp;
  static SweepResult sweep;

  /** A digits MLP; batches over 50 are refused, so some trials fail. */
  static Runner digits(TrialParams p) {
    if (p.integer("batch") > 50) {
      throw new IllegalArgumentException("batches over 50 rows do not fit here");
    }
    return Runner.with(Mlp.outputs(10).hidden(p.ints("hidden")).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(DIGITS, p.integer("batch"))
        .optimizer(Optimizers.adamW().lr(p.number("lr")))
        .schedule(Schedules.cosineWithWarmup(10, p.iterations()))
        .metrics(Metrics.accuracy())
        .validateEvery(10);
  }

  @BeforeAll
  static void sweep() {
    sweep =
        Sweep.of(SweepChartsTest::digits, 90)
            .space(
                Space.of()
                    .loguniform("lr", 1e-3, 1e-1)
                    .choice("hidden", List.of(16), List.of(32), List.of(32, 16))
                    .integer("batch", 16, 64, true))
            .maximize("validation/accuracy")
            .trials(12)
            .seed(2)
            .sampler(Samplers.random())
            .scheduler(TrialSchedulers.asha().minIterations(10).reductionFactor(3))
            .directory(tmp.resolve("digits-sweep"))
            .fit();
    // the draws of seed 2 give every status the charts tell apart
    assertThat(sweep.results())
        .extracting(TrialResult::status)
        .contains(TrialStatus.COMPLETED, TrialStatus.PRUNED, TrialStatus.FAILED);
  }

  private static long count(TrialStatus status) {
    return sweep.results().stream()
        .filter(r -> r.status() == status && Double.isFinite(r.objective()))
        .count();
  }

  private static int bestId() {
    return sweep.best().trial().id();
  }

  @Test
  void parameters_onePanelPerDimension_logWhereLog_categoriesForAChoice_statusesApart()
      throws Exception {
    ChartGrid grid = SweepCharts.parameters(sweep);

    assertThat(grid.charts())
        .extracting(XYChart::getTitle)
        .containsExactly("lr", "hidden", "batch");
    assertThat(grid.title()).isEqualTo("validation accuracy by parameter");
    XYChart lr = grid.charts().get(0);
    XYChart hidden = grid.charts().get(1);
    XYChart batch = grid.charts().get(2);
    assertThat(lr.getStyler().isXAxisLogarithmic()).isTrue();
    assertThat(lr.getStyler().getXAxisMin()).isEqualTo(1e-3);
    assertThat(lr.getStyler().getXAxisMax()).isEqualTo(1e-1);
    assertThat(batch.getStyler().isXAxisLogarithmic()).isTrue();
    assertThat(hidden.getStyler().isXAxisLogarithmic()).isFalse();
    // a choice of three: one category per whole position
    assertThat(hidden.getStyler().getXAxisMin()).isEqualTo(-0.5);
    assertThat(hidden.getStyler().getXAxisMax()).isEqualTo(2.5);
    for (XYChart panel : grid.charts()) {
      Map<String, XYSeries> series = panel.getSeriesMap();
      assertThat(series.keySet())
          .containsExactly("pruned", "completed", "failed", "best (trial " + bestId() + ")");
      assertThat(series.get("completed").getXData()).hasSize((int) count(TrialStatus.COMPLETED));
      assertThat(series.get("pruned").getXData()).hasSize((int) count(TrialStatus.PRUNED));
      assertThat(series.get("failed").getXData())
          .hasSize(
              (int) sweep.results().stream().filter(r -> r.status() == TrialStatus.FAILED).count());
      // pruned faded, failed below every value, best in black
      assertThat(series.get("pruned").getMarkerColor().getAlpha()).isLessThan(255);
      assertThat(series.get("completed").getMarkerColor().getAlpha()).isEqualTo(255);
      double lowest =
          sweep.results().stream()
              .mapToDouble(TrialResult::objective)
              .filter(Double::isFinite)
              .min()
              .getAsDouble();
      assertThat(java.util.Arrays.stream(series.get("failed").getYData()).max().getAsDouble())
          .isLessThan(lowest);
      assertThat(series.get("best (trial " + bestId() + ")").getYData())
          .containsExactly(sweep.best().result().objective());
    }
    // the best trial's learning rate is where its point is drawn
    assertThat(lr.getSeriesMap().get("best (trial " + bestId() + ")").getXData()[0])
        .isEqualTo(((Number) sweep.best().trial().params().get("lr")).doubleValue());
    assertThat(grid.charts().stream().filter(c -> c.getStyler().isLegendVisible())).hasSize(1);
    BufferedImage image = decode(grid.png());
    assertThat(image.getWidth()).isEqualTo(3 * 420);
    assertThat(image.getHeight()).isEqualTo(300);
  }

  @Test
  void curves_aLinePerTrialByRung_prunedFaded_bestInBlack() throws Exception {
    XYChart chart = SweepCharts.curves(sweep);

    assertThat(chart.getTitle()).isEqualTo("Trials: validation accuracy by iteration");
    long drawn = sweep.results().stream().filter(r -> !r.history().isEmpty()).count();
    assertThat(chart.getSeriesMap()).hasSize((int) drawn + 1);
    List<String> legend =
        chart.getSeriesMap().values().stream()
            .filter(XYSeries::isShowInLegend)
            .map(XYSeries::getName)
            .toList();
    long prunedAt10 =
        sweep.results().stream()
            .filter(r -> r.status() == TrialStatus.PRUNED && r.iterations() == 10)
            .count();
    assertThat(legend)
        .contains(
            "pruned at 10 (" + prunedAt10 + " trials)",
            "completed at 90 ("
                + count(TrialStatus.COMPLETED)
                + (count(TrialStatus.COMPLETED) == 1 ? " trial)" : " trials)"));
    assertThat(legend.get(legend.size() - 1)).startsWith("best: trial " + bestId() + " (");
    for (XYSeries s : chart.getSeriesMap().values()) {
      if (s.getName().startsWith("pruned")) {
        assertThat(s.getLineColor().getAlpha()).as(s.getName()).isLessThan(255);
      } else if (s.getName().startsWith("completed")) {
        assertThat(s.getLineColor().getAlpha()).isEqualTo(255);
      }
    }
    XYSeries best = chart.getSeriesMap().get(legend.get(legend.size() - 1));
    assertThat(best.getLineColor()).isEqualTo(java.awt.Color.BLACK);
    assertThat(best.getXData()[best.getXData().length - 1]).isEqualTo(90);
    BufferedImage image = decode(Show.png(chart));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
  }

  @Test
  void parallel_bestTrialsFirst_eachAxisScaledToItsRange() throws Exception {
    XYChart chart = SweepCharts.parallel(sweep, 5, ChartOptions.defaults());

    List<XYSeries> lines =
        chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0).getName())
        .isEqualTo("trial " + bestId() + ": " + Formats.number(sweep.best().result().objective()));
    XYSeries best = lines.get(0);
    assertThat(best.getXData()).containsExactly(0, 1, 2, 3);
    double lr = ((Number) sweep.best().trial().params().get("lr")).doubleValue();
    assertThat(best.getYData()[0])
        .isCloseTo(Math.log(lr / 1e-3) / Math.log(1e-1 / 1e-3), within(1e-12));
    for (XYSeries s : lines) {
      for (double y : s.getYData()) {
        assertThat(y).as(s.getName()).isBetween(0.0, 1.0);
      }
    }
    assertThat(best.getYData()[3]).isEqualTo(1.0); // the highest accuracy shown
    assertThat(lines.get(4).getYData()[3]).isEqualTo(0.0);
    assertThat(chart.getStyler().isYAxisTicksVisible()).isFalse();
    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.OutsideE);
    assertThat(chart.getTitle()).isEqualTo("The 5 best trials across the parameters");
    BufferedImage image = decode(Show.png(chart));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
  }

  @Test
  void summary_writtenIntoTheSweepDirectoryByTheSweepItself() throws Exception {
    Path file = sweep.directory().resolve("summary.png");
    assertThat(file).exists();
    BufferedImage written = decode(Files.readAllBytes(file));
    // the curves and three parameters, three panels a row
    assertThat(written.getWidth()).isEqualTo(3 * 420);
    assertThat(written.getHeight()).isEqualTo(2 * 300);
    ChartGrid summary = SweepCharts.summary(sweep);
    assertThat(summary.charts())
        .extracting(XYChart::getTitle)
        .containsExactly("Trials by iteration", "lr", "hidden", "batch");
    assertThat(summary.title()).isEqualTo("Sweep digits-sweep: 12 of 12 trials done");
    Files.delete(file);
    assertThat(SweepCharts.writeSummary(sweep)).isEqualTo(file);
    decode(Files.readAllBytes(file));
  }

  @Test
  void sweepWithoutValues_chartsSaySo() {
    SweepResult failed =
        Sweep.of(
                p -> {
                  throw new IllegalStateException("no run for " + p.number("lr"));
                },
                20)
            .space(Space.of().loguniform("lr", 1e-3, 1e-1))
            .trials(2)
            .sampler(Samplers.random())
            .directory(tmp.resolve("failing"))
            .fit();

    assertThat(Charts.notes(SweepCharts.curves(failed)))
        .containsExactly("No trial has reported validation/loss yet.");
    assertThat(Charts.notes(SweepCharts.parallel(failed)))
        .containsExactly("No trial has a value of validation/loss yet.");
    XYChart panel = SweepCharts.parameters(failed).charts().get(0);
    assertThat(Charts.notes(panel)).containsExactly("No trial has a value of validation/loss yet.");
    assertThat(panel.getSeriesMap().get("failed").getXData()).hasSize(2);
  }

  @Test
  void badArguments_clearMessages() {
    assertThatThrownBy(() -> SweepCharts.curves(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SweepCharts.curves: the sweep result is null");
    assertThatThrownBy(() -> SweepCharts.parallel(sweep, 0, ChartOptions.defaults()))
        .hasMessage("SweepCharts.parallel: top must be >= 1, got 0");
    assertThatThrownBy(() -> SweepCharts.parameter(sweep, "hiden"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "SweepCharts.parameter: the search space has no \"hiden\"; it has [lr, hidden, batch]."
                + " Did you mean \"hidden\"?");
    assertThat(SweepCharts.parameter(sweep, "hidden").getTitle()).isEqualTo("hidden");
  }
}
