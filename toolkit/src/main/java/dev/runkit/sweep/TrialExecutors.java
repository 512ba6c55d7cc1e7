package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import dev.runkit.registry.TypeAndParams;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The trial executors by name, for {@code SWEEP.EXECUTOR {TYPE, PARAM}}: {@code in_process} (the
 * default), {@code workers} ({@code PARAM: {workers: N}}, default one per core: local worker
 * processes, {@link WorkerExecutor}) and {@code spark} (Apache Spark, {@code
 * dev.runkit.sweep.spark.SparkExecutor}). Executors with optional dependencies (worker processes,
 * Apache Spark) are registered here by name and reached only through it, so nothing else imports
 * them: a RunKit without Spark on its classpath runs every other executor, and refuses {@code
 * spark} with a message before any trial.
 */
public final class TrialExecutors {

  private static final Registry<Function<Params, TrialExecutor>> REGISTRY =
      new Registry<Function<Params, TrialExecutor>>("trial executor")
          .register("in_process", p -> InProcessExecutor.create())
          .register("workers", TrialExecutors::workers)
          .register("spark", TrialExecutors::spark);

  /** The Spark executor's class, the only one that imports Spark; loaded by name. */
  private static final String SPARK_EXECUTOR = "dev.runkit.sweep.spark.SparkExecutor";

  private TrialExecutors() {}

  /**
   * Returns an executor of local worker processes, one trial segment each at a time.
   *
   * @param workers how many processes, {@code >= 1}
   * @return the executor
   * @throws IllegalArgumentException if workers is below 1
   */
  public static TrialExecutor workers(int workers) {
    return WorkerExecutor.create(workers);
  }

  /**
   * Returns an executor of local worker processes, one per core.
   *
   * @return the executor
   */
  public static TrialExecutor workers() {
    return WorkerExecutor.create();
  }

  private static TrialExecutor workers(Params p) {
    long n = p.optionalLong("workers", Runtime.getRuntime().availableProcessors());
    p.check("workers", n, n >= 1 && n <= 1024, "a whole number in [1, 1024]");
    return WorkerExecutor.create((int) n);
  }

  /**
   * Builds an executor from a {@code {TYPE, PARAM}} map.
   *
   * @param spec the map
   * @param path where it sits in the config, for messages
   * @return the executor
   * @throws IllegalArgumentException for an unknown type (with the nearest name) or parameter
   */
  public static TrialExecutor build(Map<?, ?> spec, String path) {
    TypeAndParams tp = TypeAndParams.read(spec, path, names());
    Function<Params, TrialExecutor> factory = REGISTRY.get(tp.type(), path + ".TYPE");
    Params p = Params.of(path + ".PARAM", tp.params());
    TrialExecutor e = factory.apply(p);
    p.requireNoUnknown();
    return e;
  }

  /** Builds the Spark executor by name, after checking that Spark is on the classpath. */
  private static TrialExecutor spark(Params p) {
    ClassLoader loader = TrialExecutors.class.getClassLoader();
    try {
      Class.forName("org.apache.spark.SparkContext", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "Spark is not on the classpath: "
              + p.path().replaceFirst("\\.PARAM$", "")
              + ".TYPE spark needs Apache Spark 4.0 (spark-core_2.13, tested with 4.0.1) in this"
              + " JVM. Run the sweep with spark-submit (Spark supplies itself), with bin/runkit"
              + " ... --spark MASTER (it adds toolkit/target/spark-lib), in a Jupyter kernel"
              + " installed with 'runkit kernel install --with-spark', or add"
              + " org.apache.spark:spark-core_2.13 to your project",
          e);
    }
    try {
      return (TrialExecutor)
          Class.forName(SPARK_EXECUTOR, true, loader)
              .getMethod("fromConfig", Params.class)
              .invoke(null, p);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot make the Spark executor: " + e.getCause(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the Spark executor: " + e, e);
    }
  }

  /**
   * Lists the executor names.
   *
   * @return the names
   */
  public static List<String> names() {
    return REGISTRY.names();
  }
}
