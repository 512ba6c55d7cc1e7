package dev.runkit.cli;

import dev.runkit.registry.Names;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code runkit} command line: {@code runkit VERB [ARGS...]}. Adding a verb is one {@link
 * Command} class and one line in {@link #VERBS}.
 *
 * <pre>{@code
 * runkit train CONFIG [--set KEY=VALUE ...]   # a run directory with history, plots, checkpoints
 * runkit resume RUN_DIR [--set KEY=VALUE ...]  # continue from its latest checkpoint
 * runkit sweep SWEEP_FILE [--workers N] [--set KEY=VALUE ...]  # trials into a sweep directory
 * runkit sweep resume SWEEP_DIR [--workers N]  # continue a stopped or killed sweep
 * runkit schedule CONFIG --steps N --png FILE  # plot the configured schedule
 * runkit kernel install            # Jupyter kernelspec with RunKit on the classpath
 * runkit kernel install --dry-run  # print it instead
 * }</pre>
 */
public final class Main {

  /**
   * The logback configuration of the command line and the kernelspec, a classpath resource: the
   * library ships no {@code logback.xml} at its root, which would contest the user's own.
   */
  public static final String LOGBACK_CONFIG = "dev/runkit/cli/logback.xml";

  private static final Map<String, Command> VERBS = new LinkedHashMap<>();

  static {
    VERBS.put("train", new TrainCommand());
    VERBS.put("resume", new ResumeCommand());
    VERBS.put("sweep", new SweepCommand());
    VERBS.put("schedule", new ScheduleCommand());
    VERBS.put("kernel", new KernelCommand());
  }

  private Main() {}

  /**
   * Runs a verb and exits with its status.
   *
   * @param args the verb and its arguments
   */
  public static void main(String[] args) {
    useCliLogging();
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  /**
   * Points logback at {@link #LOGBACK_CONFIG} unless the caller chose a configuration ({@code
   * -Dlogback.configurationFile}); must run before the first logger is made.
   */
  static void useCliLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
  }

  /**
   * Runs a verb.
   *
   * @param args the verb and its arguments
   * @param out where results go
   * @param err where problems go
   * @return the exit status: 0 success, 1 failure, 2 usage error
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
      out.println(usage());
      return args.isEmpty() ? 2 : 0;
    }
    String verb = args.get(0);
    Command command = VERBS.get(verb);
    if (command == null) {
      err.println(
          "Unknown command \""
              + verb
              + "\"; expected one of "
              + VERBS.keySet()
              + "."
              + Names.didYouMean(verb, VERBS.keySet()));
      err.println(usage());
      return 2;
    }
    return Verbs.guard(verb, err, () -> command.run(args.subList(1, args.size()), out, err));
  }

  /**
   * Returns the verbs, in order.
   *
   * @return the verb names
   */
  public static List<String> verbs() {
    return Collections.unmodifiableList(List.copyOf(VERBS.keySet()));
  }

  static String usage() {
    StringBuilder b = new StringBuilder("usage: runkit VERB [ARGS...]\n\nverbs:\n");
    for (Map.Entry<String, Command> e : VERBS.entrySet()) {
      b.append(String.format("  %-10s %s%n", e.getKey(), e.getValue().summary()));
    }
    return b.toString().stripTrailing();
  }
}
