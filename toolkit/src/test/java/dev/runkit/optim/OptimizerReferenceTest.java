package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered optimizer against the committed PyTorch tables: 20 steps of every case, float32
 * to 1e-5 and float64 to 1e-9 relative (see {@link #assertClose}); and resume from exported state
 * after step 10 equals the uninterrupted run.
 */
class OptimizerReferenceTest {

  static Stream<String> names() {
    return Optimizers.names().stream();
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Optimizers.names()) {
      JsonNode table = ReferenceProblem.table(name);
      if (table == null) {
        continue;
      }
      for (JsonNode c : table.get("cases")) {
        out.add(Arguments.of(name, c.get("id").asText(), c.get("dtype").asText(), table, c));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void everyRegisteredName_hasReferenceCases_inBothDtypes(String name) {
    JsonNode table = ReferenceProblem.table(name);
    assertThat(table).as("reference table for %s", name).isNotNull();
    List<String> dtypes = new ArrayList<>();
    table.get("cases").forEach(c -> dtypes.add(c.get("dtype").asText()));
    assertThat(dtypes).contains("float32", "float64");
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void twentySteps_matchTorch(String name, String id, String dtype, JsonNode table, JsonNode c) {
    DataType type = dtype.equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    double tolerance = type == DataType.FLOAT64 ? 1e-9 : 1e-5;
    List<double[]> expected = ReferenceProblem.expected(c);
    try (ReferenceProblem.Model model = new ReferenceProblem.Model(table, type)) {
      List<double[]> actual =
          model.run(ReferenceProblem.optimizer(name, c), ReferenceProblem.clipping(c), 0, 20);
      assertClose(actual, expected, tolerance);
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void resumeAfterTen_equalsUninterruptedRun(
      String name, String id, String dtype, JsonNode table, JsonNode c) throws IOException {
    DataType type = dtype.equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    GradientClipping clip = ReferenceProblem.clipping(c);
    double[] uninterrupted;
    try (ReferenceProblem.Model model = new ReferenceProblem.Model(table, type)) {
      List<double[]> run = model.run(ReferenceProblem.optimizer(name, c), clip, 0, 20);
      uninterrupted = run.get(19);
    }
    try (ReferenceProblem.Model model = new ReferenceProblem.Model(table, type)) {
      ScheduledOptimizer first = ReferenceProblem.optimizer(name, c);
      model.run(first, clip, 0, 10);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      first.exportState().write(new DataOutputStream(bytes));
      OptimizerState restored =
          OptimizerState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertThat(restored).isEqualTo(first.exportState());
      ScheduledOptimizer second = ReferenceProblem.optimizer(name, c);
      second.importState(restored);
      List<double[]> rest = model.run(second, clip, 10, 20);
      assertThat(rest.get(9)).containsExactly(uninterrupted);
    }
  }

  /**
   * Checks every element of every step: {@code |actual - expected| <= tolerance * max(|expected|,
   * scale)}, where scale is the largest magnitude of that parameter tensor at that step (float32
   * cannot carry relative precision for elements near zero).
   */
  static void assertClose(List<double[]> actual, List<double[]> expected, double tolerance) {
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    String where = "";
    for (int s = 0; s < expected.size(); s++) {
      double[] e = expected.get(s);
      double[] a = actual.get(s);
      double weightScale = 0;
      double biasScale = 0;
      for (int i = 0; i < e.length; i++) {
        if (i < 12) {
          weightScale = Math.max(weightScale, Math.abs(e[i]));
        } else {
          biasScale = Math.max(biasScale, Math.abs(e[i]));
        }
      }
      for (int i = 0; i < e.length; i++) {
        double scale = i < 12 ? weightScale : biasScale;
        double err = Math.abs(a[i] - e[i]) / Math.max(Math.abs(e[i]), scale);
        if (!(err <= worst)) {
          worst = err;
          where = "step " + (s + 1) + " element " + i + ": expected " + e[i] + ", got " + a[i];
        }
      }
    }
    assertThat(worst).as("worst relative error at %s", where).isLessThanOrEqualTo(tolerance);
  }
}
