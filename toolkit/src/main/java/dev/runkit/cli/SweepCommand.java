package dev.runkit.cli;

import dev.runkit.config.RunConfig;
import dev.runkit.notebook.Tables;
import dev.runkit.run.Checkpoints;
import dev.runkit.sweep.BestTrial;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepListener;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialResult;
import dev.runkit.sweep.TrialStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tech.tablesaw.api.Table;

/**
 * {@code sweep SWEEP_FILE [--workers N | --spark MASTER] [--set KEY=VALUE ...]} runs a sweep (a run
 * config with a {@code SWEEP} section, or a sweep file {@code {BASE, SWEEP}}) into its sweep
 * directory, and {@code sweep resume SWEEP_DIR [--workers N | --spark MASTER]} continues one that
 * was stopped or killed. Every setting is checked before the first trial. It prints a line per
 * trial event and a summary with the best trial; the directory holds {@code trials.csv}, {@code
 * summary.png}, {@code best.yaml} and one run directory per trial. {@code --workers N} runs the
 * trials in N local worker processes, {@code --spark MASTER} as tasks of Apache Spark ({@code
 * local[N]}, {@code spark://host:port}). Ctrl-C or SIGTERM stops the running trials after their
 * iteration in progress, with a checkpoint, so that {@code sweep resume} continues them.
 */
public final class SweepCommand implements Command {

  static final String USAGE =
      "sweep SWEEP_FILE [--workers N | --spark MASTER] [--set KEY=VALUE ...]\n"
          + "       runkit sweep resume SWEEP_DIR [--workers N | --spark MASTER]";

  /**
   * Returns a one-line description.
   *
   * @return the summary
   */
  @Override
  public String summary() {
    return "search hyperparameters: a sweep file's trials, in this process, --workers N or"
        + " --spark MASTER (`sweep resume DIR` continues one)";
  }

