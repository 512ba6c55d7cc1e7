package dev.runkit.notebook;

import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * One output that can be replaced in place: the first call shows it, later calls update it (a
 * Jupyter {@code update_display_data}), so a running fit can refresh one table or chart instead of
 * printing a new one each time. Outside a kernel each call prints (or writes a file) again.
 *
 * <pre>{@code
 * Display progress = Display.create();
 * for (int step = 0; step < 100; step += 10) {
 *   progress.text("step " + step);
 * }
 * }</pre>
 *
 * <p>Like {@link Show}, no method throws: bad input becomes a message in the display.
 */
public final class Display {

  private final String id;
  private volatile boolean shown;

  private Display(String id) {
    this.id = id;
  }

  /**
   * Makes a display that shows nothing until its first content.
   *
   * @return the display
   */
  public static Display create() {
    return new Display(Show.newDisplayId());
  }

  /**
   * Returns the Jupyter display id.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Shows or replaces the content with a table.
   *
   * @param table the table
   */
  public void table(Table table) {
    Show.emit(id, next(), () -> Show.tableOutput(table, TableRenderer.DEFAULT_MAX_ROWS));
  }

  /**
   * Shows or replaces the content with a chart (PNG).
   *
   * @param chart the chart
   */
  public void chart(Chart<?, ?> chart) {
    Show.emit(id, next(), () -> Show.chartOutput(chart, false));
  }

  /**
   * Shows or replaces the content with a grid of charts (one PNG).
   *
   * @param grid the charts, from {@link Charts#grid}
   */
  public void chart(ChartGrid grid) {
    Show.emit(id, next(), () -> Show.gridOutput(grid));
  }

  /**
   * Shows or replaces the content with plain text.
   *
   * @param text the text
   */
  public void text(String text) {
    Show.emit(id, next(), () -> Output.text(String.valueOf(text)));
  }

  /**
   * Shows or replaces the content with HTML.
   *
   * @param html the HTML fragment
   */
  public void html(String html) {
    Show.emit(id, next(), () -> Show.htmlOutput(html));
  }

  /** Whether this call updates (true) or makes the first output (false). */
  private synchronized boolean next() {
    boolean update = shown;
    shown = true;
    return update;
  }

  @Override
  public String toString() {
    return "Display[" + id + "]";
  }
}
