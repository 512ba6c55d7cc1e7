package dev.runkit.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runkit.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every PyTorch family against tables written by the real PyTorch (see
 * src/test/references/generate_schedule_references_torch.py), to 1e-12 absolute at steps 0..300.
 */
class PyTorchSchedulesTest {

  private static final double TOLERANCE = 1e-12;
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> torchNames() {
    Registry<ScheduleFactory> registry = new Registry<>("schedule");
    PyTorchSchedules.registerAll(registry);
    return registry.names();
  }

  static JsonNode references(String family) {
    String resource = "/reference/schedules/torch/" + family + ".json";
    try (InputStream in = PyTorchSchedulesTest.class.getResourceAsStream(resource)) {
      return in == null ? null : JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String family : torchNames()) {
      JsonNode cases = references(family);
      for (int i = 0; cases != null && i < cases.size(); i++) {
        JsonNode c = cases.get(i);
        all.add(Arguments.of(family + "#" + i + " " + c.get("params"), c));
      }
    }
    return all.stream();
  }

  static Stream<Arguments> stepCases() {
    return cases().filter(a -> !((JsonNode) a.get()[1]).has("metrics"));
  }

  static Stream<Arguments> metricCases() {
    return cases().filter(a -> ((JsonNode) a.get()[1]).has("metrics"));
  }

  private static Schedule build(JsonNode c) {
    @SuppressWarnings("unchecked")
    Map<String, Object> params = JSON.convertValue(c.get("params"), Map.class);
    return Schedules.build(c.get("type").asText(), params, c.get("base_lr").asDouble());
  }

  private static void assertStep(Schedule schedule, JsonNode c, int step) {
    assertThat(schedule.lr(step))
        .as("lr(%d)", step)
        .isCloseTo(c.get("lr").get(step).asDouble(), within(TOLERANCE));
    if (c.has("momentum")) {
      assertThat(schedule.momentum(step))
          .as("momentum(%d)", step)
          .hasValueCloseTo(c.get("momentum").get(step).asDouble(), within(TOLERANCE));
    } else {
      assertThat(schedule.momentum(step)).as("momentum(%d)", step).isEmpty();
    }
  }

  @Test
  void references_everyRegisteredTorchName_hasAtLeastThreeCases() {
    assertThat(torchNames()).hasSize(14);
    for (String name : torchNames()) {
      JsonNode cases = references(name);
      assertThat(cases).as("reference file for %s", name).isNotNull();
      assertThat(cases.size()).as("cases for %s", name).isGreaterThanOrEqualTo(3);
      for (JsonNode c : cases) {
        assertThat(c.get("type").asText()).isEqualTo(name);
        assertThat(c.get("lr").size()).isEqualTo(301);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stepCases")
  void lr_inStepOrder_matchesTorch(String label, JsonNode c) {
    Schedule schedule = build(c);
    for (int step = 0; step <= 300; step++) {
      assertStep(schedule, c, step);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stepCases")
  void lr_inShuffledOrder_matchesTorch(String label, JsonNode c) {
    Schedule schedule = build(c);
    List<Integer> steps = new ArrayList<>();
    for (int step = 0; step <= 300; step++) {
      steps.add(step);
    }
    Collections.shuffle(steps, new Random(label.hashCode()));
    for (int step : steps) {
      assertStep(schedule, c, step);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metricCases")
  void observe_metricStream_matchesTorch(String label, JsonNode c) {
    MetricSchedule schedule = (MetricSchedule) build(c);
    JsonNode metrics = c.get("metrics");
    JsonNode lrs = c.get("lr");
    assertThat(schedule.lr(0)).isCloseTo(lrs.get(0).asDouble(), within(TOLERANCE));
    for (int k = 1; k < lrs.size(); k++) {
      schedule.observe(metrics.get(k - 1).asDouble());
      assertThat(schedule.lr(k))
          .as("lr after %d metrics", k)
          .isCloseTo(lrs.get(k).asDouble(), within(TOLERANCE));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metricCases")
  void restore_midStream_continuesLikeTorch(String label, JsonNode c) {
    MetricSchedule first = (MetricSchedule) build(c);
    JsonNode metrics = c.get("metrics");
    for (int k = 1; k <= 150; k++) {
      first.observe(metrics.get(k - 1).asDouble());
    }
    MetricSchedule resumed = (MetricSchedule) build(c);
    resumed.restore(first.state());
    for (int k = 151; k < c.get("lr").size(); k++) {
      resumed.observe(metrics.get(k - 1).asDouble());
      assertThat(resumed.lr(k)).isCloseTo(c.get("lr").get(k).asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void reduceLrOnPlateau_withReductions_referenceIsNotTrivial() {
    for (JsonNode c : references("ReduceLROnPlateau")) {
      JsonNode lrs = c.get("lr");
      assertThat(lrs.get(300).asDouble()).isLessThan(lrs.get(0).asDouble());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stepCases")
  void asTracker_updateN_givesLrOfStepNMinus1(String label, JsonNode c) {
    Schedule schedule = build(c);
    for (int n = 1; n <= 301; n++) {
      assertThat(schedule.asTracker().getNewValue(n)).isEqualTo((float) schedule.lr(n - 1L));
    }
  }
}
