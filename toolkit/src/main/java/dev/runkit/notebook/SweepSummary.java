package dev.runkit.notebook;

import dev.runkit.sweep.SweepListener;
import dev.runkit.sweep.SweepListenerProvider;
import dev.runkit.sweep.SweepResult;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Keeps a sweep directory's {@code summary.png} ({@link SweepCharts#summary}: the trials' curves
 * and the objective against each parameter) up to date: written when a sweep ends, and as trials
 * end when that is cheap (at most every second, and no more than 2% of the time: a redraw waits 49
 * times as long as the last one took). Every sweep has one ({@link Provider}), in a notebook, on
 * the command line and in plain Java alike.
 */
public final class SweepSummary implements SweepListener {

  private static final long MIN_NANOS = 1_000_000_000L;

  private final LongSupplier clock;
  private final LiveChart chart;
  private int writes;

  SweepSummary(LongSupplier clock) {
    this.clock = clock;
    this.chart = new LiveChart(MIN_NANOS, clock);
  }

  /**
   * Makes the summary writer of one sweep.
   *
   * @return the listener
   */
  public static SweepSummary create() {
    return new SweepSummary(System::nanoTime);
  }

  @Override
  public void onUpdate(SweepResult sweep) {
    long now = clock.getAsLong();
    if (chart.due(now)) {
      write(sweep, now);
    }
  }

  @Override
  public void onEnd(SweepResult result) {
    write(result, clock.getAsLong());
  }

  private void write(SweepResult sweep, long now) {
    chart.draw(now, () -> SweepCharts.writeSummary(sweep));
    writes++;
  }

  /**
   * Returns how many times the summary was written.
   *
   * @return the count
   */
  public int writes() {
    return writes;
  }

  @Override
  public String toString() {
    return "SweepSummary";
  }

  /**
   * Offers a {@link SweepSummary} to every sweep; registered in {@code
   * META-INF/services/dev.runkit.sweep.SweepListenerProvider}.
   */
  public static final class Provider implements SweepListenerProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public Provider() {}

    @Override
    public Optional<SweepListener> listener() {
      return Optional.of(create());
    }
  }
}
