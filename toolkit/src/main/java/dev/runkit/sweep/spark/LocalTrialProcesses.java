package dev.runkit.sweep.spark;

import dev.runkit.sweep.TrialExecutor;
import dev.runkit.sweep.TrialExecutors;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker processes that train the trials of a sweep on Spark in local mode: there the tasks run
 * in the driver's JVM, which trains one trial at a time (MXNet's engine is process-wide), so a
 * {@code local[N]} sweep hands each task's trial to one of N local worker processes ({@link
 * TrialExecutors#workers(int)}) and trains N trials at once, as N one-core executors of a cluster
 * would. A task reaches its pool by the key the driver registered it under: the task is serialised
 * even in local mode, the pool cannot travel with it.
 */
final class LocalTrialProcesses {

  private static final Pattern LOCAL_THREADS = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");

  private static final Map<String, TrialExecutor> POOLS = new ConcurrentHashMap<>();

  private LocalTrialProcesses() {}

  /**
   * Returns how many tasks a local master runs at once: N for {@code local[N]} and {@code
   * local[N,F]}, the cores for {@code local[*]}, 1 for {@code local}.
   */
  static int slots(String master) {
    Matcher m = LOCAL_THREADS.matcher(master);
    if (!m.matches()) {
      return 1;
    }
    return m.group(1).equals("*")
        ? Runtime.getRuntime().availableProcessors()
        : Math.max(1, Integer.parseInt(m.group(1)));
  }

  /** Registers a pool of worker processes; returns its key. */
  static String register(int workers) {
    String key = UUID.randomUUID().toString();
    POOLS.put(key, TrialExecutors.workers(workers));
    return key;
  }

  /** The pool registered under a key, or null once it is closed. */
  static TrialExecutor get(String key) {
    return POOLS.get(key);
  }

  /** Closes the pool under a key, ending its worker processes. */
  static void close(String key) {
    TrialExecutor pool = POOLS.remove(key);
    if (pool != null) {
      pool.close();
    }
  }
}
