package dev.runkit.cli;

import java.io.PrintStream;
import java.util.List;

/** One verb of the {@code runkit} command line. */
public interface Command {

  /**
   * Returns a one-line description for the verb list.
   *
   * @return the summary
   */
  String summary();

  /**
   * Runs the verb.
   *
   * @param args the arguments after the verb
   * @param out where results go
   * @param err where problems go
   * @return the exit status (0 for success, 2 for a usage error)
   * @throws Exception when the work fails; {@link Main} reports it and exits with 1
   */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
