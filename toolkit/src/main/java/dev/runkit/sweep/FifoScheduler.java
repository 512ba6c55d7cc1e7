package dev.runkit.sweep;

import dev.runkit.registry.TypeAndParams;
import java.util.Map;

/** Runs every trial to the run length, one after another: no early stopping. */
public final class FifoScheduler implements TrialScheduler {

  private long runLength;
  private int started;
  private int running;

  @Override
  public void begin(long runLength, long validateEvery) {
    this.runLength = runLength;
    started = 0;
    running = 0;
  }

  @Override
  public Job next(boolean mayStart) {
    if (mayStart) {
      running++;
      return Job.start(started++, runLength);
    }
    return running > 0 ? Job.WAIT : Job.DONE;
  }

  @Override
  public void report(Report report) {
    running--;
  }

  @Override
  public boolean pruned(int trial) {
    return false;
  }

  @Override
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig("fifo", Map.of());
  }

  @Override
  public String toString() {
    return "FifoScheduler";
  }
}
