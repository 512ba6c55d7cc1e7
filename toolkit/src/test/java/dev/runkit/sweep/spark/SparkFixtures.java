package dev.runkit.sweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialResult;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The small digits sweeps the Spark tests run, and how their results are compared. */
final class SparkFixtures {

  private SparkFixtures() {}

  /** The digits run of the sweep tests: 90 iterations, validation every 10, dropout 0.2. */
  static Path baseConfig() {
    try {
      return Path.of(SparkFixtures.class.getResource("/configs/sweep-digits.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a sweep file: random search with ASHA (rungs 30 and 90) over the learning rate and the
   * hidden layer, in-process unless an executor section is given.
   *
   * @param tmp the folder for the file
   * @param name the file's name
   * @param trials the trial budget
   * @param scheduler the SCHEDULER section as flow YAML
   * @param executor the EXECUTOR section as flow YAML, or null
   */
  static Path sweepFile(Path tmp, String name, int trials, String scheduler, String executor)
      throws IOException {
    String text =
        String.join(
            "\n",
            "BASE: " + baseConfig(),
            "SWEEP:",
            "  METRIC: validation/accuracy",
            "  TRIALS: " + trials,
            "  SEED: 1",
            "  SAMPLER: {TYPE: random}",
            "  SCHEDULER: " + scheduler,
            "  SPACE:",
            "    TRAIN.OPTIM.PARAM.lr: loguniform(0.001, 0.03)",
            "    MODEL.PARAM.hidden: [[16], [32]]",
            executor == null ? "" : "  EXECUTOR: " + executor,
            "");
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /** ASHA with its first rung at 30 of 90 iterations. */
  static final String ASHA = "{TYPE: asha, PARAM: {min_iterations: 30, reduction_factor: 3}}";

  /** Every trial to the end. */
  static final String FIFO = "{TYPE: fifo}";

  /** Runs a sweep file into a directory. */
  static SweepResult run(Path file, Path dir, String... overrides) {
    List<String> all = new ArrayList<>(List.of("SWEEP.DIR=" + dir));
    all.addAll(List.of(overrides));
    return Sweep.load(file, all).fit();
  }

  /**
   * Asserts two sweeps made the same trials with the same results: parameters, status, iterations,
   * best iteration, objective and every history value (1e-6).
   */
  static void assertSameTrials(SweepResult expected, SweepResult actual) {
    assertThat(actual.trials()).hasSameSizeAs(expected.trials());
    for (int i = 0; i < expected.trials().size(); i++) {
      Trial e = expected.trials().get(i);
      Trial a = actual.trials().get(i);
      assertThat(a.params()).as(e.name()).isEqualTo(e.params());
      TrialResult er = expected.results().get(i);
      TrialResult ar = actual.results().get(i);
      assertThat(ar.status()).as(e.name()).isEqualTo(er.status());
      assertThat(ar.iterations()).as(e.name()).isEqualTo(er.iterations());
      assertThat(ar.bestIteration()).as(e.name()).isEqualTo(er.bestIteration());
      assertThat(ar.objective()).as(e.name()).isCloseTo(er.objective(), within(1e-6));
      assertSameRows(e.name(), er.history(), ar.history(), Long.MAX_VALUE);
    }
  }

  /**
   * Asserts that two sweeps whose trials may have been scheduled in another order (several at once)
   * trained each trial the same way: same parameters, and the same history up to the iterations
   * both trained (1e-6); where both trained as far, the same objective.
   */
  static void assertConsistentTrials(SweepResult expected, SweepResult actual) {
    int n = Math.min(expected.trials().size(), actual.trials().size());
    assertThat(n).isPositive();
    for (int i = 0; i < n; i++) {
      Trial e = expected.trials().get(i);
      assertThat(actual.trials().get(i).params()).as(e.name()).isEqualTo(e.params());
      TrialResult er = expected.results().get(i);
      TrialResult ar = actual.results().get(i);
      long upTo = Math.min(er.iterations(), ar.iterations());
      assertSameRows(e.name(), er.history(), ar.history(), upTo);
      if (er.iterations() == ar.iterations()) {
        assertThat(ar.objective()).as(e.name()).isCloseTo(er.objective(), within(1e-6));
      }
    }
  }

  private static void assertSameRows(
      String trial, List<TrialResult.Row> expected, List<TrialResult.Row> actual, long upTo) {
    List<TrialResult.Row> e = expected.stream().filter(r -> r.iteration() <= upTo).toList();
    List<TrialResult.Row> a = actual.stream().filter(r -> r.iteration() <= upTo).toList();
    assertThat(a).as(trial + " history rows").hasSameSizeAs(e);
    assertThat(e).as(trial + " history").isNotEmpty();
    for (int r = 0; r < e.size(); r++) {
      TrialResult.Row x = e.get(r);
      TrialResult.Row y = a.get(r);
      String what = trial + " row " + r + " " + x;
      assertThat(List.of(y.iteration(), y.phase(), y.metric()))
          .as(what)
          .isEqualTo(List.of(x.iteration(), x.phase(), x.metric()));
      assertThat(y.value()).as(what).isCloseTo(x.value(), within(1e-6));
      assertThat(y.lr()).as(what).isCloseTo(x.lr(), within(1e-12));
    }
  }

  /** The lines of a trial's Spark task log: one per task attempt. */
  static List<String> taskLog(Path sweepDir, int trial) throws IOException {
    Path log = sweepDir.resolve(Trial.name(trial)).resolve(TrialTask.LOG_FILE);
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** This JVM's classpath entries. */
  static List<String> classpath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .collect(Collectors.toList());
  }

  /** The java of this JVM. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
