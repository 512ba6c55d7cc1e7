package dev.runkit.sweep.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a JVM needs to run Spark's driver or RunKit's trials in Spark tasks, without touching Spark
 * itself, so the command line and the kernelspec can use it on a classpath without Spark: the Java
 * 17 flags Spark's launcher gives its JVMs (Spark's {@code JavaModuleOptions}; a test checks they
 * are the same), whether this JVM has them, and the system properties RunKit sets in an executor
 * before a trial.
 */
public final class SparkJvm {

  /** The resource holding the flags, one a line; also read by {@code bin/runkit}'s build copy. */
  static final String OPTIONS_RESOURCE = "dev/runkit/sweep/spark/jvm-options.txt";

  private static final List<String> OPTIONS = readOptions();

  private SparkJvm() {}

  /**
   * Returns the JVM flags Spark 4.0's launcher gives the driver and executors on Java 17 ({@code
   * --add-opens} for the packages Spark reaches into, and two system properties).
   *
   * @return the flags, in Spark's order
   */
  public static List<String> moduleOptions() {
    return OPTIONS;
  }

  /**
   * Returns the {@code --add-opens} flags this JVM was started without, which parts of Spark need
   * (they fail with an {@code IllegalAccessError} or {@code InaccessibleObjectException} without).
   *
   * @return the missing flags, empty when all are there
   */
  public static List<String> missingModuleOptions() {
    List<String> missing = new ArrayList<>();
    Module unnamed = SparkJvm.class.getClassLoader().getUnnamedModule();
    for (String option : OPTIONS) {
      if (!option.startsWith("--add-opens=")) {
        continue;
      }
      // --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
      String spec = option.substring("--add-opens=".length());
      String module = spec.substring(0, spec.indexOf('/'));
      String pkg = spec.substring(spec.indexOf('/') + 1, spec.indexOf('='));
      boolean open =
          ModuleLayer.boot()
              .findModule(module)
              .map(m -> !m.getPackages().contains(pkg) || m.isOpen(pkg, unnamed))
              .orElse(true);
      if (!open) {
        missing.add(option);
      }
    }
    return missing;
  }

  /**
   * Sets what RunKit needs in a JVM that runs trials and was not started by RunKit's command line:
   * DJL offline (MXNet's natives come from the {@code mxnet-native-mkl} jar on the classpath, never
   * a download), MXNet as DJL's engine, and a headless AWT. A value already set is kept.
   */
  public static void setUpTrialJvm() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("ai.djl.default_engine", "MXNet");
    setIfAbsent("java.awt.headless", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static List<String> readOptions() {
    try (InputStream in = SparkJvm.class.getClassLoader().getResourceAsStream(OPTIONS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPTIONS_RESOURCE + " is missing from RunKit's jar");
      }
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPTIONS_RESOURCE, e);
    }
  }
}
