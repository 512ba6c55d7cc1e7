package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableRendererTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "-42, -42",
    "2.302585, 2.3026",
    "0.5, 0.5",
    "0.00123456, 0.001235",
    "1e-5, 1e-05",
    "1.5e-7, 1.5e-07",
    "12345.678, 12345.678",
    "123456789, 1.235e+08",
    "NaN, NaN",
    "Infinity, Infinity",
    "-Infinity, -Infinity"
  })
  void number_value_formatsShortAndExact(double value, String expected) {
    assertThat(Formats.number(value)).isEqualTo(expected);
  }

  @Test
  void html_escapesNamesAndValuesAndRightAlignsNumbers() {
    Table t =
        Table.create(
            "a<b", StringColumn.create("name", "x & \"y\""), DoubleColumn.create("v", 1.5));

    String html = TableRenderer.of(t, 40).html();

    assertThat(html)
        .contains("<caption", "a&lt;b", "x &amp; &quot;y&quot;")
        .contains("text-align:right")
        .doesNotContain("x & \"y\"")
        .contains("1 row \u00d7 2 columns");
  }

  @Test
  void html_10000Rows_showsFortyAndSaysSo() {
    Table t = Table.create("long", IntColumn.create("i", new int[10_000]));

    String html = TableRenderer.of(t, 40).html();

    assertThat(html.split("<tr>", -1)).hasSize(1 + 1 + 40 + 1);
    assertThat(html).contains("10,000 rows \u00d7 1 column; showing the first 30 and the last 10");
  }

  @Test
  void html_nan_isShownInRed() {
    Table t = Table.create("t", DoubleColumn.create("loss", Double.NaN));

    assertThat(TableRenderer.of(t, 40).html()).contains("color:#b00").contains(">NaN</td>");
  }

  @Test
  void text_missingInteger_isBlankNotNaN() {
    IntColumn c = IntColumn.create("i", 1);
    c.appendMissing();

    String text = TableRenderer.of(Table.create("t", c), 40).text();

    assertThat(text).doesNotContain("NaN");
  }
}
