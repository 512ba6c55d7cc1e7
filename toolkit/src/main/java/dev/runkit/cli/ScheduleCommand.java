package dev.runkit.cli;

import dev.runkit.config.RunConfig;
import dev.runkit.notebook.Charts;
import dev.runkit.schedule.Schedule;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code schedule CONFIG [--steps N] [--csv FILE] [--png FILE] [--set KEY=VALUE ...]}: shows the
 * learning rate a config's optimizer and {@code TRAIN.LR_SCHEDULER} give at each step, as a table
 * on the console (21 evenly spaced steps) and, when asked, every step as CSV or a PNG chart.
 */
public final class ScheduleCommand implements Command {

  static final String USAGE =
      "schedule CONFIG [--steps N] [--csv FILE] [--png FILE] [--set KEY=VALUE ...]";

  /**
   * Returns a one-line description.
   *
   * @return the summary
   */
  @Override
  public String summary() {
    return "tabulate or plot the learning-rate schedule of a config";
  }

  /**
   * Runs the verb.
   *
   * @param args the arguments after the verb
   * @param out where the table goes
   * @param err where problems go
   * @return the exit status: 0 success, 2 bad input
   */
  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    return Verbs.guard(
        "schedule",
        err,
        () -> {
          Args a =
              Args.parse(args, List.of("--steps", "--csv", "--png", "--set"), List.of(), USAGE);
          if (a.printedHelp(out, USAGE)) {
            return 0;
          }
          RunConfig config = RunConfig.load(Path.of(a.single("CONFIG", USAGE)), a.sets);
          long steps = config.totalIterations();
          if (a.options.containsKey("--steps")) {
            String text = a.options.get("--steps");
            try {
              steps = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
              steps = -1;
            }
            if (steps < 1 || steps > 100_000_000) {
              throw new IllegalArgumentException(
                  "--steps must be an integer in [1, 100000000], got \"" + text + "\"");
            }
          }
          Schedule schedule = config.schedule();
          if (a.options.containsKey("--png")) {
            writePng(schedule, steps, Path.of(a.options.get("--png")));
          }
          if (a.options.containsKey("--csv")) {
            writeCsv(schedule.table(steps), Path.of(a.options.get("--csv")));
          }
          long last = steps - 1;
          long[] sample =
              LongStream.rangeClosed(0, 20).map(i -> last * i / 20).distinct().toArray();
          out.println(sixDigits(schedule.tableAt(sample)).printAll());
          return 0;
        });
  }

  /**
   * Prints rates to six significant digits: the full doubles read as float noise on the console
   * ("0.00008999999999999999"); the CSV keeps every digit.
   */
  static Table sixDigits(Table table) {
    Table shown = Table.create(table.name());
    for (var c : table.columns()) {
      if (c instanceof DoubleColumn d) {
        StringColumn text = StringColumn.create(d.name());
        for (double v : d.asDoubleArray()) {
          text.append(
              Double.isFinite(v)
                  ? new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString()
                  : String.valueOf(v));
        }
        shown.addColumns(text);
      } else {
        shown.addColumns(c.copy());
      }
    }
    return shown;
  }

  private static void writeCsv(Table table, Path file) {
    table.write().csv(file.toFile());
  }

  private static void writePng(Schedule schedule, long steps, Path file) {
    Charts.writePng(Charts.schedule(schedule, steps), file);
  }
}
