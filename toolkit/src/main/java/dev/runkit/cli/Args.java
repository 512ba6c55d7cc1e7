package dev.runkit.cli;

import dev.runkit.registry.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one verb: positional values, repeatable {@code --key VALUE} options and {@code
 * --flag} switches; an unknown option is an error naming the nearest one.
 */
final class Args {

  final List<String> positional = new ArrayList<>();
  final List<String> sets = new ArrayList<>();
  final java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
  final java.util.Set<String> flags = new java.util.HashSet<>();

  /** Whether {@code --help} or {@code -h} was given: the verb prints its usage and does nothing. */
  boolean help;

  /**
   * Parses arguments; {@code --help} or {@code -h} anywhere sets {@link #help}.
   *
   * @param args the arguments after the verb
   * @param valued the options that take a value, in the order messages list them ({@code --set} may
   *     repeat, others may not)
   * @param switches the options that take none
   * @param usage the verb's usage line, for messages
   * @return the parsed arguments
   * @throws IllegalArgumentException for an unknown or repeated option or a missing value
   */
  static Args parse(List<String> args, List<String> valued, List<String> switches, String usage) {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        a.help = true;
        continue;
      }
      // "-set" is a mistyped option, not a file to look for ("-" alone may name standard input)
      if (!arg.startsWith("-") || arg.equals("-")) {
        a.positional.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (switches.contains(name)) {
        if (value != null) {
          throw new IllegalArgumentException(name + " takes no value; usage: " + usage);
        }
        a.flags.add(name);
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value; usage: " + usage);
          }
          value = args.get(++i);
        }
        if (name.equals("--set")) {
          a.sets.add(value);
        } else if (a.options.put(name, value) != null) {
          throw new IllegalArgumentException(name + " was given twice; usage: " + usage);
        }
      } else {
        List<String> all = new ArrayList<>(valued);
        all.addAll(switches);
        throw new IllegalArgumentException(
            "Unknown option \""
                + name
                + "\"; expected one of "
                + all
                + "."
                + Names.didYouMean(name, all)
                + " Usage: "
                + usage);
      }
    }
    return a;
  }

  /**
   * Prints the usage when help was asked for.
   *
   * @param out where the usage goes
   * @param usage the verb's usage line
   * @return true when help was asked for (the verb then ends with status 0)
   */
  boolean printedHelp(java.io.PrintStream out, String usage) {
    if (help) {
      out.println("usage: runkit " + usage);
    }
    return help;
  }

  /**
   * Returns the only positional argument.
   *
   * @param what its name, for messages
   * @param usage the usage line
   * @return the argument
   * @throws IllegalArgumentException if there is not exactly one
   */
  String single(String what, String usage) {
    if (positional.size() != 1) {
      throw new IllegalArgumentException(
          (positional.isEmpty()
                  ? "missing " + what
                  : "expected one " + what + ", got " + positional)
              + "; usage: "
              + usage);
    }
    return positional.get(0);
  }
}
