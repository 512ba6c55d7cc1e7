package dev.runkit.cli;

import dev.runkit.config.RunConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code resume RUN_DIR [--set KEY=VALUE ...] [--quiet]}: continues a run from its newest
 * checkpoint with the config it was started with, exactly where it stopped, and rewrites its
 * history. {@code --set} changes that config first, e.g. {@code TRAIN.NUM_ITERATIONS} to train on;
 * once the run's checks pass the run's {@code config.yaml} is rewritten with the change.
 */
public final class ResumeCommand implements Command {

  static final String USAGE = "resume RUN_DIR [--set KEY=VALUE ...] [--quiet]";

  /**
   * Returns a one-line description.
   *
   * @return the summary
   */
  @Override
  public String summary() {
    return "continue a run from its newest checkpoint";
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
        "resume",
        err,
        () -> {
          Args a = Args.parse(args, List.of("--set"), List.of("--quiet"), USAGE);
          if (a.printedHelp(out, USAGE)) {
            return 0;
          }
          Path dir = Path.of(a.single("RUN_DIR", USAGE)).toAbsolutePath().normalize();
          RunConfig config = RunDirectory.readForResume(dir, a.sets);
          return RunDirectory.execute(
              config, true, !a.sets.isEmpty(), a.flags.contains("--quiet"), out, err);
        });
  }
}
