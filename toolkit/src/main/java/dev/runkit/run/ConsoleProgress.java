package dev.runkit.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints progress to the console: one line rewritten in place on a terminal, plain periodic lines
 * otherwise (logs, CI, notebooks that capture stdout).
 */
public final class ConsoleProgress implements ProgressListener {

  private final PrintStream out;
  private final boolean inPlace;
  private boolean lineOpen;
  private String named = "";

  /**
   * Creates a printer that rewrites its line in place when {@code inPlace} is true.
   *
   * @param out where to print
   * @param inPlace true for a terminal
   */
  public ConsoleProgress(PrintStream out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  /**
   * Creates a printer on standard output that rewrites in place only when attached to a terminal.
   *
   * @return the printer
   */
  public static ConsoleProgress stdout() {
    return new ConsoleProgress(System.out, System.console() != null);
  }

  /**
   * Formats a report as one line: iteration, loss, lr, speed and ETA.
   *
   * @param p the report
   * @return the line, without line end
   */
  public static String format(Progress p) {
    long eta = Math.round(p.etaSeconds());
    return String.format(
        Locale.ROOT,
        "iter %d/%d  loss %.4f  lr %.3g  %.1f it/s  ETA %d:%02d",
        p.iteration(),
        p.total(),
        p.loss(),
        p.lr(),
        p.iterationsPerSecond(),
        eta / 60,
        eta % 60);
  }

  @Override
  public void onStart(long total) {
    named = "";
  }

  @Override
  public void onNamed(String name) {
    named = name + ": ";
  }

  @Override
  public void onResume(Path checkpoint, long iteration) {
    out.println(named + "resumed from " + checkpoint + " at iteration " + iteration);
    out.flush();
  }

  @Override
  public void onContinue(String description) {
    out.println(named + description);
    out.flush();
  }

  @Override
  public void onProgress(Progress progress) {
    if (inPlace) {
      out.print("\r" + named + format(progress) + "\u001b[K");
      lineOpen = true;
    } else {
      out.println(named + format(progress));
    }
    out.flush();
  }

  @Override
  public void onEnd(StopReason reason, String message) {
    if (lineOpen) {
      out.println();
    }
    out.println(named + "stopped: " + reason + " (" + message + ")");
    out.flush();
  }
}
