package dev.runkit.sweep;

import dev.runkit.registry.TypeAndParams;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trials in local worker processes: a pool of child JVMs started from this JVM's own java and
 * classpath (offline, headless, {@code OMP_NUM_THREADS=1} unless this process's environment sets
 * it), each training one trial segment at a time with an {@link InProcessExecutor}, so that trials
 * never share MXNet's process-wide engine and generator. Trials go to a worker and results come
 * back as serialised objects over a socket on 127.0.0.1 that only the worker started for it may
 * use; a worker's own output goes to {@value #LOG_FILE} in the sweep directory (the folder that
 * holds the trials' run directories; a pool that serves several sweeps writes into each one's),
 * never to this process's console.
 *
 * <p>A worker that dies mid-trial (killed, out of memory) is replaced and its trial submitted
 * again: the new worker continues it from the newest checkpoint in its run directory, exactly; a
 * trial that kills {@value #ATTEMPTS} workers is recorded FAILED. Workers start with the first
 * trial, and end when the executor is closed or this JVM dies (each exits when its standard input
 * closes).
 *
 * <pre>{@code
 * SweepResult r = Sweep.of(config).space(space).trials(20).executor(TrialExecutors.workers(2)).fit();
 * }</pre>
 */
public final class WorkerExecutor implements TrialExecutor {

  /** The file in the sweep directory that gets the workers' output and their replacements. */
  public static final String LOG_FILE = "workers.log";

  /** How many workers one trial segment may lose before it is recorded FAILED. */
  static final int ATTEMPTS = 3;

  /** How long a worker process may take to start and connect. */
  static final long START_SECONDS = 180;

  /** The message that asks a worker to stop its segment after the iteration in progress. */
  static final String STOP = "stop";

  /** What a worker and this process accept from each other: trials, results and their values. */
  static final ObjectInputFilter FILTER =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=64;dev.runkit.sweep.*;java.lang.*;java.util.*;!*");

  private static final Logger LOG = LoggerFactory.getLogger(WorkerExecutor.class);

  private final int workers;
  private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
  private final List<Slot> slots = new ArrayList<>();
  private volatile boolean stopped;
  private volatile boolean closed;
  private WorkerLog log;

  /** A segment waiting for a worker, what to run when one takes it, and where its result goes. */
  private record Job(Trial trial, Runnable begins, CompletableFuture<TrialResult> result) {}

  private WorkerExecutor(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.workers = workers;
  }

  /**
   * Returns a pool of worker processes.
   *
   * @param workers how many, {@code >= 1}
   * @return the executor; no process starts before the first trial
   * @throws IllegalArgumentException if workers is below 1
   */
  public static WorkerExecutor create(int workers) {
    return new WorkerExecutor(workers);
  }

  /**
   * Returns a pool of one worker process per core.
   *
   * @return the executor
   */
  public static WorkerExecutor create() {
    return create(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Queues a segment for the next free worker, starting the workers with the first one.
   *
   * @param trial the trial
   * @return its result, when a worker has trained it
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletableFuture<TrialResult> submit(Trial trial) {
    return submit(trial, () -> {});
  }

  /**
   * Queues a segment for the next free worker, starting the workers with the first one, and says
   * when a worker takes it.
   *
   * @param trial the trial
   * @param begins run on the worker's thread when a worker takes the segment
   * @return its result, when a worker has trained it
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public synchronized CompletableFuture<TrialResult> submit(Trial trial, Runnable begins) {
    if (closed) {
      throw new IllegalStateException("this WorkerExecutor is closed; make a new one");
    }
    CompletableFuture<TrialResult> result = new CompletableFuture<>();
    if (stopped) {
      result.complete(interrupted(trial));
      return result;
    }
    Path file = Path.of(trial.runDir()).toAbsolutePath().getParent().resolve(LOG_FILE);
    if (log == null) {
      log = new WorkerLog(file);
    } else {
      log.moveTo(file); // a pool that serves another sweep logs into that sweep's directory
    }
    if (slots.isEmpty()) {
      for (int i = 1; i <= workers; i++) {
        Slot slot = new Slot(i);
        slots.add(slot);
        slot.thread.start();
      }
    }
    queue.add(new Job(trial, begins, result));
    return result;
  }

  @Override
  public int parallelism() {
    return workers;
  }

  /**
   * One segment waits in the queue, so that a worker that ends one takes the next at once: on 2
   * cores, trials of half a second ran a median 1.15x faster on 2 workers than one after another
   * without it, 1.23-1.43x with it (BENCHMARKS.md, Sweeps).
   */
  @Override
  public int queueAhead() {
    return 1;
  }

  /** Sends every busy worker the stop; segments queued or submitted later come back at once. */
  @Override
  public void stop() {
    stopped = true;
    List<Slot> all;
    synchronized (this) {
      all = List.copyOf(slots);
    }
    for (Slot slot : all) {
      slot.stopSegment();
    }
  }

  @Override
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig("workers", Map.of("workers", workers));
  }

  /** Ends the worker processes (each exits when its connection closes) and waits for them. */
  @Override
  public void close() {
    List<Slot> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(slots);
    }
    for (Slot slot : all) {
      slot.thread.interrupt();
      slot.disconnect();
    }
    for (Slot slot : all) {
      try {
        slot.thread.join(TimeUnit.SECONDS.toMillis(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Job job = queue.poll(); job != null; job = queue.poll()) {
      job.result().complete(interrupted(job.trial()));
    }
    if (log != null) {
      log.close();
    }
  }

  @Override
  public String toString() {
    return "WorkerExecutor" + toConfig().get("PARAM");
  }

  /** A segment that did not run to its stop point: the sweep records nothing and resumes it. */
  private static TrialResult interrupted(Trial trial) {
    return new TrialResult(
        trial.id(),
        TrialStatus.RUNNING,
        Double.NaN,
        -1,
        0,
        0,
        0,
        List.of(),
        "stopped before it ran; `sweep resume` continues it");
  }

  /**
   * Returns the command that starts a worker: this JVM's java, its classpath (and the jars of a
   * notebook kernel's class loader), its DJL and logging properties, offline (unless this JVM says
   * otherwise) and headless.
   */
  static List<String> command(int port, String token) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath());
    Map<String, String> properties = new TreeMap<>();
    properties.put("ai.djl.offline", "true");
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("ai.djl.") || name.equals("logback.configurationFile")) {
        properties.put(name, System.getProperty(name));
      }
    }
    properties.put("java.awt.headless", "true");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add(TrialWorker.class.getName());
    command.add(Integer.toString(port));
    command.add(token);
    return command;
  }

  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    // a Java kernel loads %jars and %maven artifacts into a class loader of its own
    for (ClassLoader l = TrialWorker.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          if (url.getProtocol().equals("file")) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
              // not a plain file: the worker cannot load from it either
            }
          }
        }
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** One worker: a driver thread that starts its process, feeds it segments, and replaces it. */
  private final class Slot {

    private final int number;
    private final Thread thread;
    private Process process;
    private Socket socket;
    private ObjectOutputStream out;
    private ObjectInputStream in;
    private Job current;

    Slot(int number) {
      this.number = number;
      this.thread = new Thread(this::loop, "runkit-worker-" + number);
      thread.setDaemon(true);
    }

    private void loop() {
      try {
        while (!closed) {
          run(queue.take());
        }
      } catch (InterruptedException e) {
        // closed
      } finally {
        disconnect();
      }
    }

    /** Runs one segment, on a new worker as often as one dies under it. */
    private void run(Job job) {
      boolean begun = false;
      for (int deaths = 0; ; ) {
        Process worker;
        try {
          worker = connect();
        } catch (IOException | RuntimeException e) {
          job.result().completeExceptionally(e);
          return;
        }
        try {
          synchronized (this) {
            if (stopped || closed) {
              job.result().complete(interrupted(job.trial()));
              return;
            }
            if (!begun) {
              begun = true;
              job.begins().run();
            }
            out.writeObject(job.trial());
            out.reset();
            out.flush();
            current = job;
          }
          Object reply = in.readObject();
          if (!(reply instanceof TrialResult r)) {
            throw new IOException("worker " + number + " sent " + reply + ", not a result");
          }
          job.result().complete(r);
          return;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
          int status = exitStatus(worker);
          disconnect();
          deaths++;
          if (stopped || closed) {
            job.result().complete(interrupted(job.trial()));
            return;
          }
          String what =
              "worker "
                  + number
                  + " (pid "
                  + worker.pid()
                  + ") ended"
                  + (status == Integer.MIN_VALUE ? "" : " with exit status " + status)
                  + " while running "
                  + job.trial().name();
          if (deaths >= ATTEMPTS) {
            String message =
                what
                    + "; "
                    + deaths
                    + " workers have ended while running it, so it counts as failed (see "
                    + log.file
                    + ")";
            log.line("pool", message);
            job.result().complete(TrialResult.failed(job.trial(), message, 0));
            return;
          }
          log.line("pool", what + "; a new worker continues it from its newest checkpoint");
          LOG.warn("{}; a new worker continues it from its newest checkpoint", what);
        } finally {
          synchronized (this) {
            current = null;
          }
        }
      }
    }

    /** The exit status of a worker that died, or MIN_VALUE if it still runs after a while. */
    private static int exitStatus(Process worker) {
      try {
        if (worker.waitFor(10, TimeUnit.SECONDS)) {
          return worker.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Integer.MIN_VALUE;
    }

    synchronized void stopSegment() {
      if (current != null && out != null) {
        try {
          out.writeObject(STOP);
          out.flush();
        } catch (IOException e) {
          // the worker is gone: run() sees it and completes the segment as interrupted
        }
      }
    }

    /** Starts a worker process unless one is connected, connects to it, and returns it. */
    private Process connect() throws IOException {
      if (socket != null) {
        return process;
      }
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      String token = HexFormat.of().formatHex(secret);
      try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        server.setSoTimeout(500);
        ProcessBuilder builder =
            new ProcessBuilder(command(server.getLocalPort(), token)).redirectErrorStream(true);
        if (System.getenv("OMP_NUM_THREADS") == null) {
          builder.environment().put("OMP_NUM_THREADS", "1");
        }
        process = builder.start();
        String tag = "worker " + number + ", pid " + process.pid();
        log.line(tag, "started");
        Thread output = pump(process.getInputStream(), tag);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (socket == null) {
          if (!process.isAlive()) {
            try {
              output.join(2_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                "worker process "
                    + number
                    + " ended with exit status "
                    + process.exitValue()
                    + " before it connected; its output is in "
                    + log.file
                    + log.tail(tag));
          }
          if (System.nanoTime() > deadline || closed) {
            process.destroyForcibly();
            throw new IllegalStateException(
                "worker process "
                    + number
                    + " did not connect within "
                    + START_SECONDS
                    + " s; its output is in "
                    + log.file);
          }
          try {
            Socket s = server.accept();
            s.setSoTimeout(10_000);
            String sent;
            try {
              sent = new DataInputStream(s.getInputStream()).readUTF();
            } catch (IOException e) {
              sent = null;
            }
            if (!token.equals(sent)) {
              s.close(); // not our worker
              continue;
            }
            s.setSoTimeout(0);
            s.setTcpNoDelay(true);
            socket = s;
          } catch (SocketTimeoutException e) {
            // check the process and the deadline again
          }
        }
      }
      synchronized (this) {
        out = new ObjectOutputStream(socket.getOutputStream());
        out.flush();
      }
      in = new ObjectInputStream(socket.getInputStream());
      in.setObjectInputFilter(FILTER);
      return process;
    }

    /** Closes the connection and the worker's input, which ends it; kills it if it lingers. */
    void disconnect() {
      Process p;
      synchronized (this) {
        p = process;
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException e) {
          // closing anyway
        }
        socket = null;
        out = null;
        in = null;
        process = null;
      }
      if (p != null) {
        try {
          p.getOutputStream().close();
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (IOException e) {
          p.destroyForcibly();
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Copies a worker's output into the log, line by line. */
    private Thread pump(InputStream output, String tag) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    log.line(tag, line);
                  }
                } catch (IOException e) {
                  // the worker is gone
                }
              },
              "runkit-worker-" + number + "-output");
      t.setDaemon(true);
      t.start();
      return t;
    }
  }

  /** {@value #LOG_FILE}: every line a worker writes, and what the pool did, time-stamped. */
  private static final class WorkerLog {

    private static final int TAIL = 20;

    private volatile Path file;
    private BufferedWriter writer;
    private final Deque<String> recent = new ArrayDeque<>();

    WorkerLog(Path file) {
      this.file = file;
      this.writer = open(file);
    }

    private static BufferedWriter open(Path file) {
      try {
        Files.createDirectories(file.getParent());
        return Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }

    /** Writes to another file from now on. */
    synchronized void moveTo(Path other) {
      if (!other.equals(file)) {
        BufferedWriter next = open(other);
        close();
        file = other;
        writer = next;
      }
    }

    synchronized void line(String tag, String text) {
      String line = LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [" + tag + "] " + text;
      recent.addLast(line);
      if (recent.size() > TAIL) {
        recent.removeFirst();
      }
      try {
        writer.write(line);
        writer.newLine();
        writer.flush();
      } catch (IOException e) {
        // a full disk loses log lines, not trials
      }
    }

    /** The latest lines of one worker, for a message. */
    synchronized String tail(String tag) {
      StringBuilder b = new StringBuilder();
      for (String line : recent) {
        if (line.contains("[" + tag + "]")) {
          b.append(System.lineSeparator()).append("  ").append(line);
        }
      }
      return b.length() == 0 ? "" : ":" + b;
    }

    synchronized void close() {
      try {
        writer.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
