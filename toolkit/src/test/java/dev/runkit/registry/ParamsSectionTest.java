package dev.runkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nested-section and text reads of {@link Params} that configs use. */
class ParamsSectionTest {

  private final Params top =
      Params.of("", Map.of("TRAIN", Map.of("OPTIM", Map.of("TYPE", "SGD")), "ENV", 3));

  @Test
  void section_nested_reportsFullPath() {
    Params optim = top.section("TRAIN").section("OPTIM");
    assertThat(optim.path("TYPE")).isEqualTo("TRAIN.OPTIM.TYPE");
    assertThat(optim.requiredString("TYPE")).isEqualTo("SGD");
  }

  @Test
  void section_missing_throwsWithNearestGivenKey() {
    Params p = Params.of("", Map.of("TRIAN", Map.of()));
    assertThatThrownBy(() -> p.section("TRAIN"))
        .hasMessage("Missing required section TRAIN. Did you mean \"TRAIN\" instead of \"TRIAN\"?");
  }

  @Test
  void section_notAMap_throwsWithType() {
    assertThatThrownBy(() -> top.section("ENV"))
        .hasMessage("ENV must be a map of keys to values, got 3 (an integer)");
  }

  @Test
  void optionalSection_absent_isEmptyWithPath() {
    Params val = top.optionalSection("VAL");
    assertThat(val.path("INTERVAL")).isEqualTo("VAL.INTERVAL");
    assertThat(val.optionalLong("INTERVAL", 7)).isEqualTo(7);
  }

  @Test
  void requireOnly_unknownKey_throwsBeforeReads() {
    Params train = Params.of("TRAIN", Map.of("NUM_ITERATION", 5));
    assertThatThrownBy(() -> train.requireOnly("NUM_ITERATIONS", "NUM_EPOCHS"))
        .hasMessage(
            "Unknown parameter \"NUM_ITERATION\" at TRAIN.NUM_ITERATION; accepted are"
                + " [NUM_ITERATIONS, NUM_EPOCHS]. Did you mean \"NUM_ITERATIONS\"?");
  }

  @Test
  void requiredString_list_throwsWrongType() {
    Params p = Params.of("MODEL", Map.of("NAME", new java.util.ArrayList<>(List.of("MLP"))));
    assertThatThrownBy(() -> p.requiredString("NAME"))
        .hasMessage("MODEL.NAME must be a text value, got [MLP] (a list)");
  }

  @Test
  void requiredLong_beyondLongRange_saysTheRangeNotTheType() {
    // it said "must be an integer, got 99999999999999999999999 (BigInteger)"
    Params p =
        Params.of(
            "TRAIN", Map.of("NUM_ITERATIONS", new java.math.BigInteger("99999999999999999999999")));
    assertThatThrownBy(() -> p.requiredLong("NUM_ITERATIONS"))
        .hasMessage(
            "TRAIN.NUM_ITERATIONS must be an integer between -9e15 and 9e15, got"
                + " 99999999999999999999999");
  }

  @Test
  void kind_yamlValues_namedInConfigWords() {
    assertThat(
            java.util.Arrays.asList(
                "x", true, 3, 3L, 2.5, List.of(1), new int[] {1}, Map.of("a", 1), null))
        .extracting(Params::kind)
        .containsExactly(
            "text",
            "true/false",
            "an integer",
            "an integer",
            "a number",
            "a list",
            "a list",
            "a map",
            "nothing");
  }

  @Test
  void optionalString_number_isItsText() {
    Params p = Params.of("DATA.PARAM", Map.of("label", 4));
    assertThat(p.optionalString("label", "-1")).isEqualTo("4");
    assertThat(p.optionalString("other", "-1")).isEqualTo("-1");
  }
}
