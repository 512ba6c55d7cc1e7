package dev.runkit.notebook;

import static dev.runkit.notebook.ChartsTest.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.OptimizerSpec;
import dev.runkit.optim.Optimizers;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.ConsoleProgress;
import dev.runkit.run.Fixtures;
import dev.runkit.run.LrFinder;
import dev.runkit.run.LrFinderResult;
import dev.runkit.run.Metrics;
import dev.runkit.run.ProgressListeners;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * Charts, tables and live progress from real runs (MXNet, the digits MLP): one short fit and one
 * LR-finder search shared by the tests.
 */
class RunDisplayTest {

  static NDManager manager;
  static ArrayDataset[] digits;
  static RunResult result;
  static RunResult slower;
  static RunResult unvalidated;
  static LrFinderResult finder;

  @BeforeAll
  static void run() {
    manager = NDManager.newBaseManager();
    digits = Fixtures.digits(manager, 32);
    result = validatedRun(Optimizers.sgd().lr(0.1).momentum(0.9));
    slower = validatedRun(Optimizers.sgd().lr(0.01));
    unvalidated =
        Runner.with(Fixtures.mlp(16, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits[0])
            .optimizer(Optimizers.sgd().lr(0.1))
            .iterations(60)
            .logEvery(10)
            .quiet()
            .fit();
    finder =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits[0])
            .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9))
            .lrFinder(LrFinder.range(1e-4, 100).steps(80));
  }

  /** A digits MLP 16-10 with SGD, on the training and validation parts. */
  private static Runner digitsMlp() {
    return Runner.with(Fixtures.mlp(16, 10))
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits[0], digits[1])
        .optimizer(Optimizers.sgd().lr(0.1));
  }

  /** 120 iterations of a digits MLP, validated every 40, with accuracy. */
  static RunResult validatedRun(OptimizerSpec optimizer) {
    return Runner.with(Fixtures.mlp(32, 10))
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits[0], digits[1])
        .optimizer(optimizer)
        .metrics(Metrics.accuracy())
        .iterations(120)
        .validateEvery(40)
        .logEvery(10)
        .quiet()
        .fit();
  }

  /** Two runs in legend order. */
  static Map<String, RunResult> ordered(String a, RunResult first, String b, RunResult second) {
    Map<String, RunResult> runs = new LinkedHashMap<>();
    runs.put(a, first);
    runs.put(b, second);
    return runs;
  }

  @AfterAll
  static void close() {
    for (RunResult r : new RunResult[] {result, slower, unvalidated}) {
      r.model().close();
    }
    manager.close();
  }

  @AfterEach
  void noKernel() {
    BaseKernel.active = null;
    Show.resetKernel();
  }

  @Test
  void curves_runResult_trainAndValidationLossWithLrOnTheRight() throws Exception {
    XYChart chart = Charts.curves(result);

    assertThat(dev.runkit.notebook.Fixtures.shown(chart).keySet())
        .containsExactly("train loss", "validation loss", "learning rate");
    assertThat(chart.getSeriesMap().get("learning rate").getYAxisGroup()).isEqualTo(1);
    assertThat(Charts.notes(chart)).isEmpty();
    BufferedImage image = decode(Show.png(chart));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
  }

  @Test
  void curves_runResultMetric_plotsThatMetric() {
    XYChart chart = Charts.curves(result, "accuracy");
    assertThat(dev.runkit.notebook.Fixtures.shown(chart).keySet())
        .containsExactly("train accuracy", "validation accuracy", "learning rate");
  }

  @Test
  void curves_runResultUnknownMetric_saysSoOnTheChart() {
    XYChart chart = Charts.curves(result, "acuracy");
    assertThat(Charts.notes(chart))
        .containsExactly(
            "Unknown metric \"acuracy\"; the history has [loss, accuracy]. Did you mean"
                + " \"accuracy\"?");
  }

  @Test
  void curves_nullResult_throwsClearMessage() {
    assertThatThrownBy(() -> Charts.curves((RunResult) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Charts.curves: the run result is null");
  }

  @Test
  void compare_twoRuns_oneValidationLossLinePerRunNamedAfterIt() throws Exception {
    Map<String, RunResult> runs = ordered("momentum 0.9", result, "plain, lr 0.01", slower);

    XYChart chart = Charts.compare(runs);

    assertThat(dev.runkit.notebook.Fixtures.shown(chart).keySet())
        .containsExactly("momentum 0.9", "plain, lr 0.01");
    assertThat(chart.getTitle()).isEqualTo("Runs compared: validation loss");
    assertThat(chart.getYAxisTitle()).isEqualTo("validation loss");
    XYSeries first = chart.getSeriesMap().get("momentum 0.9");
    // the last x moves by a fraction of an iteration: see ChartStyle.breakEqualSpacing
    assertThat(first.getXData()).hasSize(3).startsWith(40, 80);
    assertThat(first.getXData()[2]).isCloseTo(120, within(0.1));
    assertThat(first.getYData()[2]).isEqualTo(result.last("validation", "loss"));
    assertThat(first.getMarker()).isEqualTo(SeriesMarkers.CIRCLE);
    assertThat(Charts.notes(chart)).isEmpty();
    BufferedImage image = decode(Show.png(chart));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
  }

  @Test
  void compare_metricWithPhase_plotsThatPhaseOfEachRun() throws Exception {
    XYChart chart =
        Charts.compare(
            Map.of("a", result, "b", slower),
            "train accuracy",
            ChartOptions.defaults().title("Training accuracy"));

    decode(Show.png(chart));
    assertThat(dev.runkit.notebook.Fixtures.shown(chart).keySet()).containsOnly("a", "b");
    assertThat(chart.getTitle()).isEqualTo("Training accuracy");
    assertThat(chart.getYAxisTitle()).isEqualTo("train accuracy");
    assertThat(chart.getSeriesMap().get("b").getXData()).hasSize(12);
    assertThat(chart.getSeriesMap().get("b").getMarker()).isEqualTo(SeriesMarkers.NONE);
  }

  @Test
  void compare_runThatNeverValidated_drawsItsTrainingCurveAndSaysWhichPhase() throws Exception {
    Map<String, RunResult> runs = ordered("validated", result, "train only", unvalidated);

    XYChart chart = Charts.compare(runs, "loss");

    decode(Show.png(chart));
    assertThat(dev.runkit.notebook.Fixtures.shown(chart).keySet())
        .containsExactly("validated (validation)", "train only (train)");
    assertThat(chart.getYAxisTitle()).isEqualTo("loss");
  }

  @Test
  void compare_metricOneRunLacks_drawsTheOthersAndNamesTheRun() throws Exception {
    Map<String, RunResult> runs = ordered("validated", result, "train only", unvalidated);

    XYChart chart = Charts.compare(runs, "validation accuracy");

    decode(Show.png(chart));
    assertThat(dev.runkit.notebook.Fixtures.shown(chart).keySet()).containsExactly("validated");
    assertThat(Charts.notes(chart))
        .containsExactly("Unknown metric \"accuracy\"; the history has [loss].");
    XYChart test = Charts.compare(runs, "test loss");
    assertThat(Charts.notes(test))
        .containsExactly(
            "Run \"validated\" has no test loss values.\n"
                + "Run \"train only\" has no test loss values.");
  }

  @Test
  void compare_unknownMetric_saysSoOnceWithTheNearestName() {
    XYChart chart = Charts.compare(Map.of("a", result, "b", slower), "acuracy");
    assertThat(Charts.notes(chart))
        .containsExactly(
            "Unknown metric \"acuracy\"; the history has [loss, accuracy]. Did you mean"
                + " \"accuracy\"?");
  }

  @Test
  void compare_misspeltPhase_namesThePhasesTheRunsHoldAndTheNearest() {
    XYChart chart = Charts.compare(Map.of("a", result, "b", slower), "trian loss");

    assertThat(dev.runkit.notebook.Fixtures.shown(chart)).isEmpty();
    assertThat(Charts.notes(chart))
        .containsExactly(
            "Unknown phase \"trian\" in \"trian loss\"; the runs hold the phases [train,"
                + " validation]. Did you mean \"train loss\"?");
  }

  @Test
  void compare_twoRuns_legendInTheCornerTheCurvesLeaveFree() throws Exception {
    Map<String, RunResult> runs = ordered("momentum 0.9", result, "plain, lr 0.01", slower);

    XYChart accuracy = Charts.compare(runs, "train accuracy");
    XYChart loss = Charts.compare(runs, "train loss");

    decode(Show.png(accuracy));
    // the slow run stays flat near 0.1 accuracy (2.3 loss) over the whole width, the fast one
    // rises to the top right (falls to the bottom right): only one left corner stays free
    assertThat(accuracy.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.InsideNW);
    assertThat(loss.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.InsideSW);
  }

  @Test
  void compare_manyRuns_legendGoesOutsideThePlot() throws Exception {
    Map<String, RunResult> runs = new LinkedHashMap<>();
    for (int i = 1; i <= ChartStyle.MAX_INSIDE_LEGEND + 1; i++) {
      runs.put("run " + i, i % 2 == 0 ? result : slower);
    }

    XYChart chart = Charts.compare(runs);

    decode(Show.png(chart));
    assertThat(dev.runkit.notebook.Fixtures.shown(chart)).hasSize(6);
    assertThat(chart.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.OutsideE);
  }

  @Test
  void compare_noRuns_drawsMessage() throws Exception {
    XYChart chart = Charts.compare(Map.of());
    decode(Show.png(chart));
    assertThat(Charts.notes(chart)).containsExactly("No runs to compare.");
  }

  @Test
  void compare_badArguments_throwClearMessages() {
    Map<String, RunResult> withNull = new LinkedHashMap<>();
    withNull.put("lost", null);
    assertThatThrownBy(() -> Charts.compare((Map<String, RunResult>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Charts.compare: the runs are null");
    assertThatThrownBy(() -> Charts.compare(withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Charts.compare: run \"lost\" is null");
    assertThatThrownBy(() -> Charts.compare(Map.of("a", result), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Charts.compare: the metric is blank; give a name such as \"loss\" or \"validation"
                + " accuracy\"");
  }

  @Test
  void tables_runResult_summaryPerValidationAndFinalMetrics() {
    Table summary = Tables.historySummary(result);
    assertThat(summary.longColumn("iteration").asList()).containsExactly(40L, 80L, 120L);
    assertThat(summary.columnNames())
        .contains("train_loss", "validation_loss", "validation_accuracy", "lr", "elapsed");
    Table last = Tables.finalMetrics(result);
    assertThat(last.rowCount()).isEqualTo(4);
    assertThat(
            last.where(
                    last.stringColumn("phase")
                        .isEqualTo("validation")
                        .and(last.stringColumn("metric").isEqualTo("accuracy")))
                .doubleColumn("last")
                .get(0))
        .isEqualTo(result.last("validation", "accuracy"));
  }

  @Test
  void lrFinderChart_realSearch_pngWithCurvesAndBothSuggestionsMarked() throws Exception {
    XYChart chart = Charts.lrFinder(finder);

    assertThat(chart.getSeriesMap().keySet()).hasSize(4);
    assertThat(chart.getSeriesMap().keySet()).startsWith("loss", "smoothed loss");
    assertThat(chart.getSeriesMap().keySet())
        .anyMatch(k -> k.startsWith("valley "))
        .anyMatch(k -> k.startsWith("steepest "));
    String valley =
        chart.getSeriesMap().keySet().stream()
            .filter(k -> k.startsWith("valley"))
            .findFirst()
            .get();
    assertThat(chart.getSeriesMap().get(valley).getXData()[0])
        .isEqualTo(finder.valley().getAsDouble());
    assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
    // the axis fits the descent; the divergence at the end runs off the top
    double top = java.util.Arrays.stream(finder.smoothed()).max().getAsDouble();
    assertThat(chart.getStyler().getYAxisMax()).isLessThan(top).isGreaterThan(finder.smoothed()[0]);
    BufferedImage image = decode(Show.png(chart));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
  }

  @Test
  void lrFinderTable_realSearch_listsSuggestionsAndRange() {
    Table t = Tables.lrFinder(finder);
    assertThat(t.stringColumn("item").asList()).containsExactly("valley", "steepest", "range");
    assertThat(t.doubleColumn("lr").get(0)).isEqualTo(finder.valley().getAsDouble());
    assertThat(t.doubleColumn("lr").get(2)).isEqualTo(1e-4);
    assertThat(t.stringColumn("note").get(2)).contains(finder.message());
  }

  @Test
  void lrFinderChart_noFinitePoint_saysSo() {
    LrFinderResult empty =
        LrFinderResult.of(
            LrFinder.defaults(), new double[0], new double[0], new double[0], false, "FAILED");
    XYChart chart = Charts.lrFinder(empty);
    assertThat(Charts.notes(chart))
        .containsExactly("The LR finder recorded no finite loss: FAILED");
    assertThat(Tables.lrFinder(empty).stringColumn("note").get(0))
        .isEqualTo("no suggestion: fewer than three finite points");
  }

  @Test
  void automatic_outsideAKernel_isTheConsoleLine() {
    Show.resetKernel();
    assertThat(ProgressListeners.automatic()).isInstanceOf(ConsoleProgress.class);
  }

  @Test
  void automatic_insideAKernel_isLiveProgressFoundByServiceLoader() {
    BaseKernel.active = new BaseKernel();
    Show.resetKernel();
    assertThat(ProgressListeners.automatic()).isInstanceOf(LiveProgress.class);
  }

  /**
   * A fit in a (stand-in JJava) kernel with no progress setting: one display, first shown, then
   * updated in place with the same id, ending with the latest metrics and the curves.
   */
  @Test
  void fit_insideAKernel_updatesOneDisplayInPlace() {
    BaseKernel kernel = new BaseKernel();
    BaseKernel.active = kernel;
    Show.resetKernel();

    RunResult r = digitsMlp().iterations(60).validateEvery(30).logEvery(5).fit();

    assertThat(r.iterations()).isEqualTo(60);
    assertThat(kernel.displayed).hasSize(1);
    String id = kernel.displayed.get(0).displayId;
    assertThat(kernel.updated).isNotEmpty().allMatch(d -> id.equals(d.displayId));
    String last = (String) kernel.updated.get(kernel.updated.size() - 1).data.get("text/html");
    assertThat(last)
        .contains("<table", "validation", ">60<", "data:image/png;base64,")
        .containsPattern("stopped: COMPLETED \\(60 iterations done\\) after \\d+\\.\\d s")
        // a count of live updates told a reader nothing
        .doesNotContain("live updates");
  }

  /** Three named fits in one cell: each display says whose it is. */
  @Test
  void fit_namedRunsInsideAKernel_eachDisplayNamesItsRun() {
    BaseKernel kernel = new BaseKernel();
    BaseKernel.active = kernel;
    Show.resetKernel();

    digitsMlp().name("small lr").iterations(20).logEvery(5).fit();
    digitsMlp().name("large lr").iterations(20).logEvery(5).fit();

    assertThat(kernel.displayed).hasSize(2);
    String first = lastHtmlOf(kernel, kernel.displayed.get(0).displayId);
    String second = lastHtmlOf(kernel, kernel.displayed.get(1).displayId);
    assertThat(first).contains("small lr: stopped: COMPLETED", "small lr final metrics");
    assertThat(second).contains("large lr: stopped: COMPLETED", "large lr final metrics");
  }

  private static String lastHtmlOf(BaseKernel kernel, String id) {
    String html = null;
    for (var d : kernel.updated) {
      if (id.equals(d.displayId)) {
        html = (String) d.data.get("text/html");
      }
    }
    return html;
  }

  @Test
  void fit_resumedInsideAKernel_displaySaysWhereItResumed(@TempDir Path dir) {
    digitsMlp().iterations(30).checkpoints(Checkpoints.to(dir)).quiet().fit().model().close();
    BaseKernel kernel = new BaseKernel();
    BaseKernel.active = kernel;
    Show.resetKernel();

    RunResult r = digitsMlp().iterations(60).checkpoints(Checkpoints.to(dir)).resume().fit();

    r.model().close();
    String last = (String) kernel.updated.get(kernel.updated.size() - 1).data.get("text/html");
    assertThat(last)
        .contains("resumed from ckpt-000000030.rkc at iteration 30; stopped: COMPLETED");
  }

  @Test
  void liveProgress_fit_rebuildsTheHistoryFromReports() {
    LiveProgress live = LiveProgress.create(Duration.ZERO, Duration.ofHours(1));
    RunResult r = digitsMlp().iterations(40).validateEvery(20).logEvery(10).progress(live).fit();

    Table h = live.history();
    Table train = h.where(h.stringColumn("phase").isEqualTo("train"));
    Table validation = h.where(h.stringColumn("phase").isEqualTo("validation"));
    assertThat(train.longColumn("iteration").asList()).containsExactly(10L, 20L, 30L, 40L);
    assertThat(train.doubleColumn("value").get(3)).isEqualTo(r.last("train", "loss"));
    assertThat(validation.longColumn("iteration").asList()).containsExactly(20L, 40L);
    assertThat(live.updates()).isGreaterThanOrEqualTo(4);
  }
}