  /**
   * Runs the verb.
   *
   * @param args the arguments after the verb
   * @param out where the trial lines and the summary go
   * @param err where problems go
   * @return the exit status: 0 the sweep ended or was stopped, 1 no trial completed or the executor
   *     failed, 2 bad input
   */
  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    return Verbs.guard(
        "sweep",
        err,
        () -> {
          Args a = Args.parse(args, List.of("--set", "--workers", "--spark"), List.of(), USAGE);
          if (a.printedHelp(out, USAGE)) {
            return 0;
          }
          List<String> executor = executor(a.options.get("--workers"), a.options.get("--spark"));
          boolean resume = !a.positional.isEmpty() && a.positional.get(0).equals("resume");
          Sweep sweep;
          if (resume) {
            if (a.positional.size() != 2) {
              throw new IllegalArgumentException(
                  (a.positional.size() < 2 ? "missing SWEEP_DIR" : "expected one SWEEP_DIR")
                      + "; usage: runkit "
                      + USAGE);
            }
            if (!a.sets.isEmpty()) {
              throw new IllegalArgumentException(
                  "sweep resume takes no --set: a resumed sweep keeps the settings its log was"
                      + " written with (--workers N or --spark MASTER chooses where its trials"
                      + " run)");
            }
            Path dir = Path.of(a.positional.get(1)).toAbsolutePath().normalize();
            sweep = Sweep.resume(dir, executor);
            out.println("resuming the sweep in " + dir);
          } else {
            List<String> sets = new ArrayList<>(a.sets);
            sets.addAll(executor);
            sweep = Sweep.load(Path.of(a.single("SWEEP_FILE", USAGE)), sets);
          }
          return execute(sweep, out, err);
        });
  }

  /** {@code --workers N} or {@code --spark MASTER} as the override of the sweep's executor. */
  private static List<String> executor(String workers, String spark) {
    if (workers != null && spark != null) {
      throw new IllegalArgumentException(
          "--workers and --spark both choose where the trials run: give one of them");
    }
    if (spark != null) {
      if (spark.isBlank()) {
        throw new IllegalArgumentException(
            "--spark needs a master: local[N] (N tasks in this process) or spark://HOST:PORT"
                + " (a standalone cluster)");
      }
      return List.of("SWEEP.EXECUTOR={TYPE: spark, PARAM: {master: '" + spark.trim() + "'}}");
    }
    return workers(workers);
  }

  private static List<String> workers(String value) {
    if (value == null) {
      return List.of();
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException(
          "--workers must be a whole number >= 1 (worker processes), got \"" + value + "\"");
    }
    return List.of("SWEEP.EXECUTOR={TYPE: workers, PARAM: {workers: " + n + "}}");
  }

  private static int execute(Sweep sweep, PrintStream out, PrintStream err) {
    sweep.listener(new Lines(out));
    SweepResult r;
    // a signal stops the sweep; the JVM exits once the summary is written and this is closed
    SignalStop signals =
        new SignalStop(
            err,
            "stopping the running trials after their iteration in progress, each with a"
                + " checkpoint (`runkit sweep resume` continues the sweep)",
            sweep::stop);
    try {
      r = sweep.fit();
      out.println(summary(r, sweep.stopped()));
    } finally {
      signals.close();
    }
    if (!sweep.stopped() && r.bestIfAny().isEmpty()) {
      err.println(
          "no trial completed with a value of "
              + r.objective().name()
              + "; see the status and message columns of "
              + r.directory().resolve("trials.csv"));
      return 1;
    }
    return 0;
  }

  /** The trials table (without messages), the best trial, and where the files are. */
  static String summary(SweepResult r, boolean stopped) {
    StringBuilder s = new StringBuilder();
    Table table = r.table().removeColumns("message");
    s.append(Tables.text(table)).append('\n');
    Map<TrialStatus, Long> counts =
        r.results().stream()
            .collect(Collectors.groupingBy(TrialResult::status, Collectors.counting()));
    s.append(r.results().size()).append(" trials: ");
    List<String> parts = new ArrayList<>();
    for (TrialStatus status : TrialStatus.values()) {
      if (counts.containsKey(status)) {
        parts.add(counts.get(status) + " " + status.name().toLowerCase(Locale.ROOT));
      }
    }
    s.append(String.join(", ", parts)).append('\n');
    Optional<BestTrial> best = r.bestIfAny();
    best.ifPresent(
        b ->
            s.append("best: ")
                .append(b.trial().name())
                .append(", ")
                .append(r.objective().name())
                .append(" = ")
                .append(String.format(Locale.ROOT, "%.6g", b.result().objective()))
                .append(" at iteration ")
                .append(b.result().bestIteration())
                .append('\n')
                .append("  ")
                .append(params(b.trial()))
                .append('\n'));
    if (stopped) {
      s.append("stopped; `runkit sweep resume ")
          .append(r.directory())
          .append("` continues the sweep\n");
    }
    s.append("sweep directory: ").append(r.directory());
    if (best.isPresent()) {
      s.append(" (trials.csv, best.yaml: `runkit train ")
          .append(r.directory().resolve("best.yaml"))
          .append("` trains the best config)");
    } else {
      s.append(" (trials.csv)");
    }
    return s.toString();
  }

  private static String params(Trial t) {
    return t.params().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** One line per trial event, as it happens. */
  private static final class Lines implements SweepListener {

    private final PrintStream out;

    Lines(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onTrialStart(Trial trial) {
      List<Long> saved =
          Checkpoints.periodic(Path.of(trial.runDir()).resolve(RunConfig.CHECKPOINTS));
      String to = "iteration " + trial.stopAt();
      if (saved.isEmpty()) {
        out.println(trial.name() + " started: " + params(trial) + " (to " + to + ")");
      } else {
        out.println(
            trial.name()
                + " continued from iteration "
                + saved.get(saved.size() - 1)
                + " to "
                + to);
      }
      out.flush();
    }

    @Override
    public void onTrialEnd(Trial trial, TrialResult r) {
      String line =
          switch (r.status()) {
            case COMPLETED -> trial.name() + " finished: " + value(trial, r);
            case RUNNING ->
                trial.name() + " paused at iteration " + r.iterations() + ": " + value(trial, r);
            case PRUNED -> trial.name() + " pruned: " + value(trial, r);
            case FAILED -> trial.name() + " failed: " + r.message();
          };
      out.println(line);
      out.flush();
    }

    @Override
    public void onTrialPruned(Trial trial, TrialResult r) {
      out.println(trial.name() + " pruned at iteration " + r.iterations() + ": " + value(trial, r));
      out.flush();
    }

    private static String value(Trial trial, TrialResult r) {
      return trial.objective().name()
          + " "
          + String.format(Locale.ROOT, "%.6g", r.objective())
          + (r.bestIteration() >= 0 ? " (best at iteration " + r.bestIteration() + ")" : "")
          + ", "
          + r.iterations()
          + " iterations, "
          + String.format(Locale.ROOT, "%.1f s", r.seconds());
    }
  }
}
