package dev.runkit.sweep;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The main of a worker process that a {@link WorkerExecutor} starts (not meant to be started by
 * hand): it connects to the port on 127.0.0.1 it was given, proves it is the worker started for it
 * with the token it was given, then trains each trial segment it receives in this process and sends
 * the result back. It ends when its connection or its standard input closes (the pool closed it, or
 * the process that started it died), and it ignores Ctrl-C, which a terminal sends to the whole
 * process group: the pool stops its segment cleanly instead.
 */
public final class TrialWorker {

  private TrialWorker() {}

  /**
   * Runs the worker.
   *
   * @param args the port to connect to and the token
   * @throws IOException if it cannot connect
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: TrialWorker PORT TOKEN (started by WorkerExecutor)");
      System.exit(2);
    }
    ignoreInterrupt();
    daemon("runkit-worker-stdin", TrialWorker::exitWhenInputCloses);
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
    socket.setTcpNoDelay(true);
    DataOutputStream hello = new DataOutputStream(socket.getOutputStream());
    hello.writeUTF(args[1]);
    hello.flush();
    ObjectOutputStream out = new ObjectOutputStream(socket.getOutputStream());
    out.flush();
    ObjectInputStream in = new ObjectInputStream(socket.getInputStream());
    in.setObjectInputFilter(WorkerExecutor.FILTER);

    InProcessExecutor executor = InProcessExecutor.create();
    BlockingQueue<Trial> trials = new LinkedBlockingQueue<>();
    daemon(
        "runkit-worker-reader",
        () -> {
          try {
            while (true) {
              Object message = in.readObject();
              if (message instanceof Trial t) {
                trials.add(t);
              } else if (WorkerExecutor.STOP.equals(message)) {
                executor.stop();
              }
            }
          } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // the pool closed the connection, or is gone
            Runtime.getRuntime().halt(0);
          }
        });
    while (true) {
      Trial trial;
      try {
        trial = trials.take();
      } catch (InterruptedException e) {
        break;
      }
      System.err.printf(
          Locale.ROOT, "%s: to iteration %d in %s%n", trial.name(), trial.stopAt(), trial.runDir());
      TrialResult r = executor.run(trial);
      System.err.printf(
          Locale.ROOT,
          "%s: %s at iteration %d (from %d, %.1f s)%n",
          trial.name(),
          r.status(),
          r.iterations(),
          r.startIteration(),
          r.seconds());
      out.writeObject(r);
      out.reset();
      out.flush();
    }
    Runtime.getRuntime().halt(0);
  }

  private static void exitWhenInputCloses() {
    try {
      while (System.in.read() >= 0) {
        // nothing is sent on standard input: it is only watched for its end
      }
    } catch (IOException e) {
      // closed as well
    }
    Runtime.getRuntime().halt(0);
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Ignores SIGINT through {@code sun.misc.Signal} (module jdk.unsupported), by reflection so that
   * the build needs no internal API; where that is missing, Ctrl-C ends the worker and its trial
   * continues from its newest periodic checkpoint on {@code sweep resume}.
   */
  private static void ignoreInterrupt() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object ignore = handler.getField("SIG_IGN").get(null);
      Object interrupt = signal.getConstructor(String.class).newInstance("INT");
      signal.getMethod("handle", signal, handler).invoke(null, interrupt, ignore);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      System.err.println("cannot ignore SIGINT (" + e + "); Ctrl-C ends this worker too");
    }
  }
}
