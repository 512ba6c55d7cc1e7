package dev.runkit.cli;

import dev.runkit.registry.Names;
import java.util.Arrays;
import java.util.List;

/**
 * A temporary entry point dispatching {@code train}, {@code resume} and {@code schedule} to their
 * commands, until they are registered in the {@code Main} verb dispatcher.
 */
public final class RunKitCli {

  private RunKitCli() {}

  /**
   * Runs a verb and exits with its status.
   *
   * @param args the verb and its arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a verb.
   *
   * @param args the verb and its arguments
   * @return the exit status: 0 success, 1 failure, 2 bad input
   */
  public static int run(String[] args) {
    String usage =
        "usage: runkit "
            + TrainCommand.USAGE
            + "\n       runkit "
            + ResumeCommand.USAGE
            + "\n       runkit "
            + ScheduleCommand.USAGE;
    if (args.length == 0) {
      System.err.println(usage);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "train":
        return TrainCommand.run(rest);
      case "resume":
        return ResumeCommand.run(rest);
      case "schedule":
        return ScheduleCommand.run(rest);
      default:
        System.err.println(
            "Unknown command \""
                + args[0]
                + "\"; expected one of [train, resume, schedule]."
                + Names.didYouMean(args[0], List.of("train", "resume", "schedule"))
                + "\n"
                + usage);
        return 2;
    }
  }
}
