package dev.runkit.sweep.spark;

import dev.runkit.registry.Params;
import dev.runkit.registry.TypeAndParams;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialExecutor;
import dev.runkit.sweep.TrialResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's trials as Apache Spark tasks: each trial segment is a job of one task that trains
 * the trial with the in-process executor's code and returns its result; the sampler and the
 * scheduler stay in the driver (this JVM). A segment is submitted as soon as the scheduler gives
 * it, asynchronously, so a free executor takes the next trial or promotion at once, as ASHA
 * intends. Spark reruns a task whose executor is lost; the rerun continues the trial from the
 * newest checkpoint in its run directory, so the result is the one an uninterrupted trial has.
 *
 * <pre>{@code
 * try (SparkExecutor spark = SparkExecutor.master("spark://head:7077").sharedDir(Path.of("/nfs/sweeps"))) {
 *   SweepResult r = Sweep.load(Path.of("digits-sweep.yaml")).executor(spark).fit();
 * }
 * }</pre>
 *
 * <p>In config: {@code SWEEP.EXECUTOR: {TYPE: spark, PARAM: {master: "spark://head:7077",
 * shared_dir: /nfs/sweeps, cores_per_trial: 1, conf: {spark.executor.memory: 2g}, start_timeout:
 * 120}}}; without {@code master}, the one {@code spark-submit} set ({@code spark.master}).
 *
 * <p>MXNet's engine is process-wide, so one executor JVM trains one trial at a time: when it makes
 * the Spark context, the executor asks for executors of {@code cores_per_trial} cores each with as
 * many cores per task ({@code spark.executor.cores}, {@code spark.task.cpus}) and sets their {@code
 * OMP_NUM_THREADS} to it, and it runs as many segments at once as there are executors. In local
 * mode the tasks run in this JVM, so {@code local[N]} (N > 1) hands each task's trial to one of N
 * local worker processes ({@link dev.runkit.sweep.WorkerExecutor}) and trains N at once; {@code
 * local} and {@code local[1]} train in this JVM. Each task sets DJL offline with MXNet as its
 * engine and AWT headless ({@link SparkJvm#setUpTrialJvm()}); the natives come from the {@code
 * mxnet-native-mkl} jar, which must be on the executors' classpath. When Spark's {@code spark.jars}
 * is not set (as {@code spark-submit --jars} sets it), a cluster gets RunKit's jar and the jars of
 * the {@code lib/} folder beside it, the layout {@code mvn package} makes.
 *
 * <p>Before the first trial, {@link #prepare(Path)} checks: a {@code spark://} master accepts
 * connections; an executor registers within the start timeout; the sweep directory is in the shared
 * folder, and a file the driver writes there is seen by the executors (which write one back that
 * the driver must see), with RunKit's classes and DJL's MXNet engine loadable there. Speculative
 * execution is refused: two copies of a task would write one run directory. A driver JVM without
 * the Java 17 flags Spark's launcher gives ({@link SparkJvm#moduleOptions()}) gets a warning: a
 * sweep's jobs run without them.
 */
public final class SparkExecutor implements TrialExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);
  private static final Pattern LOCAL = Pattern.compile("local(\\[.*])?");
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  /** The file in the sweep directory by which {@link #stop()} asks the running tasks to stop. */
  static final String STOP_FILE = "stop-requested";

  private final String master;
  private final Path sharedDir;
  private final int coresPerTrial;
  private final Map<String, String> conf;
  private final Duration startTimeout;
  private final String where;
  private final JavaSparkContext given;

  private JavaSparkContext sc;
  private boolean ownsContext;
  private volatile boolean closed;
  private String groupPrefix;
  private Path stopFile;
  private String localPool;
  private int localSlots = 1;
  private ExecutorService waiters;
  private final Map<String, JavaFutureAction<?>> running = new ConcurrentHashMap<>();

  private SparkExecutor(
      String master,
      Path sharedDir,
      int coresPerTrial,
      Map<String, String> conf,
      Duration startTimeout,
      String where,
      JavaSparkContext given) {
    this.master = master;
    this.sharedDir = sharedDir;
    this.coresPerTrial = coresPerTrial;
    this.conf = Map.copyOf(conf);
    this.startTimeout = startTimeout;
    this.where = where;
    this.given = given;
  }

  /**
   * Returns an executor that makes its own Spark context for a master when the sweep starts, and
   * stops it at the end.
   *
   * @param master {@code local[2]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://...}
   * @return the executor
   * @throws IllegalArgumentException for a blank master
   */
  public static SparkExecutor master(String master) {
    return master(master, "SparkExecutor");
  }

  private static SparkExecutor master(String master, String where) {
    if (master == null || master.isBlank()) {
      throw new IllegalArgumentException(
          where
              + " master must be a Spark master URL (local[2], spark://host:7077, yarn), got \""
              + master
              + "\"");
    }
    return new SparkExecutor(master.strip(), null, 1, Map.of(), DEFAULT_START_TIMEOUT, where, null);
  }

  /**
   * Returns an executor for a JVM that {@code spark-submit} started: its Spark context takes the
   * master and settings {@code spark-submit} gave ({@code spark.master}, {@code spark.jars}, ...).
   *
   * @return the executor
   */
  public static SparkExecutor fromSparkSubmit() {
    return new SparkExecutor(null, null, 1, Map.of(), DEFAULT_START_TIMEOUT, "SparkExecutor", null);
  }

  /**
   * Returns an executor on a Spark context the caller made and stops (a notebook's, an
   * application's); its settings are used as they are.
   *
   * @param context the context
   * @return the executor
   */
  public static SparkExecutor on(JavaSparkContext context) {
    Objects.requireNonNull(context, "context");
    return new SparkExecutor(
        null, null, 1, Map.of(), DEFAULT_START_TIMEOUT, "SparkExecutor", context);
  }

  /**
   * Reads {@code SWEEP.EXECUTOR.PARAM} of {@code TYPE: spark}: {@code master}, {@code shared_dir},
   * {@code cores_per_trial}, {@code conf} (a map of {@code spark.*} settings), {@code
   * start_timeout} (seconds).
   *
   * @param p the parameters
   * @return the executor
   * @throws IllegalArgumentException for a bad value, naming its key path
   */
  public static SparkExecutor fromConfig(Params p) {
    String given = p.optionalString("master", null);
    SparkExecutor e =
        given == null
            ? new SparkExecutor(null, null, 1, Map.of(), DEFAULT_START_TIMEOUT, p.path(), null)
            : master(given, p.path());
    if (p.has("shared_dir")) {
      e = e.sharedDir(Path.of(p.requiredString("shared_dir")));
    }
    long cores = p.optionalLong("cores_per_trial", 1);
    p.check("cores_per_trial", cores, cores >= 1 && cores <= 1024, "in [1, 1024]");
    e = e.coresPerTrial((int) cores);
    if (p.has("conf")) {
      Map<?, ?> raw = p.requiredMap("conf");
      Params settings = Params.of(p.path("conf"), raw);
      for (Object key : raw.keySet()) {
        String k = String.valueOf(key);
        settings.check(k, k, k.startsWith("spark."), "a Spark setting (spark.*)");
        e = e.conf(k, settings.requiredString(k));
      }
    }
    double seconds = p.optionalDouble("start_timeout", DEFAULT_START_TIMEOUT.toSeconds());
    p.check("start_timeout", seconds, seconds > 0 && seconds <= 86_400, "in (0, 86400] seconds");
    return e.startTimeout(Duration.ofMillis(Math.round(seconds * 1000)));
  }

  /**
   * Sets the folder every executor sees at the same path (NFS, a cluster file system): the sweep
   * directory must lie in it. Without it, the sweep directory itself is checked to be shared.
   *
   * @param dir the folder; it must exist when the sweep starts
   * @return a new executor
   */
  public SparkExecutor sharedDir(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return new SparkExecutor(
        master, dir.toAbsolutePath().normalize(), coresPerTrial, conf, startTimeout, where, given);
  }

  /**
   * Sets the cores each trial gets: the executors' cores, the cores of a task and their {@code
   * OMP_NUM_THREADS} (default 1), when this executor makes the context.
   *
   * @param cores cores, {@code >= 1}
   * @return a new executor
   * @throws IllegalArgumentException for fewer than 1
   */
  public SparkExecutor coresPerTrial(int cores) {
    if (cores < 1) {
      throw new IllegalArgumentException(where + " cores_per_trial must be >= 1, got " + cores);
    }
    return new SparkExecutor(master, sharedDir, cores, conf, startTimeout, where, given);
  }

  /**
   * Adds a Spark setting for the context this executor makes (it wins over the executor's defaults
   * and over what {@code spark-submit} set).
   *
   * @param key a {@code spark.*} key, e.g. {@code spark.executor.memory}
   * @param value its value
   * @return a new executor
   * @throws IllegalArgumentException for a key that is not a Spark setting
   */
  public SparkExecutor conf(String key, String value) {
    if (key == null || !key.startsWith("spark.")) {
      throw new IllegalArgumentException(
          where + " conf keys are Spark settings (spark.*), got \"" + key + "\"");
    }
    Map<String, String> more = new LinkedHashMap<>(conf);
    more.put(key, Objects.requireNonNull(value, "value"));
    return new SparkExecutor(master, sharedDir, coresPerTrial, more, startTimeout, where, given);
  }

  /**
   * Sets how long to wait for the first executor to register with the cluster (default 120 s).
   *
   * @param timeout the time, positive
   * @return a new executor
   */
  public SparkExecutor startTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(where + " start_timeout must be > 0, got " + timeout);
    }
    return new SparkExecutor(master, sharedDir, coresPerTrial, conf, timeout, where, given);
  }

  /**
   * Returns the Spark context of the sweep running, or null before {@link #prepare(Path)}.
   *
   * @return the context
   */
  public JavaSparkContext context() {
    return sc;
  }

  // ------------------------------------------------------------------------------ preparation

  @Override
  public void prepare(Path sweepDirectory) {
    if (sc != null || closed) {
      throw new IllegalStateException("a SparkExecutor runs one sweep; make a new one");
    }
    Path dir = sweepDirectory.toAbsolutePath().normalize();
    checkSharedOnDriver(dir);
    stopFile = dir.resolve(STOP_FILE);
    try {
      Files.deleteIfExists(stopFile); // left by the stop of the run this one resumes
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + stopFile + " before the sweep", e);
    }
    try {
      start(dir);
      awaitExecutors();
      checkSharedOnExecutors(dir);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private String key(String param) {
    return where.equals("SparkExecutor") ? where + "." + camel(param) : where + "." + param;
  }

  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  private void checkSharedOnDriver(Path dir) {
    if (sharedDir != null) {
      if (!Files.exists(sharedDir)) {
        throw new IllegalArgumentException(
            key("shared_dir")
                + " "
                + sharedDir
                + " does not exist; create it on a file system every Spark executor mounts at the"
                + " same path (NFS, a cluster file system), or leave it out in local mode");
      }
      if (!Files.isDirectory(sharedDir)) {
        throw new IllegalArgumentException(
            key("shared_dir") + " " + sharedDir + " is a file, not a directory");
      }
      if (!dir.startsWith(sharedDir)) {
        throw new IllegalArgumentException(
            "the sweep directory "
                + dir
                + " is not in "
                + key("shared_dir")
                + " "
                + sharedDir
                + ": the trials' run directories (their checkpoints, for promotions and reruns on"
                + " another executor) must be where every executor sees them; set the sweep"
                + " directory (SWEEP.DIR) in it, e.g. "
                + sharedDir.resolve(dir.getFileName()));
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the sweep directory " + dir + " for the Spark executors: " + e, e);
    }
    if (!Files.isWritable(dir)) {
      throw new IllegalArgumentException(
          "the sweep directory " + dir + " is not writable by this process; choose another");
    }
  }

  private void start(Path dir) {
    if (given != null) {
      sc = given;
      ownsContext = false;
    } else {
      List<String> missing = SparkJvm.missingModuleOptions();
      if (!missing.isEmpty()) {
        // Spark's jobs of a sweep run without them (checked in local mode), but parts of Spark
        // reach into these packages, and Spark's own launcher always gives them
        LOG.warn(
            "this JVM lacks {} of the Java 17 flags Spark's launcher gives a driver (e.g. {});"
                + " if Spark fails with an IllegalAccessError or InaccessibleObjectException, start"
                + " it with: {}",
            missing.size(),
            missing.get(0),
            String.join(" ", SparkJvm.moduleOptions()));
      }
      SparkConf sparkConf = new SparkConf();
      String submitted = sparkConf.get("spark.master", null);
      if (master == null && submitted == null) {
        throw new IllegalArgumentException(
            key("master")
                + " is not set and this JVM was not started by spark-submit (no spark.master);"
                + " give the master: local[2], spark://host:7077, yarn, k8s://https://host:443");
      }
      if (master != null && submitted != null && !master.equals(submitted)) {
        throw new IllegalArgumentException(
            key("master")
                + " "
                + master
                + " differs from spark.master "
                + submitted
                + " (spark-submit's --master); leave one of them out");
      }
      String m = master != null ? master : submitted;
      sparkConf.setMaster(m);
      if (m.startsWith("spark://")) {
        requireReachable(m);
      }
      conf.forEach(sparkConf::set);
      boolean local = LOCAL.matcher(m).matches();
      sparkConf.setIfMissing("spark.app.name", "runkit sweep " + dir.getFileName());
      if (local) {
        // local mode needs no network: its driver and executor stay on this machine's loopback
        sparkConf.setIfMissing("spark.ui.enabled", "false");
        sparkConf.setIfMissing("spark.driver.host", "127.0.0.1");
        sparkConf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      } else {
        String cores = String.valueOf(coresPerTrial);
        sparkConf.setIfMissing("spark.executor.cores", cores);
        sparkConf.setIfMissing("spark.task.cpus", cores);
        sparkConf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", cores);
        if (!sparkConf.contains("spark.jars")) {
          List<String> jars = runKitJars();
          if (jars.isEmpty()) {
            LOG.warn(
                "RunKit runs from a class folder, not its jar: the executors need RunKit and its"
                    + " dependencies on their classpath (spark.jars, or"
                    + " spark.executor.extraClassPath)");
          } else {
            sparkConf.set("spark.jars", String.join(",", jars));
          }
        }
      }
      sparkConf.setIfMissing("spark.speculation", "false");
      sc = newContext(sparkConf);
      ownsContext = true;
    }
    if (sc.getConf().getBoolean("spark.speculation", false)) {
      throw new IllegalArgumentException(
          "spark.speculation is on: Spark could run a second copy of a trial's task beside the"
              + " first, and both would write the trial's run directory; set"
              + " spark.speculation=false for the sweep's Spark context");
    }
    if (!sc.isLocal()) {
      int executorCores = sc.getConf().getInt("spark.executor.cores", 1);
      int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
      if (taskCpus < executorCores) {
        LOG.warn(
            "spark.task.cpus ({}) is below spark.executor.cores ({}): Spark may start two trials"
                + " in one executor JVM, where they run one after the other (MXNet is"
                + " process-wide); set spark.task.cpus to spark.executor.cores",
            taskCpus,
            executorCores);
      }
    }
    if (sc.isLocal()) {
      // tasks run in this JVM, which trains one trial at a time: N slots get N worker processes
      localSlots = LocalTrialProcesses.slots(sc.master());
      if (localSlots > 1) {
        localPool = LocalTrialProcesses.register(localSlots);
      }
    }
    groupPrefix = "runkit-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    waiters =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "runkit-spark-trial");
              t.setDaemon(true);
              return t;
            });
  }

  private static JavaSparkContext newContext(SparkConf sparkConf) {
    try {
      return new JavaSparkContext(sparkConf);
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      if (String.valueOf(e.getMessage()).contains("Only one SparkContext")) {
        throw new IllegalArgumentException(
            "a Spark context is already running in this JVM; give it to the sweep with"
                + " SparkExecutor.on(JavaSparkContext.fromSparkContext(sc)), or stop it first",
            e);
      }
      throw new IllegalArgumentException(
          "cannot start Spark with master " + sparkConf.get("spark.master") + ": " + firstLine(e),
          e);
    }
  }

  /** Connects to each master of a {@code spark://h1:p1,h2:p2} URL; one that accepts will do. */
  private void requireReachable(String url) {
    List<String> refused = new ArrayList<>();
    for (String hostPort : url.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      int port;
      try {
        port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            key("master") + " " + url + " has no port number after '" + host + ":'");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return;
      } catch (IOException e) {
        refused.add(hostPort + " (" + e.getMessage() + ")");
      }
    }
    throw new IllegalArgumentException(
        "the Spark master "
            + url
            + " is not reachable: "
            + String.join(", ", refused)
            + "; start it (Spark's sbin/start-master.sh) or check the host and port: the master's"
            + " log says \"Starting Spark master at spark://HOST:PORT\"");
  }

  /** RunKit's jar and the jars in the lib/ folder beside it, when RunKit runs from its jar. */
  static List<String> runKitJars() {
    Path own;
    try {
      own =
          Path.of(SparkExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return List.of();
    }
    if (!own.toString().endsWith(".jar")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add(own.toString());
    Path lib = own.resolveSibling("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        files
            .filter(f -> f.toString().endsWith(".jar"))
            .sorted()
            .forEach(f -> out.add(f.toString()));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot list " + lib + ": " + e, e);
      }
    }
    return out;
  }

  private int executors() {
    // the status tracker lists the driver too
    return Math.max(0, sc.sc().statusTracker().getExecutorInfos().length - 1);
  }

  private void awaitExecutors() {
    if (sc.isLocal()) {
      return;
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (executors() == 0) {
      if (System.nanoTime() > deadline || sc.sc().isStopped()) {
        throw new IllegalArgumentException(
            "no Spark executor registered with "
                + sc.master()
                + " within "
                + startTimeout.toSeconds()
                + " s"
                + (sc.sc().isStopped() ? " (the Spark context stopped: see Spark's log)" : "")
                + ": the cluster may have no worker with "
                + sc.getConf().get("spark.executor.cores", "1")
                + " free cores and "
                + sc.getConf().get("spark.executor.memory", "1g")
                + " of memory (spark.executor.memory) free; see the master's web UI, or raise "
                + key("start_timeout"));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Spark executors", e);
      }
    }
  }

  /**
   * Runs one small task per executor that reads a file the driver wrote and writes one back; a
   * folder the executors do not share (or RunKit's classes missing there) stops the sweep here.
   */
  private void checkSharedOnExecutors(Path dir) {
    if (sc.isLocal()) {
      return;
    }
    String token = UUID.randomUUID().toString();
    Path marker = dir.resolve(SharedDirProbe.PREFIX + token);
    List<String> problems = new ArrayList<>();
    try {
      Files.writeString(marker, token);
      int n = Math.max(1, executors());
      List<String> replies =
          sc.parallelize(IntStream.range(0, n).boxed().collect(Collectors.toList()), n)
              .map(new SharedDirProbe(marker.toString(), token))
              .collect();
      for (String reply : replies) {
        if (!reply.startsWith(SharedDirProbe.OK)) {
          problems.add(reply);
        } else if (!Files.exists(Path.of(reply.substring(SharedDirProbe.OK.length())))) {
          problems.add(
              "the driver does not see "
                  + reply.substring(SharedDirProbe.OK.length())
                  + ", which an executor wrote");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + marker + ": " + e, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the Spark executors cannot run RunKit's code: "
              + firstLine(e)
              + "; ship RunKit's jar and its dependencies (toolkit/target/lib) to them with"
              + " spark-submit --jars or spark.jars",
          e);
    } finally {
      deleteMarkers(dir, token);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the sweep directory "
              + dir
              + " is not shared with the Spark executors: "
              + String.join("; ", problems)
              + ". Put it ("
              + (sharedDir != null ? key("shared_dir") + " and " : "")
              + "SWEEP.DIR) on a file system every executor mounts at the same path");
    }
  }

  private static void deleteMarkers(Path dir, String token) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith(SharedDirProbe.PREFIX + token)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot remove the shared-folder check's files in {}: {}", dir, e.toString());
    }
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  // ------------------------------------------------------------------------------ trials

  @Override
  public CompletableFuture<TrialResult> submit(Trial trial) {
    if (sc == null || closed) {
      throw new IllegalStateException(
          "this SparkExecutor is " + (closed ? "closed" : "not prepared: Sweep.fit() prepares it"));
    }
    String group = groupPrefix + trial.name();
    long start = System.nanoTime();
    JavaFutureAction<List<TrialResult>> action;
    synchronized (this) {
      sc.setJobGroup(group, trial.name() + " to iteration " + trial.stopAt(), true);
      try {
        action =
            sc.parallelize(List.of(trial), 1)
                .map(new TrialTask(stopFile, localPool))
                .collectAsync();
      } finally {
        sc.clearJobGroup();
      }
    }
    running.put(group, action);
    CompletableFuture<TrialResult> out = new CompletableFuture<>();
    waiters.execute(
        () -> {
          try {
            out.complete(action.get().get(0));
          } catch (ExecutionException e) {
            if (closed || sc.sc().isStopped()) {
              out.completeExceptionally(
                  new IllegalStateException(
                      "the Spark context stopped while "
                          + trial.name()
                          + " ran: "
                          + firstLine(e.getCause()),
                      e.getCause()));
            } else {
              // every attempt failed (Spark's spark.task.maxFailures): the trial fails, the sweep
              // goes on
              out.complete(
                  TrialResult.failed(
                      trial,
                      "Spark gave up on the task: " + firstLine(e.getCause()),
                      (System.nanoTime() - start) / 1e9));
            }
          } catch (InterruptedException | RuntimeException e) {
            out.completeExceptionally(e);
          } finally {
            running.remove(group);
          }
        });
    return out;
  }

  /**
   * One segment per executor JVM (MXNet is process-wide); in local mode one per task slot, each
   * trained in a worker process of its own ({@code local[N]}: N).
   */
  @Override
  public int parallelism() {
    if (sc == null) {
      return 1;
    }
    if (sc.isLocal()) {
      return localSlots;
    }
    return Math.max(1, executors());
  }

  @Override
  public Map<String, Object> toConfig() {
    Map<String, Object> p = new LinkedHashMap<>();
    String m = sc != null ? sc.master() : master;
    if (m != null) {
      p.put("master", m);
    }
    if (sharedDir != null) {
      p.put("shared_dir", sharedDir.toString());
    }
    p.put("cores_per_trial", coresPerTrial);
    if (!conf.isEmpty()) {
      p.put("conf", new LinkedHashMap<>(conf));
    }
    p.put("start_timeout", startTimeout.toMillis() / 1000.0);
    return TypeAndParams.toConfig("spark", p);
  }

  /**
   * Asks the running segments to stop after their iteration in progress, each with a checkpoint:
   * writes {@value #STOP_FILE} in the (shared) sweep directory, which their tasks look for, and in
   * local mode passes the stop to its worker processes. Their results are RUNNING short of their
   * stop points, so a resumed sweep continues them.
   */
  @Override
  public void stop() {
    if (stopFile == null) {
      return;
    }
    try {
      Files.writeString(stopFile, "the sweep was asked to stop\n");
    } catch (IOException e) {
      LOG.warn("cannot write {}: the running trials go on to their stop points", stopFile, e);
    }
    TrialExecutor pool = localPool == null ? null : LocalTrialProcesses.get(localPool);
    if (pool != null) {
      pool.stop();
    }
  }

  /** Cancels the trials still running and stops the Spark context if this executor made it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sc != null) {
      for (String group : running.keySet()) {
        sc.cancelJobGroup(group);
      }
      if (ownsContext) {
        sc.stop();
      }
    }
    if (waiters != null) {
      waiters.shutdownNow();
    }
    if (localPool != null) {
      LocalTrialProcesses.close(localPool);
    }
  }

  @Override
  public String toString() {
    return "SparkExecutor" + toConfig().get("PARAM");
  }
}
