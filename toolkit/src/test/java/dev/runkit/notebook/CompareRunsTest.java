package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.run.ConsoleProgress;
import dev.runkit.run.DigitsSplit;
import dev.runkit.run.Fixtures;
import dev.runkit.run.Metrics;
import dev.runkit.run.Monitor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/** Named runs compared as a table and a chart (users built seven tablesaw columns by hand). */
class CompareRunsTest {

  @RegisterExtension final DigitsSplit digits = new DigitsSplit(32);

  private RunResult run(String name, float lr) {
    Runner r =
        Runner.with(Fixtures.mlp(16, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train(), digits.validation())
            .optimizer(Fixtures.sgd(lr))
            .metrics(Metrics.accuracy())
            .monitor(Monitor.max("accuracy"))
            .iterations(60)
            .validateEvery(30)
            .quiet();
    return name == null ? r.fit() : r.name(name).fit();
  }

  @Test
  void compare_namedRuns_oneRowEachWithTheirFinalValues() {
    RunResult slow = run("lr 0.01", 0.01f);
    RunResult fast = run("lr 0.1", 0.1f);
    RunResult again = run("lr 0.1", 0.1f);
    Table t = Tables.compare(slow, fast, again);
    assertThat(t.stringColumn("run").asList()).containsExactly("lr 0.01", "lr 0.1", "lr 0.1 (2)");
    assertThat(t.columnNames())
        .startsWith("run", "stopped", "iterations", "seconds", "monitor", "best", "best_iteration")
        .contains("train_loss", "train_accuracy", "validation_loss", "validation_accuracy");
    assertThat(t.doubleColumn("validation_accuracy").get(1))
        .isEqualTo(fast.last("validation", "accuracy"));
    assertThat(t.doubleColumn("best").get(0)).isEqualTo(slow.best().getAsDouble());
    assertThat(t.stringColumn("monitor").get(0)).isEqualTo("validation accuracy (max)");
    // same config, same seed: the same numbers
    assertThat(t.doubleColumn("validation_loss").get(2))
        .isEqualTo(t.doubleColumn("validation_loss").get(1));

    XYChart chart = Charts.compare(List.of(slow, fast), "validation accuracy");
    // series named with a zero-width space are invisible points that steer the axis ticks
    assertThat(chart.getSeriesMap().keySet().stream().filter(n -> !n.startsWith("\u200b")))
        .containsExactly("lr 0.01", "lr 0.1");
  }

  @Test
  void compare_unnamedRuns_areCalledRun() {
    Table t = Tables.compare(run(null, 0.05f), run(null, 0.05f));
    assertThat(t.stringColumn("run").asList()).containsExactly("run", "run (2)");
  }

  @Test
  void consoleProgress_namedRun_prefixesEveryLineWithItsName() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Runner.with(Fixtures.mlp(16, 10))
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train())
        .optimizer(Fixtures.sgd(0.05f))
        .iterations(20)
        .logEvery(10)
        .name("adamw")
        .progress(new ConsoleProgress(out, false))
        .fit();
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("adamw: "));
  }
}
