package dev.runkit.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

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

  /** An event read back from the log, for a resumed sweep to replay. */
  sealed interface Event permits Started, Continued, Segment, Pruned, End {}

  /** A new trial with the values the sampler drew (in canonical form). */
  record Started(int trial, long stopAt, long seed, Map<String, Object> params) implements Event {}

  /** A trial continued from its checkpoint. */
  record Continued(int trial, long stopAt) implements Event {}

  /**
   * A segment's end: the result as recorded, its history read from the trial's {@code history.csv},
   * and the objective's values as the scheduler was told them.
   */
  record Segment(TrialResult result, List<TrialScheduler.Point> points) implements Event {}

  /** The scheduler dropped a trial. */
  record Pruned(int trial, String message) implements Event {}

  /** The sweep is over. */
  record End() implements Event {}

  /**
   * Reads the events of a sweep directory for a resume. A last line cut short by a crash (the event
   * being written) is dropped from the file, so that the resumed sweep appends after whole lines.
   *
   * @param dir the sweep directory
   * @param objective the sweep's objective, which turns values into the scheduler's losses
   * @return the events, in order
   * @throws IllegalArgumentException if a line other than the last is not an event
   * @throws UncheckedIOException if the log cannot be read or repaired
   */
  static List<Event> events(Path dir, Objective objective) {
    Path file = dir.resolve(EVENTS_FILE);
    List<Event> out = new ArrayList<>();
    try {
      byte[] bytes = Files.readAllBytes(file);
      int whole = bytes.length;
      while (whole > 0 && bytes[whole - 1] != '\n') {
        whole--;
      }
      if (whole < bytes.length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(whole);
          ch.force(true);
        }
      }
      String[] lines = new String(bytes, 0, whole, StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        try {
          out.add(
              parse(
                  GSON.fromJson(lines[i], new TypeToken<Map<String, Object>>() {}.getType()),
                  dir,
                  objective));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              file + " line " + (i + 1) + " is not a sweep event (" + e.getMessage() + ")", e);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Event parse(Map<String, Object> e, Path dir, Objective objective) {
    String kind = String.valueOf(e.get("event"));
    if (kind.equals("end")) {
      return new End();
    }
    int trial = ((Number) e.get("trial")).intValue();
    switch (kind) {
      case "start":
        Map<String, Object> params = new LinkedHashMap<>();
        ((Map<String, Object>) e.get("params"))
            .forEach((k, v) -> params.put(k, Values.canonical(v, k)));
        return new Started(
            trial,
            ((Number) e.get("stop_at")).longValue(),
            ((Number) e.get("seed")).longValue(),
            params);
      case "continue":
        return new Continued(trial, ((Number) e.get("stop_at")).longValue());
      case "pruned":
        return new Pruned(trial, String.valueOf(e.get("message")));
      case "result":
        List<TrialScheduler.Point> points = new ArrayList<>();
        for (List<Object> p : (List<List<Object>>) e.get("points")) {
          points.add(
              new TrialScheduler.Point(
                  ((Number) p.get(0)).longValue(), objective.loss(number(p.get(1)))));
        }
        TrialResult r =
            new TrialResult(
                trial,
                TrialStatus.valueOf(String.valueOf(e.get("status"))),
                number(e.get("objective")),
                ((Number) e.get("best_iteration")).longValue(),
                ((Number) e.get("iterations")).longValue(),
                ((Number) e.get("start_iteration")).longValue(),
                number(e.get("seconds")),
                history(dir.resolve(Trial.name(trial))),
                String.valueOf(e.get("message")));
        return new Segment(r, points);
      default:
        throw new IllegalArgumentException("unknown event \"" + kind + "\"");
    }
  }

  private static double number(Object value) {
    return value == null ? Double.NaN : ((Number) value).doubleValue();
  }

  /**
   * Reads a trial's history from its run directory's {@code history.csv}, which the executor writes
   * after each segment; empty when there is none (a trial that failed before training).
   *
   * @param runDir the trial's run directory
   * @return the rows
   */
  static List<TrialResult.Row> history(Path runDir) {
    Path file = runDir.resolve(RunConfig.HISTORY_FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      Table t =
          Table.read()
              .usingOptions(
                  CsvReadOptions.builder(file.toFile())
                      .columnTypes(
                          name ->
                              switch (name) {
                                case "iteration" -> ColumnType.LONG;
                                case "phase", "metric" -> ColumnType.STRING;
                                default -> ColumnType.DOUBLE;
                              }));
      return TrialResult.rows(t);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read the history " + file + ": " + e.getMessage(), e);
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
