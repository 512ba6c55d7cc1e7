package dev.runkit.notebook;

import java.util.Base64;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;

/**
 * A chart that a live display (or a file kept up to date) redraws as a run goes on: due again after
 * its interval, or later when drawing is slow, so that drawing takes at most 2% of the time; the
 * last drawing is kept as an inline image.
 */
final class LiveChart {

  private final long intervalNanos;
  private final LongSupplier clock;
  private long last = Long.MIN_VALUE;
  private long cost;
  private String html = "";

  /**
   * A chart redrawn at most every {@code intervalNanos}, timed by {@code clock}.
   *
   * @param intervalNanos the shortest time between two drawings
   * @param clock the clock, in nanoseconds
   */
  LiveChart(long intervalNanos, LongSupplier clock) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /** Whether a drawing is due at {@code now}: the first one always is. */
  boolean due(long now) {
    return last == Long.MIN_VALUE || now - last >= Math.max(intervalNanos, 49 * cost);
  }

  /** Draws (or writes) the chart, noting when and how long it took. */
  void draw(long now, Runnable drawing) {
    drawing.run();
    last = now;
    cost = clock.getAsLong() - now;
  }

  /** Draws the chart as an inline PNG image of its size; {@link #html()} returns it after. */
  void drawImage(long now, Supplier<XYChart> chart) {
    draw(
        now,
        () -> {
          XYChart c = chart.get();
          html =
              "<img src=\"data:image/png;base64,"
                  + Base64.getEncoder().encodeToString(Show.png(c))
                  + "\" width=\""
                  + c.getWidth()
                  + "\" height=\""
                  + c.getHeight()
                  + "\"/>";
        });
  }

  /** The last image drawn, empty before the first. */
  String html() {
    return html;
  }
}
