package dev.runkit.notebook;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a tablesaw table as HTML or as aligned text, formatting numbers with {@link Formats} and
 * showing only the head and tail of long tables, so a 10,000-row history costs as much as a 40-row
 * one.
 */
final class TableRenderer {

  /** Rows shown when a caller does not choose: enough to read, small enough to scroll past. */
  static final int DEFAULT_MAX_ROWS = 40;

  private final Table table;
  private final int[] rows;
  private final boolean truncated;
  private final int headCount;

  private TableRenderer(Table table, int maxRows) {
    this.table = table;
    int n = table.rowCount();
    if (n <= maxRows) {
      rows = range(0, n);
      truncated = false;
      headCount = n;
    } else {
      int tail = Math.max(1, maxRows / 4);
      int head = Math.max(1, maxRows - tail);
      rows = new int[head + tail];
      for (int i = 0; i < head; i++) {
        rows[i] = i;
      }
      for (int i = 0; i < tail; i++) {
        rows[head + i] = n - tail + i;
      }
      truncated = true;
      headCount = head;
    }
  }

  /**
   * Prepares a table for rendering.
   *
   * @param table the table, not null
   * @param maxRows the most rows to show, {@code >= 2}
   * @return the renderer
   */
  static TableRenderer of(Table table, int maxRows) {
    return new TableRenderer(table, Math.max(2, maxRows));
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = from; i < to; i++) {
      r[i - from] = i;
    }
    return r;
  }

  /** The note under the table: its shape, and what was left out. */
  String note() {
    String shape =
        Formats.count(table.rowCount())
            + (table.rowCount() == 1 ? " row" : " rows")
            + " \u00d7 "
            + table.columnCount()
            + (table.columnCount() == 1 ? " column" : " columns");
    if (table.columnCount() == 0) {
      return "empty table (no columns)";
    }
    if (table.rowCount() == 0) {
      return "empty table (no rows; columns " + table.columnNames() + ")";
    }
    if (truncated) {
      return shape
          + "; showing the first "
          + Formats.count(headCount)
          + " and the last "
          + Formats.count(rows.length - headCount);
    }
    return shape;
  }

  /** Formats one cell: numbers by {@link Formats#number}, missing floating values as NaN. */
  static String cell(Column<?> column, int row) {
    if (column instanceof NumericColumn<?> numeric) {
      if (numeric.isMissing(row)) {
        return isFloating(column) ? "NaN" : "";
      }
      return Formats.number(numeric.getDouble(row));
    }
    if (column.isMissing(row)) {
      return "";
    }
    return column.getString(row);
  }

  private static boolean isFloating(Column<?> column) {
    String type = column.type().name();
    return type.equals("DOUBLE") || type.equals("FLOAT");
  }

  private static boolean isNumeric(Column<?> column) {
    return column instanceof NumericColumn<?>;
  }

  /** Renders the table as a self-contained HTML fragment (inline styles, no scripts). */
  String html() {
    StringBuilder b = new StringBuilder(256 + rows.length * table.columnCount() * 48);
    b.append("<div class=\"runkit-table\">");
    b.append("<table style=\"border-collapse:collapse;font-size:12px\">");
    if (table.name() != null && !table.name().isBlank()) {
      b.append("<caption style=\"text-align:left;font-weight:bold;padding:2px 0\">")
          .append(Formats.html(table.name()))
          .append("</caption>");
    }
    b.append("<thead><tr>");
    for (Column<?> c : table.columns()) {
      b.append("<th style=\"text-align:")
          .append(isNumeric(c) ? "right" : "left")
          .append(";padding:2px 8px;border-bottom:1px solid #999\">")
          .append(Formats.html(c.name()))
          .append("</th>");
    }
    b.append("</tr></thead><tbody>");
    List<Column<?>> columns = table.columns();
    for (int i = 0; i < rows.length; i++) {
      if (truncated && i == headCount) {
        b.append("<tr>");
        for (Column<?> c : columns) {
          b.append("<td style=\"text-align:")
              .append(isNumeric(c) ? "right" : "left")
              .append(";padding:0 8px;color:#888\">\u22ee</td>");
        }
        b.append("</tr>");
      }
      b.append("<tr>");
      for (Column<?> c : columns) {
        String text = cell(c, rows[i]);
        b.append("<td style=\"text-align:").append(isNumeric(c) ? "right" : "left");
        if (text.equals("NaN")) {
          b.append(";color:#b00");
        }
        b.append(";padding:1px 8px;font-family:monospace\">")
            .append(Formats.html(text))
            .append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table>");
    b.append("<div style=\"color:#666;font-size:11px;padding-top:2px\">")
        .append(Formats.html(note()))
        .append("</div></div>");
    return b.toString();
  }

  /** Renders the table as aligned plain text, numbers right-aligned. */
  String text() {
    List<Column<?>> columns = table.columns();
    int k = columns.size();
    List<String[]> lines = new ArrayList<>(rows.length + 1);
    String[] header = new String[k];
    int[] width = new int[k];
    for (int j = 0; j < k; j++) {
      header[j] = columns.get(j).name();
      width[j] = Math.max(header[j].length(), truncated ? 3 : 0);
    }
    for (int row : rows) {
      String[] line = new String[k];
      for (int j = 0; j < k; j++) {
        line[j] = cell(columns.get(j), row);
        width[j] = Math.max(width[j], line[j].length());
      }
      lines.add(line);
    }
    StringBuilder b = new StringBuilder();
    if (table.name() != null && !table.name().isBlank()) {
      b.append(table.name()).append('\n');
    }
    appendLine(b, header, width, columns);
    for (int j = 0; j < k; j++) {
      b.append(j == 0 ? "" : "  ").append("-".repeat(width[j]));
    }
    b.append('\n');
    for (int i = 0; i < lines.size(); i++) {
      if (truncated && i == headCount) {
        String[] dots = new String[k];
        java.util.Arrays.fill(dots, "...");
        appendLine(b, dots, width, columns);
      }
      appendLine(b, lines.get(i), width, columns);
    }
    b.append('(').append(note()).append(')');
    return b.toString();
  }

  private static void appendLine(
      StringBuilder b, String[] cells, int[] width, List<Column<?>> columns) {
    for (int j = 0; j < cells.length; j++) {
      if (j > 0) {
        b.append("  ");
      }
      String pad = " ".repeat(width[j] - cells[j].length());
      if (isNumeric(columns.get(j))) {
        b.append(pad).append(cells[j]);
      } else {
        b.append(cells[j]).append(j == cells.length - 1 ? "" : pad);
      }
    }
    b.append('\n');
  }
}
