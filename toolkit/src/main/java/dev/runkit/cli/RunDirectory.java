package dev.runkit.cli;

import ai.djl.ndarray.NDManager;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import dev.runkit.notebook.Charts;
import dev.runkit.notebook.Tables;
import dev.runkit.run.Callback;
import dev.runkit.run.Checkpoints;
import dev.runkit.run.Devices;
import dev.runkit.run.RunContext;
import dev.runkit.run.StopReason;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * The files of a run directory: {@code config.yaml} (the config as resolved), {@code history.csv}
 * (every reported value), {@code checkpoints/} (the runner's) and plots; and the one way the
 * commands run a config into it.
 */
public final class RunDirectory {

  /** The resolved config of a run. */
  public static final String CONFIG = RunConfig.CONFIG_FILE;

  /** The history table of a run. */
  public static final String HISTORY = RunConfig.HISTORY_FILE;

  private RunDirectory() {}

  /**
   * Checks that a directory holds no run, so that training into it cannot overwrite one.
   *
   * @param dir the run directory
   * @throws IllegalArgumentException if it is a file or already holds a config, history or
   *     checkpoints
   */
  public static void requireFree(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("RUN_DIR " + dir + " is a file, not a directory");
    }
    String held = heldRunFile(dir);
    if (held != null) {
      throw new IllegalArgumentException(
          "RUN_DIR "
              + dir
              + " already holds a run ("
              + held
              + "); continue it with `resume "
              + dir
              + "` or choose another RUN_DIR (e.g. --set RUN_DIR=runs/new)");
    }
  }

  /**
   * Returns the directory itself when it holds no run, else the first free of {@code dir-2}, {@code
   * dir-3}, ... so that a default run directory never overwrites an earlier run.
   *
   * @param dir the preferred run directory
   * @return a directory that holds no run
   */
  public static Path firstFree(Path dir) {
    Path candidate = dir;
    for (int i = 2; holdsRun(candidate); i++) {
      candidate = dir.resolveSibling(dir.getFileName() + "-" + i);
    }
    return candidate;
  }

  private static boolean holdsRun(Path dir) {
    return (Files.exists(dir) && !Files.isDirectory(dir)) || heldRunFile(dir) != null;
  }

  /** Returns the first run file found in a directory, or null when it holds none. */
  private static String heldRunFile(Path dir) {
    for (String name : List.of(CONFIG, HISTORY, RunConfig.CHECKPOINTS)) {
      if (Files.exists(dir.resolve(name))) {
        return name;
      }
    }
    return null;
  }

  /**
   * Reads the config of an existing run directory, re-checked, pointing at that directory (even if
   * the run was moved).
   *
   * @param dir the run directory
   * @param overrides {@code KEY=VALUE} changes to that config ({@code --set})
   * @return the config
   * @throws IllegalArgumentException if the directory does not exist, is a file, holds no run or no
   *     checkpoint to resume from, or holds a config that fails its checks (the message then starts
   *     with the config's path)
   */
  public static RunConfig readForResume(Path dir, List<String> overrides) {
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("run directory " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          dir
              + " is a file; resume takes a run directory (the folder holding "
              + CONFIG
              + " and "
              + RunConfig.CHECKPOINTS
              + "/)"
              + (dir.getFileName().toString().equals(CONFIG) ? ": resume " + dir.getParent() : ""));
    }
    Path config = dir.resolve(CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(
          dir + " is not a run directory: it has no " + CONFIG + " (made by `train CONFIG`)");
    }
    RunConfig c;
    try {
      c = RunConfig.load(config, overrides).withRunDir(dir);
    } catch (IllegalArgumentException e) {
      // the user named the folder, not this file: say which file the problem is in
      String m = e.getMessage();
      throw m != null && m.startsWith(config.toString())
          ? e
          : new IllegalArgumentException(config + ": " + m, e);
    }
    if (Checkpoints.periodic(c.checkpointDir()).isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to resume in "
              + dir
              + ": "
              + c.checkpointDir()
              + " holds no checkpoint (ckpt-*.rkc)");
    }
    return c;
  }

  /**
   * Creates a run directory and writes the resolved config into it.
   *
   * @param config the checked config
   * @throws UncheckedIOException if the directory cannot be written
   */
  public static void create(RunConfig config) {
    try {
      Files.createDirectories(config.runDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + config.runDir(), e);
    }
    Map<String, Object> resolved = config.resolved();
    ConfigFiles.write(resolved, config.runDir().resolve(CONFIG));
  }

  /**
   * Removes what {@link #create} wrote for a run that failed before its first step: the config, an
   * empty checkpoint folder, and the directory itself when this run made it and it is now empty.
   *
   * @param dir the run directory
   * @param existed whether the directory existed before {@link #create}
   */
  static void removeUnstarted(Path dir, boolean existed) {
    try {
      Files.deleteIfExists(dir.resolve(CONFIG));
      Path checkpoints = dir.resolve(RunConfig.CHECKPOINTS);
      if (Files.isDirectory(checkpoints) && isEmpty(checkpoints)) {
        Files.delete(checkpoints);
      }
      if (!existed && isEmpty(dir)) {
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up " + dir, e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  /**
   * Runs a config into its run directory: fits, writes {@code history.csv}, prints a summary.
   * Ctrl-C or SIGTERM stops the run after the iteration in progress, with everything written
   * ({@link SignalStop}).
   *
   * @param config the checked config
   * @param resume whether to continue from the newest checkpoint
   * @param rewriteConfig whether to write the config into the run directory once the run has passed
   *     its checks (a resume with {@code --set})
   * @param quiet whether to print no progress line
   * @param out where the summary goes
   * @param err where a failed run is reported
   * @return 0 when the run completed or stopped early, 1 when it failed or diverged
   */
  public static int execute(
      RunConfig config,
      boolean resume,
      boolean rewriteConfig,
      boolean quiet,
      PrintStream out,
      PrintStream err) {
    try (NDManager manager = NDManager.newBaseManager();
        SignalStop signals = new SignalStop(err)) {
      Runner runner = config.runner(manager, resume);
      if (rewriteConfig) {
        runner.callbacks(signals, new ConfigOnStart(config));
      } else {
        runner.callbacks(signals);
      }
      if (quiet) {
        runner.quiet();
      }
      RunResult r = runner.fit();
      try {
        writeHistory(r.history(), config.runDir().resolve(HISTORY));
        writePlots(r, config.runDir());
        out.println(summary(r, config.runDir()));
      } finally {
        r.model().close();
      }
      if (r.stopReason() == StopReason.FAILED || r.stopReason() == StopReason.NON_FINITE) {
        err.println("run ended with " + r.stopReason() + ": " + r.message());
        return 1;
      }
      return 0;
    }
  }

  /**
   * Writes a changed config over the run's {@code config.yaml} when the run starts: after the
   * checks that refuse a resume (another seed or data, say), so a refused change leaves the file as
   * it was, and before the first step, so checkpoints past the old end always have a config that
   * reaches them.
   */
  private static final class ConfigOnStart implements Callback {

    private final RunConfig config;

    ConfigOnStart(RunConfig config) {
      this.config = config;
    }

    @Override
    public String name() {
      return "config-on-start";
    }

    @Override
    public void onStart(RunContext context) {
      ConfigFiles.write(config.resolved(), config.runDir().resolve(CONFIG));
    }
  }

  /**
   * Writes the history table as CSV, atomically.
   *
   * @param history the table
   * @param file the file
   */
  static void writeHistory(Table history, Path file) {
    ConfigFiles.writeAtomically(file, tmp -> history.write().csv(tmp.toFile()));
  }

  /**
   * Writes the plots of a run: {@code curves.png} (loss curves with the learning rate on a second
   * axis) and, when the run measured metrics besides the loss and gradient norm, {@code
   * metrics.png}.
   *
   * @param result the run
   * @param dir the run directory
   */
  static void writePlots(RunResult result, Path dir) {
    Table history = result.history();
    Charts.writePng(Charts.curves(history), dir.resolve("curves.png"));
    List<String> others =
        history.stringColumn("metric").unique().asList().stream()
            .filter(m -> !m.equals("loss") && !m.equals("grad_norm"))
            .sorted()
            .toList();
    if (!others.isEmpty()) {
      Charts.writePng(
          Charts.curves(history, others.toArray(String[]::new)), dir.resolve("metrics.png"));
    }
  }

  private static String summary(RunResult r, Path dir) {
    StringBuilder s = new StringBuilder();
    s.append(Tables.text(Tables.historySummary(r.history()))).append('\n');
    s.append(r.stopReason()).append(" after ").append(r.iterations()).append(" iterations");
    if (r.stopReason() != StopReason.COMPLETED) {
      // a completed run's message only repeats the count
      s.append(": ").append(r.message());
    }
    s.append('\n');
    // the metrics are in the targets' units; the loss of standardised targets is not
    String lossUnits = r.targetNormalizer().isPresent() ? " (standardised targets)" : "";
    r.best()
        .ifPresent(
            b ->
                s.append("best validation ")
                    .append(r.monitor().metric())
                    .append(" = ")
                    .append(String.format("%.6g", b))
                    .append(r.monitor().metric().equals("loss") ? lossUnits : "")
                    .append(" at iteration ")
                    .append(r.bestIteration())
                    .append('\n'));
    r.test()
        .forEach(
            (k, v) ->
                s.append("test ")
                    .append(k)
                    .append(" = ")
                    .append(String.format("%.6g", v))
                    .append(k.equals("loss") ? lossUnits : "")
                    .append('\n'));
    s.append("devices: ").append(Devices.names(r.devices())).append('\n');
    s.append("run directory: ").append(dir);
    return s.toString();
  }
}
