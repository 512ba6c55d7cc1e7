package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** Show outside a kernel (as in these tests): text on standard output, images in files. */
class ShowTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void captureStdout() {
    original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Show.outputDir(dir);
  }

  @AfterEach
  void restore() {
    System.setOut(original);
    Show.outputDir(null);
  }

  private String printed() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void kernelName_outsideAKernel_isNone() {
    assertThat(Show.kernelName()).isEqualTo("none");
  }

  @Test
  void table_outsideKernel_printsAlignedTextWithNaN() {
    Table t =
        Table.create(
            "metrics",
            IntColumn.create("iteration", 0, 100),
            DoubleColumn.create("loss", 2.302585, Double.NaN));

    Show.table(t);

    assertThat(printed())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "metrics",
                "iteration    loss",
                "---------  ------",
                "        0  2.3026",
                "      100     NaN",
                "(2 rows \u00d7 2 columns)",
                ""));
  }

  @Test
  void table_10000Rows_printsHeadTailAndNote() {
    double[] v = new double[10_000];
    Table t = Table.create("long", DoubleColumn.create("v", v));

    Show.table(t);

    assertThat(printed())
        .contains("...")
        .contains("(10,000 rows \u00d7 1 column; showing the first 30 and the last 10)");
    assertThat(printed().lines().count())
        .isEqualTo(1 + 2 + 40 + 1 + 1); // name, header, rule, rows, dots, note
  }

  @Test
  void table_null_printsMessageInsteadOfThrowing() {
    assertThatCode(() -> Show.table(null)).doesNotThrowAnyException();

    assertThat(printed()).contains("Show.table: the table is null.");
  }

  @Test
  void table_noColumns_printsMessage() {
    Show.table(Table.create("nothing"));

    assertThat(printed())
        .contains("Show.table: table \"nothing\" is empty (no columns) - nothing to show.");
  }

  @Test
  void table_noRows_printsHeaderAndSaysEmpty() {
    Show.table(Table.create("history", DoubleColumn.create("loss")));

    assertThat(printed()).contains("loss").contains("(empty table (no rows; columns [loss]))");
  }

  @Test
  void chart_outsideKernel_writesPngAndSaysWhere() throws Exception {
    XYChart chart = Charts.schedule(Fixtures.warmupCosine(10, 100), 100);

    Show.chart(chart);

    List<Path> files = files();
    assertThat(files).hasSize(1);
    Path png = files.get(0);
    assertThat(png.getFileName().toString()).endsWith("-learning-rate-schedule.png");
    assertThat(Files.readAllBytes(png)).startsWith(ChartsTest.PNG_SIGNATURE);
    assertThat(printed())
        .startsWith(
            "Chart \"Learning-rate schedule\" (800x450) written to " + png.toAbsolutePath());
  }

  @Test
  void chartSvg_outsideKernel_writesPngAndSvg() throws Exception {
    Show.chartSvg(Charts.schedule(step -> 0.1, 10));

    List<Path> files = files();
    assertThat(files)
        .extracting(p -> p.getFileName().toString().replaceAll("^\\d+-", ""))
        .containsExactlyInAnyOrder("learning-rate-schedule.png", "learning-rate-schedule.svg");
    Path svg = files.stream().filter(p -> p.toString().endsWith(".svg")).findFirst().orElseThrow();
    assertThat(Files.readString(svg)).contains("<svg");
  }

  @Test
  void chart_grid_writesOneImage() throws Exception {
    Show.chart(Charts.grid(Map.of("a", step -> 0.1, "b", step -> 0.2), 10, 2));

    assertThat(files()).hasSize(1);
    assertThat(printed()).contains("Chart grid \"Learning-rate schedules\" (2 charts, 800x280)");
  }

  @Test
  void chart_null_printsMessage() {
    Show.chart((XYChart) null);

    assertThat(printed()).contains("Show.chart: the chart is null.");
  }

  @Test
  void html_outsideKernel_writesHtmlFile() throws Exception {
    Show.html("<b>hello</b>");

    Matcher m = Pattern.compile("HTML written to (\\S+)").matcher(printed());
    assertThat(m.find()).isTrue();
    assertThat(Files.readString(Path.of(m.group(1)))).isEqualTo("<b>hello</b>");
  }

  @Test
  void text_printsIt() {
    Show.text("hello");

    assertThat(printed()).isEqualTo("hello" + System.lineSeparator());
  }

  @Test
  void display_secondCall_isAnUpdate() throws Exception {
    Display d = Display.create();

    d.chart(Charts.schedule(step -> 0.1, 10));
    d.chart(Charts.schedule(step -> 0.2, 10));

    List<String> lines = printed().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).doesNotContain("(update)");
    assertThat(lines.get(1)).endsWith("(update)");
    assertThat(d.id()).startsWith("runkit-");
  }

  @Test
  void emit_builderThrows_showsTheMessageInstead() {
    assertThatCode(
            () ->
                Show.emit(
                    null,
                    false,
                    () -> {
                      throw new IllegalStateException("cannot draw this");
                    }))
        .doesNotThrowAnyException();

    assertThat(printed()).contains("cannot draw this");
  }

  @Test
  void outputDir_default_isRunkitOutputUnlessConfigured() {
    Show.outputDir(null);

    Path expected =
        System.getenv("RUNKIT_OUTPUT_DIR") != null
            ? Path.of(System.getenv("RUNKIT_OUTPUT_DIR"))
            : Path.of("runkit-output");
    assertThat(Show.outputDir()).isEqualTo(expected);
  }
}
