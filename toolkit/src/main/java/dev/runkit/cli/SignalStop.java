package dev.runkit.cli;

import dev.runkit.run.Callback;
import dev.runkit.run.RunContext;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM during a command-line run into a cooperative stop: the run ends
 * after the iteration in progress with its final checkpoint, the command writes the history, plots
 * and summary, and only then does the JVM exit. Without it the JVM stopped mid-iteration and the
 * run directory kept only its last periodic checkpoint, no history or plots.
 *
 * <p>A JVM shutdown hook sees the signal; it asks the run to stop and waits (up to {@link
 * #WAIT_SECONDS}) until {@link #close()} says everything is written.
 */
final class SignalStop implements Callback, AutoCloseable {

  /** How long the JVM waits for the run to stop and write its files after a signal. */
  static final long WAIT_SECONDS = 120;

  private final PrintStream err;
  private final String announcement;
  private final Runnable action;
  private final CountDownLatch written = new CountDownLatch(1);
  private final Thread hook = new Thread(this::onSignal, "runkit-signal-stop");
  private volatile boolean signalled;

  /**
   * Starts listening for the signals.
   *
   * @param err where the stop is announced
   */
  SignalStop(PrintStream err) {
    this(
        err,
        "stopping after this iteration; writing the final checkpoint, history and plots"
            + " (`runkit resume` continues the run)",
        () -> {});
  }

  /**
   * Starts listening for the signals, with another announcement and something to do on a signal
   * besides stopping the runs this callback is given to (a sweep stops its trials).
   *
   * @param err where the stop is announced
   * @param announcement what the stop says
   * @param onSignal what to do on a signal, on the signal's thread
   */
  SignalStop(PrintStream err, String announcement, Runnable onSignal) {
    this.err = err;
    this.announcement = announcement;
    this.action = onSignal;
    // after a signal the plots are drawn while the JVM shuts down, where ImageIO's file cache
    // fails ("Shutdown in progress": it registers a hook of its own); a chart is small anyway
    ImageIO.setUseCache(false);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void onSignal() {
    if (written.getCount() == 0) {
      return;
    }
    signalled = true;
    err.println();
    err.println(announcement);
    err.flush();
    action.run();
    try {
      written.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return "signal-stop";
  }

  @Override
  public void onIterationEnd(RunContext context) {
    if (signalled) {
      context.requestStop("interrupted by a signal (Ctrl-C or SIGTERM)");
    }
  }

  /** Says the run's files are written: a pending signal may now end the JVM. */
  @Override
  public void close() {
    written.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting on a signal: the hook runs, sees the files written and returns
    }
  }
}
