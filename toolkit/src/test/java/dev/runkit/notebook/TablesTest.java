package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.schedule.Schedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class TablesTest {

  @Test
  void schedule_chosenSteps_oneRowEach() {
    Schedule s = Fixtures.warmupCosine(10, 100);

    Table t = Tables.schedule(s, 0, 9, 10, 99);

    assertThat(t.columnNames()).containsExactly("step", "lr");
    assertThat(t.longColumn("step").asList()).containsExactly(0L, 9L, 10L, 99L);
    assertThat(t.doubleColumn("lr").get(1)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void schedule_cyclingMomentum_hasMomentumColumn() {
    Table t = Tables.schedule(Fixtures.cyclingMomentum(100), 0, 50);

    assertThat(t.columnNames()).containsExactly("step", "lr", "momentum");
    assertThat(t.doubleColumn("momentum").get(0)).isCloseTo(0.95, within(1e-12));
  }

  @Test
  void schedule_noSteps_emptyTable() {
    assertThat(Tables.schedule(step -> 0.1).rowCount()).isZero();
  }

  @Test
  void schedule_negativeStep_throws() {
    assertThatThrownBy(() -> Tables.schedule(step -> 0.1, 5, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("steps[1] must be >= 0, got -1");
  }

  @Test
  void schedules_twoSchedules_oneColumnEach() {
    Map<String, Schedule> m = new LinkedHashMap<>();
    m.put("constant", step -> 0.1);
    m.put("halving", step -> 0.1 / (1L << Math.min(step, 60)));

    Table t = Tables.schedules(m, 0, 1, 2);

    assertThat(t.columnNames()).containsExactly("step", "constant", "halving");
    assertThat(t.doubleColumn("halving").asList()).containsExactly(0.1, 0.05, 0.025);
  }

  @Test
  void config_nestedMap_flattensToDottedKeys() {
    Map<String, Object> param = new LinkedHashMap<>();
    param.put("lr", 0.001);
    param.put("betas", List.of(0.9, 0.999));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("TYPE", "AdamW");
    config.put("PARAM", param);

    Table t = Tables.config("optimizer", config);

    assertThat(t.name()).isEqualTo("optimizer");
    assertThat(t.stringColumn("key").asList()).containsExactly("TYPE", "PARAM.lr", "PARAM.betas");
    assertThat(t.stringColumn("value").asList()).containsExactly("AdamW", "0.001", "[0.9, 0.999]");
  }

  @Test
  void historySummary_perValidationInterval_meansTrainAndTakesValidation() {
    Table summary = Tables.historySummary(Fixtures.history(100, 50));

    assertThat(summary.columnNames())
        .containsExactly(
            "iteration", "train_loss", "validation_loss", "validation_accuracy", "lr", "elapsed");
    assertThat(summary.longColumn("iteration").asList()).containsExactly(50L, 100L);
    double meanFirst = 0;
    for (int i = 1; i <= 50; i++) {
      meanFirst += 2.0 / i;
    }
    meanFirst /= 50;
    assertThat(summary.doubleColumn("train_loss").get(0)).isCloseTo(meanFirst, within(1e-12));
    assertThat(summary.doubleColumn("validation_loss").get(1)).isCloseTo(0.03, within(1e-12));
    assertThat(summary.doubleColumn("validation_accuracy").get(1)).isCloseTo(0.99, within(1e-12));
    assertThat(summary.doubleColumn("elapsed").get(1)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void historySummary_trainLoggedOffTheValidationInterval_lrIsTheRateAtTheIntervalEnd() {
    // warm-up to 0.003 over 50 iterations; train rows every 30, validation every 50: the last
    // train row before iteration 50 is at 30, where the rate was still 0.0018
    Fixtures.HistoryRows rows = new Fixtures.HistoryRows();
    for (int i : new int[] {30, 50, 60, 90, 100}) {
      double lr = 0.003 * Math.min(1.0, i / 50.0);
      if (i % 30 == 0) {
        rows.add(i, "train", "loss", 1.0 / i, lr, i * 0.01);
      }
      if (i % 50 == 0) {
        rows.add(i, "validation", "loss", 2.0 / i, lr, i * 0.01);
      }
    }

    Table summary = Tables.historySummary(rows.table("run"));

    assertThat(summary.longColumn("iteration").asList()).containsExactly(50L, 100L);
    assertThat(summary.doubleColumn("lr").asList()).containsExactly(0.003, 0.003);
  }

  @Test
  void historySummary_nanLossInInterval_staysNaN() {
    Table history = Fixtures.history(100, 50);
    history.doubleColumn("value").set(3, Double.NaN); // a train loss in the first interval

    Table summary = Tables.historySummary(history);

    assertThat(summary.doubleColumn("train_loss").getDouble(0)).isNaN();
    assertThat(summary.doubleColumn("train_loss").getDouble(1)).isNotNaN();
  }

  @Test
  void historySummary_noValidation_isOneRowForTheRun() {
    Table history = Fixtures.history(10, 1_000);

    Table summary = Tables.historySummary(history);

    assertThat(summary.rowCount()).isEqualTo(1);
    assertThat(summary.longColumn("iteration").get(0)).isEqualTo(10L);
  }

  @Test
  void historySummary_empty_emptyTableWithIterationColumn() {
    Table summary = Tables.historySummary(Fixtures.history(0, 10));

    assertThat(summary.rowCount()).isZero();
    assertThat(summary.columnNames()).containsExactly("iteration");
  }

  @Test
  void historySummary_notAHistory_throwsNamingTheColumns() {
    Table wrong = Tables.schedule(step -> 0.1, 0, 1);

    assertThatThrownBy(() -> Tables.historySummary(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Tables.historySummary: history table \"schedule\" lacks column \"iteration\"; expected"
                + " the long format [iteration, phase, metric, value, lr, elapsed] (lr and elapsed"
                + " optional), got [step, lr]");
  }

  @Test
  void finalMetrics_history_lastMinMaxPerPhaseAndMetric() {
    Table history = Fixtures.history(100, 50);
    history.doubleColumn("value").set(0, Double.NaN);

    Table f = Tables.finalMetrics(history);

    assertThat(f.columnNames())
        .containsExactly("phase", "metric", "last", "iteration", "min", "max", "count", "nan");
    assertThat(f.rowCount()).isEqualTo(3);
    assertThat(f.stringColumn("phase").asList())
        .containsExactly("train", "validation", "validation");
    assertThat(f.stringColumn("metric").asList()).containsExactly("loss", "loss", "accuracy");
    assertThat(f.doubleColumn("last").get(0)).isCloseTo(0.02, within(1e-12));
    assertThat(f.longColumn("iteration").get(0)).isEqualTo(100L);
    assertThat(f.doubleColumn("max").get(0)).isCloseTo(1.0, within(1e-12)); // 2/1 is NaN now
    assertThat(f.intColumn("count").get(0)).isEqualTo(100);
    assertThat(f.intColumn("nan").get(0)).isEqualTo(1);
  }

  @Test
  void finalMetrics_empty_noRows() {
    assertThat(Tables.finalMetrics(Fixtures.history(0, 10)).rowCount()).isZero();
  }
}
