package dev.runkit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

  static final List<String> SCHEDULES =
      List.of("constant", "constant_with_warmup", "cosine", "cosine_with_restarts", "linear");

  @ParameterizedTest
  @CsvSource({
    "cosin, cosine",
    "Cosine_With_Restart, cosine_with_restarts",
    "constant_with_warmpu, constant_with_warmup",
    "constant_with, constant_with_warmup",
    "constnt, constant",
    "linear-, linear"
  })
  void nearest_typo_isTheNameMeant(String typo, String meant) {
    assertThat(Names.nearest(typo, SCHEDULES)).hasValue(meant);
  }

  @Test
  void nearest_shortNameWrittenOut_isThatName() {
    // a sweep's MODE "maximum" got no hint once text past a whole name counted all its edits
    assertThat(Names.nearest("maximum", List.of("max", "min"))).hasValue("max");
    assertThat(Names.nearest("Minimum", List.of("max", "min"))).hasValue("min");
  }

  @Test
  void nearest_textPastAWholeName_isNotThatName() {
    // "constant" plus a long tail is no typo of "constant": switching to it would drop the warm-up
    assertThat(Names.nearest("constant_with_linear_warmup", List.of("constant"))).isEmpty();
  }

  @Test
  void didYouMean_nothingNear_isEmpty() {
    assertThat(Names.didYouMean("adam", SCHEDULES)).isEmpty();
  }
}
