package dev.runkit.cli;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code train CONFIG [--set KEY=VALUE ...] [--quiet] [--check]}: checks a config completely, then
 * creates its run directory, writes the resolved config, trains, and writes the history. A bad
 * config creates nothing; an existing run is never overwritten. With {@code --check} it only checks
 * and prints the resolved config.
 */
public final class TrainCommand implements Command {

  static final String USAGE = "train CONFIG [--set KEY=VALUE ...] [--quiet] [--check]";

  /**
   * Returns a one-line description.
   *
   * @return the summary
   */
  @Override
  public String summary() {
    return "train a model from a YAML or JSON config into its run directory";
  }

  /**
   * Runs the verb.
   *
   * @param args the arguments after the verb
   * @param out where the summary goes
   * @param err where problems go
   * @return the exit status: 0 success, 1 the run failed, 2 bad input
   */
  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    return Verbs.guard(
        "train",
        err,
        () -> {
          Args a = Args.parse(args, List.of("--set"), List.of("--quiet", "--check"), USAGE);
          if (a.printedHelp(out, USAGE)) {
            return 0;
          }
          Path file = Path.of(a.single("CONFIG", USAGE));
          RunConfig config = RunConfig.load(file, a.sets);
          if (a.flags.contains("--check")) {
            out.print(ConfigFiles.toYaml(config.resolved()));
            return 0;
          }
          if (!config.runDirGiven()) {
            config = config.withRunDir(RunDirectory.firstFree(config.runDir()));
          }
          RunDirectory.requireFree(config.runDir());
          boolean existed = Files.exists(config.runDir());
          RunDirectory.create(config);
          try {
            return RunDirectory.execute(
                config, false, false, a.flags.contains("--quiet"), out, err);
          } catch (IllegalArgumentException e) {
            // the runner found a problem before its first step (a corrupt FINETUNE_FROM
            // checkpoint, say): leave no half-made run behind
            RunDirectory.removeUnstarted(config.runDir(), existed);
            throw e;
          }
        });
  }
}
