package dev.runkit.sweep.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;

/**
 * A Spark task that checks, on an executor, what a trial needs there: the file the driver wrote in
 * the sweep directory is visible with its content, a file written back is possible, and DJL's MXNet
 * engine is on the classpath. It answers {@link #OK} and the path it wrote, or the problem in
 * words.
 */
final class SharedDirProbe implements Function<Integer, String> {

  /** The name prefix of the check's files. */
  static final String PREFIX = ".runkit-shared-check-";

  /** The start of a good answer, followed by the path of the file written back. */
  static final String OK = "ok:";

  private static final long serialVersionUID = 1L;

  private final String marker;
  private final String token;

  SharedDirProbe(String marker, String token) {
    this.marker = marker;
    this.token = token;
  }

  @Override
  public String call(Integer index) {
    SparkEnv env = SparkEnv.get();
    String executor = env == null ? "?" : env.executorId();
    String host = env == null ? "?" : env.blockManager().blockManagerId().host();
    String who = "executor " + executor + " on " + host;
    try {
      Class.forName("ai.djl.mxnet.engine.MxEngine", false, SharedDirProbe.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return who
          + " cannot load DJL's MXNet engine ("
          + e
          + "): ship RunKit's dependencies (toolkit/target/lib) with spark.jars";
    }
    Path file = Path.of(marker);
    try {
      if (!Files.exists(file)) {
        return who + " does not see " + file + ", which the driver wrote";
      }
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(token)) {
        return who + " sees another " + file + " than the driver wrote";
      }
      Path back = file.resolveSibling(file.getFileName() + "-" + executor + "-" + index);
      Files.writeString(back, token, StandardCharsets.UTF_8);
      return OK + back;
    } catch (IOException e) {
      return who + " cannot read or write in " + file.getParent() + ": " + e;
    }
  }
}
