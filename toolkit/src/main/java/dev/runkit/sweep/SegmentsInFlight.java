package dev.runkit.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The trial segments a sweep has submitted and not yet recorded, and the order in which they began
 * and ended on the executor's threads. The sweep's own thread hears of each begin (its listener's
 * {@code onTrialStart}) before any end that came after it, and takes ends in the order they came: a
 * worker that ends one segment and takes the queued next one is heard in that order, though the
 * sweep records the first only afterwards. Used from the thread that created it, except for what
 * executors call.
 */
final class SegmentsInFlight {

  /** An ended segment: its trial, its result future (done) and when it ended. */
  record Ended(int trial, CompletableFuture<TrialResult> result, long at) {}

  private record Began(Trial trial, long at) {}

  private final Thread owner = Thread.currentThread();
  private final Consumer<Trial> onBegin;
  private final AtomicLong clock = new AtomicLong();
  private final Map<Integer, CompletableFuture<TrialResult>> segments = new TreeMap<>();
  private final Map<Integer, Long> endedAt = new ConcurrentHashMap<>();
  private final Deque<Began> begun = new ConcurrentLinkedDeque<>();
  private volatile CompletableFuture<Void> beganElsewhere = new CompletableFuture<>();

  /**
   * @param onBegin what hears that a segment began, always on this thread
   */
  SegmentsInFlight(Consumer<Trial> onBegin) {
    this.onBegin = onBegin;
  }

  /** Submits a segment to an executor. */
  void submit(Trial trial, TrialExecutor executor) {
    CompletableFuture<TrialResult> result = executor.submit(trial, () -> began(trial));
    // the stamp is there before this future completes, so before the executor's thread goes on
    segments.put(
        trial.id(),
        result.whenComplete((r, e) -> endedAt.put(trial.id(), clock.incrementAndGet())));
  }

  int size() {
    return segments.size();
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  boolean contains(int trial) {
    return segments.containsKey(trial);
  }

  /**
   * Waits at most a while for a segment to end, telling the begins that come meanwhile.
   *
   * @return whether a segment has ended
   * @throws InterruptedException if this thread is interrupted while it waits
   */
  boolean awaitEnd(long millis) throws InterruptedException {
    CompletableFuture<Object> any =
        CompletableFuture.anyOf(segments.values().toArray(CompletableFuture[]::new));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      beganElsewhere = new CompletableFuture<>();
      tellBegun();
      long left = deadline - System.nanoTime();
      if (any.isDone() || left <= 0) {
        return any.isDone();
      }
      try {
        CompletableFuture.anyOf(any, beganElsewhere).get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // the next turn sees which
      }
    }
  }

  /**
   * Removes the segments that have ended and returns them in the order they ended, telling before
   * each the begins that came before it.
   *
   * @param each what records an ended segment
   */
  void takeEnded(Consumer<Ended> each) {
    List<Ended> ended = new ArrayList<>();
    for (Map.Entry<Integer, CompletableFuture<TrialResult>> e : segments.entrySet()) {
      if (e.getValue().isDone()) {
        ended.add(new Ended(e.getKey(), e.getValue(), endedAt.remove(e.getKey())));
      }
    }
    ended.sort(Comparator.comparingLong(Ended::at));
    for (Ended e : ended) {
      segments.remove(e.trial());
      tellBegunBefore(e.at());
      each.accept(e);
    }
  }

  private void began(Trial trial) {
    begun.add(new Began(trial, clock.incrementAndGet()));
    if (Thread.currentThread() == owner) {
      tellBegun();
    } else {
      beganElsewhere.complete(null);
    }
  }

  /** Tells the begins that came before every end not yet taken. */
  private void tellBegun() {
    long firstEnd = Long.MAX_VALUE;
    for (Map.Entry<Integer, CompletableFuture<TrialResult>> e : segments.entrySet()) {
      if (e.getValue().isDone()) {
        firstEnd = Math.min(firstEnd, endedAt.get(e.getKey()));
      }
    }
    tellBegunBefore(firstEnd);
  }

  private void tellBegunBefore(long at) {
    for (Began b = begun.peekFirst(); b != null && b.at() < at; b = begun.peekFirst()) {
      begun.pollFirst();
      onBegin.accept(b.trial());
    }
  }
}
