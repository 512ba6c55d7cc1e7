package dev.runkit.notebook;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Several charts laid out in a grid and shown as one image; made by {@link Charts#grid}. Immutable.
 */
public final class ChartGrid {

  private final String title;
  private final List<XYChart> charts;
  private final int columns;

  ChartGrid(String title, List<XYChart> charts, int columns) {
    this.title = title;
    this.charts = List.copyOf(charts);
    this.columns = columns;
  }

  /**
   * Returns the grid's title (used for file names outside a kernel).
   *
   * @return the title
   */
  public String title() {
    return title;
  }

  /**
   * Returns the charts, row by row.
   *
   * @return an unmodifiable list
   */
  public List<XYChart> charts() {
    return charts;
  }

  /**
   * Returns the number of columns.
   *
   * @return the columns
   */
  public int columns() {
    return columns;
  }

  /**
   * Returns the number of rows.
   *
   * @return the rows
   */
  public int rows() {
    return (charts.size() + columns - 1) / columns;
  }

  /**
   * Returns the width of the whole image in pixels.
   *
   * @return the width
   */
  public int width() {
    return columns * charts.get(0).getWidth();
  }

  /**
   * Returns the height of the whole image in pixels.
   *
   * @return the height
   */
  public int height() {
    return rows() * charts.get(0).getHeight();
  }

  /**
   * Renders the grid as one PNG image.
   *
   * @return the PNG bytes
   * @throws IllegalStateException if XChart cannot encode it
   */
  public byte[] png() {
    int cellWidth = charts.get(0).getWidth();
    int cellHeight = charts.get(0).getHeight();
    BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      for (int i = 0; i < charts.size(); i++) {
        BufferedImage cell = BitmapEncoder.getBufferedImage(charts.get(i));
        g.drawImage(cell, (i % columns) * cellWidth, (i / columns) * cellHeight, null);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException("could not encode the chart grid: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
