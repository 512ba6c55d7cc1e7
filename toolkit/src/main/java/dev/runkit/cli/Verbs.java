package dev.runkit.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** What every verb does with errors: bad input is a message and status 2, a failure status 1. */
final class Verbs {

  private Verbs() {}

  /**
   * Runs a verb's body, turning exceptions into a message on {@code err} and an exit status.
   *
   * @param verb the verb, for messages
   * @param err where problems go
   * @param body the work, returning its status
   * @return the body's status, 2 for bad input ({@link IllegalArgumentException}), 1 for another
   *     failure
   */
  static int guard(String verb, PrintStream err, Callable<Integer> body) {
    try {
      return body.call();
    } catch (IllegalArgumentException e) {
      err.println("runkit " + verb + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("runkit " + verb + " failed: " + e);
      return 1;
    }
  }
}
