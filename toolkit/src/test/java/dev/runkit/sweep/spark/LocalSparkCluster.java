package dev.runkit.sweep.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for the tests: a Master and a Worker, each its own
 * JVM started from Spark's jars as the build copies them ({@code target/spark-lib}); the Worker
 * launches executor JVMs from a {@code SPARK_HOME} whose {@code jars/} links those jars. Everything
 * binds to the loopback address ({@code SPARK_LOCAL_IP}, {@code --host}); the web UIs too. The
 * Worker may run in a mount namespace of its own in which one folder is an empty tmpfs, a folder
 * its executors do not share with the driver.
 */
final class LocalSparkCluster implements AutoCloseable {

  /**
   * The jars of RunKit's runtime that Spark needs too (so the build does not copy them to
   * spark-lib), as a Spark distribution has its own; plus logback, the daemons' logging backend.
   * DJL, MXNet, tablesaw and RunKit reach the executors only as a sweep ships them.
   */
  private static final Pattern SPARK_NEEDS =
      Pattern.compile(
          "(slf4j-api|commons-codec|commons-io|jsr305|commons-compress|gson|RoaringBitmap"
              + "|logback-classic|logback-core)-\\d");

  private final Path home;
  private final Path logback;
  private final String masterUrl;
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::stop, "stop-spark-cluster");
  private final Path tmp;

  private LocalSparkCluster(Path tmp, Path home, Path logback, int masterPort) {
    this.tmp = tmp;
    this.home = home;
    this.logback = logback;
    this.masterUrl = "spark://127.0.0.1:" + masterPort;
  }

  /**
   * Starts a Master and a Worker and waits until the Worker has registered.
   *
   * @param tmp a folder for Spark's home, logs and work directories
   * @param sparkLib Spark's jars
   * @param lib RunKit's runtime jars (those Spark needs too, and logback)
   * @param cores the Worker's cores
   * @param hidden a folder the Worker and its executors see as an empty tmpfs, or null
   */
  static LocalSparkCluster start(Path tmp, Path sparkLib, Path lib, int cores, Path hidden)
      throws IOException, InterruptedException {
    Path home = tmp.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    try (Stream<Path> spark = Files.list(sparkLib);
        Stream<Path> runkit = Files.list(lib)) {
      List<Path> all =
          Stream.concat(
                  spark,
                  runkit.filter(p -> SPARK_NEEDS.matcher(p.getFileName().toString()).lookingAt()))
              .filter(p -> p.toString().endsWith(".jar"))
              .toList();
      for (Path jar : all) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
      }
    }
    Path logback = tmp.resolve("logback-cluster.xml");
    Files.writeString(
        logback,
        String.join(
            "\n",
            "<configuration>",
            "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern>"
                + "</encoder>",
            "  </appender>",
            "  <logger name=\"org.apache.spark.deploy\" level=\"INFO\"/>",
            "  <logger name=\"org.apache.spark.executor\" level=\"INFO\"/>",
            "  <logger name=\"ai.djl.util.cuda.CudaUtils\" level=\"ERROR\"/>",
            "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>",
            "</configuration>",
            ""));
    LocalSparkCluster cluster = new LocalSparkCluster(tmp, home, logback, freePort());
    Runtime.getRuntime().addShutdownHook(cluster.hook);
    try {
      int masterPort = Integer.parseInt(cluster.masterUrl.substring("spark://127.0.0.1:".length()));
      Path masterLog = tmp.resolve("master.log");
      cluster.daemon(
          null,
          masterLog,
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          String.valueOf(masterPort),
          "--webui-port",
          String.valueOf(freePort()));
      awaitLine(masterLog, "I have been elected leader", cluster.processes.get(0));
      Path workerLog = tmp.resolve("worker.log");
      cluster.daemon(
          hidden,
          workerLog,
          "org.apache.spark.deploy.worker.Worker",
          "--host",
          "127.0.0.1",
          "--port",
          String.valueOf(freePort()),
          "--webui-port",
          String.valueOf(freePort()),
          "--cores",
          String.valueOf(cores),
          "--memory",
          "3g",
          "--work-dir",
          Files.createDirectories(tmp.resolve("work")).toString(),
          cluster.masterUrl);
      awaitLine(workerLog, "Successfully registered with master", cluster.processes.get(1));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Tells whether this machine can give a process a mount namespace of its own (root, Linux). */
  static boolean canHideFolders() {
    try {
      Process p =
          new ProcessBuilder("unshare", "--mount", "--propagation", "private", "true")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private void daemon(Path hidden, Path log, String main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (hidden != null) {
      Files.createDirectories(hidden);
      command.addAll(
          List.of(
              "unshare",
              "--mount",
              "--propagation",
              "private",
              "sh",
              "-c",
              "mount -t tmpfs runkit-hidden \"$0\" && exec \"$@\"",
              hidden.toString()));
    }
    command.addAll(javaCommand(main));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(pb.environment());
    processes.add(pb.start());
  }

  /** A JVM command with Spark's jars, its Java 17 flags and the cluster's logging. */
  List<String> javaCommand(String main) {
    List<String> command = new ArrayList<>();
    command.add(SparkFixtures.java());
    command.addAll(SparkJvm.moduleOptions());
    command.add("-Xmx512m");
    command.add("-Dlogback.configurationFile=" + logback);
    command.add("-cp");
    command.add(home.resolve("jars") + "/*");
    command.add(main);
    return command;
  }

  /** What Spark's scripts would set: its home, Scala version, the loopback address, one thread. */
  void environment(Map<String, String> env) {
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("OMP_NUM_THREADS", "1");
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  String masterUrl() {
    return masterUrl;
  }

  /** The logging configuration to give executors. */
  Path logback() {
    return logback;
  }

  /** The JVMs of the cluster's executors now. */
  List<ProcessHandle> executors() {
    return processes.size() < 2
        ? List.of()
        : processes.get(1).descendants().filter(ProcessHandle::isAlive).toList();
  }

  /** The daemons' and executors' logs, for a failing test's message. */
  String logs() {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f :
          files.filter(p -> p.toString().endsWith(".log") || p.endsWith("stderr")).toList()) {
        List<String> lines = Files.readAllLines(f);
        b.append("==> ").append(f).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> b.append(l).append('\n'));
      }
    } catch (IOException | RuntimeException e) {
      b.append("(cannot read the logs: ").append(e).append(")");
    }
    return b.toString();
  }

  private static void awaitLine(Path log, String text, Process daemon)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!daemon.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "no \""
            + text
            + "\" in "
            + log
            + (daemon.isAlive() ? "" : " (its JVM ended with " + daemon.exitValue() + ")")
            + ":\n"
            + (Files.exists(log) ? Files.readString(log) : ""));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Kills the Worker's executors, the Worker and the Master, and waits until they are gone. */
  private synchronized void stop() {
    List<ProcessHandle> all = new ArrayList<>();
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).descendants().forEach(all::add);
      all.add(processes.get(i).toHandle());
    }
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("a Spark JVM did not stop: pid " + h.pid(), e);
      }
    }
    processes.clear();
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
