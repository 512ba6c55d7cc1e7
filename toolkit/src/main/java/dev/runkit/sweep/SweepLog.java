package dev.runkit.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import dev.runkit.config.ConfigFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * A sweep's directory and its state on disk. {@code trials.jsonl} is the state: an append-only log
 * of events, one JSON object a line, each synced before the sweep goes on; {@code sweep.yaml} (the
 * resolved sweep: base config and {@code SWEEP} section, itself a sweep file), {@code trials.csv}
 * and {@code best.yaml} are rewritten views of it. Events:
 *
 * <ul>
 *   <li>{@code {"event": "start", "trial": 0, "stop_at": 30, "seed": 42, "params": {...}}}: a new
 *       trial with the values the sampler drew;
 *   <li>{@code {"event": "continue", "trial": 0, "stop_at": 90}}: a trial continued from its
 *       checkpoint;
 *   <li>{@code {"event": "result", "trial": 0, "status": "RUNNING", "objective": 0.93,
 *       "best_iteration": 30, "iterations": 30, "start_iteration": 0, "seconds": 1.2, "message":
 *       "...", "points": [[10, 0.81], [20, 0.9], [30, 0.93]]}}: a segment's end, with the
 *       objective's validations so far (what the scheduler was told; null for NaN);
 *   <li>{@code {"event": "pruned", "trial": 3, "message": "..."}}: the scheduler dropped a trial;
 *   <li>{@code {"event": "end"}}: the sweep is over.
 * </ul>
 *
 * <p>Samplers and schedulers are deterministic functions of these events, so a sweep is rebuilt by
 * reading {@code sweep.yaml}, replaying the events in order (each start and continue is the job the
 * scheduler gives again, each result is reported again; the parameters of started trials come from
 * the log, not from the sampler), and then submitting again the segments that have a start or
 * continue but no result: the executor continues each from the newest checkpoint in its run
 * directory, exactly.
 */
final class SweepLog {

  /** The resolved sweep. */
  static final String SWEEP_FILE = "sweep.yaml";

  /** The event log. */
  static final String EVENTS_FILE = "trials.jsonl";

  /** The trials table. */
  static final String TABLE_FILE = "trials.csv";

  /** The best trial's config. */
  static final String BEST_FILE = "best.yaml";

  private static final Gson GSON =
      new GsonBuilder()
          .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
          .disableHtmlEscaping()
          .serializeNulls()
          .create();

  private final Path dir;

  SweepLog(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * Checks that a directory holds no sweep.
   *
   * @param dir the sweep directory
   * @param key what names it, for the message
   * @throws IllegalArgumentException if it is a file or holds a sweep's log
   */
  static void requireFree(Path dir, String key) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(key + " " + dir + " is a file, not a directory");
    }
    if (Files.exists(dir.resolve(EVENTS_FILE))) {
      throw new IllegalArgumentException(
          key
              + " "
              + dir
              + " already holds a sweep ("
              + EVENTS_FILE
              + "); choose another directory");
    }
    // a trial continues from the checkpoints in its run directory: never from another sweep's
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        Optional<Path> trial =
            entries.filter(p -> p.getFileName().toString().matches("trial-\\d+")).findFirst();
        if (trial.isPresent()) {
          throw new IllegalArgumentException(
              key
                  + " "
                  + dir
                  + " already holds trial runs ("
                  + trial.get().getFileName()
                  + "); choose another directory");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
  }

  /** Creates the directory and writes the resolved sweep. */
  void begin(Map<String, Object> resolved) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    ConfigFiles.write(resolved, dir.resolve(SWEEP_FILE));
  }

  void started(Trial t) {
    Map<String, Object> e = event("start", t.id());
    e.put("stop_at", t.stopAt());
    e.put("seed", t.seed());
    e.put("params", t.params());
    append(e);
  }

  void continued(Trial t) {
    Map<String, Object> e = event("continue", t.id());
    e.put("stop_at", t.stopAt());
    append(e);
  }

  void result(TrialResult r, Objective objective) {
    Map<String, Object> e = event("result", r.trial());
    e.put("status", r.status().name());
    e.put("objective", finite(r.objective()));
    e.put("best_iteration", r.bestIteration());
    e.put("iterations", r.iterations());
    e.put("start_iteration", r.startIteration());
    e.put("seconds", r.seconds());
    e.put("message", r.message());
    List<List<Object>> points = new ArrayList<>();
    for (TrialResult.Row row : r.history()) {
      if (row.phase().equals(objective.phase()) && row.metric().equals(objective.metric())) {
        List<Object> p = new ArrayList<>();
        p.add(row.iteration());
        p.add(finite(row.value()));
        points.add(p);
      }
    }
    e.put("points", points);
    append(e);
  }

  void pruned(int trial, String message) {
    Map<String, Object> e = event("pruned", trial);
    e.put("message", message);
    append(e);
  }

  void end() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", "end");
    append(e);
  }

  void table(Table table) {
    ConfigFiles.writeAtomically(dir.resolve(TABLE_FILE), tmp -> table.write().csv(tmp.toFile()));
  }

  void best(String yaml) {
    ConfigFiles.writeAtomically(
        dir.resolve(BEST_FILE), tmp -> Files.writeString(tmp, yaml, StandardCharsets.UTF_8));
  }

  /**
   * Reads the events of a sweep directory, in order.
   *
   * @param dir the sweep directory
   * @return the events as maps (whole numbers as Long, others as Double)
   * @throws UncheckedIOException if the log cannot be read
   */
  static List<Map<String, Object>> read(Path dir) {
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve(EVENTS_FILE), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(GSON.fromJson(line, new TypeToken<Map<String, Object>>() {}.getType()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(EVENTS_FILE), e);
    }
  }

  private static Map<String, Object> event(String kind, int trial) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", kind);
    e.put("trial", trial);
    return e;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Appends one line and syncs it, so a crash loses at most the event being written. */
  private void append(Map<String, Object> event) {
    byte[] line = (GSON.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileOutputStream out = new FileOutputStream(dir.resolve(EVENTS_FILE).toFile(), true)) {
      out.write(line);
      out.getFD().sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(EVENTS_FILE), e);
    }
  }
}
