package dev.runkit.sweep.spark;

import dev.runkit.sweep.BestTrial;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The main class {@code spark-submit} starts: runs a sweep file with its trials on the cluster
 * {@code spark-submit} was given ({@code SWEEP.EXECUTOR.TYPE} becomes {@code spark}, its master
 * {@code spark.master}), then prints the trials table and the best trial. It imports no Spark
 * class, so without Spark it says so before any trial.
 *
 * <pre>{@code
 * spark-submit --master spark://head:7077 --class dev.runkit.sweep.spark.SparkSweep \
 *   --jars "$(ls toolkit/target/lib/*.jar | paste -sd,)" toolkit/target/runkit-toolkit-0.1.0-SNAPSHOT.jar \
 *   /nfs/sweeps/digits-sweep.yaml --set SWEEP.EXECUTOR.PARAM.shared_dir=/nfs/sweeps
 * }</pre>
 */
public final class SparkSweep {

  static final String USAGE =
      "usage: spark-submit [--master MASTER] --class "
          + SparkSweep.class.getName()
          + " --jars LIB_JARS RUNKIT_JAR SWEEP.yaml [--set KEY=VALUE ...]";

  private SparkSweep() {}

  /**
   * Runs the sweep and exits: 0 when it ran, 2 for a refused sweep (the message says why).
   *
   * @param args the sweep file, then {@code --set KEY=VALUE} overrides
   */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /**
   * Runs the sweep.
   *
   * @param args the sweep file, then {@code --set KEY=VALUE} overrides
   * @param out where the table and the best trial go
   * @param err where a refusal goes
   * @return 0 when the sweep ran, 2 when it was refused
   */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    String file = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--set") && i + 1 < args.size()) {
        overrides.add(args.get(++i));
      } else if (a.startsWith("--set=")) {
        overrides.add(a.substring("--set=".length()));
      } else if (!a.startsWith("-") && file == null) {
        file = a;
      } else {
        err.println("runkit spark sweep: unexpected argument \"" + a + "\"\n" + USAGE);
        return 2;
      }
    }
    if (file == null) {
      err.println("runkit spark sweep: no sweep file\n" + USAGE);
      return 2;
    }
    overrides.add("SWEEP.EXECUTOR.TYPE=spark");
    SweepResult result;
    try {
      result = Sweep.load(Path.of(file), overrides).fit();
    } catch (IllegalArgumentException e) {
      err.println("runkit spark sweep: " + e.getMessage());
      return 2;
    }
    out.println(result.table().printAll());
    Optional<BestTrial> best = result.bestIfAny();
    if (best.isPresent()) {
      out.println(
          "best: "
              + best.get().trial().name()
              + " "
              + result.objective().name()
              + " = "
              + best.get().result().objective()
              + " at iteration "
              + best.get().result().bestIteration()
              + "; config in "
              + result.directory().resolve("best.yaml"));
    } else {
      out.println("no trial completed; see " + result.directory().resolve("trials.csv"));
    }
    return 0;
  }
}
