package dev.runkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryTest {

  final Registry<String> registry =
      new Registry<String>("schedule")
          .register("cosine", "cosine factory")
          .register("constant_with_warmup", "constant factory")
          .alias("cosine_with_warmup", "COSINE");

  @Test
  void alias_findsItsNameInAnyCase_butIsNotListed() {
    assertThat(registry.get("Cosine_With_Warmup", "TYPE")).isEqualTo("cosine factory");
    assertThat(registry.canonicalName("COSINE_WITH_WARMUP", "TYPE")).isEqualTo("cosine");
    assertThat(registry.contains("cosine_with_warmup")).isTrue();
    assertThat(registry.names()).containsExactly("cosine", "constant_with_warmup");
    assertThat(registry.aliases()).isEqualTo(Map.of("cosine_with_warmup", "cosine"));
  }

  @Test
  void get_typoOfAnAlias_suggestsTheAliasAndItsName() {
    assertThatThrownBy(() -> registry.get("cosin_with_warmup", "TRAIN.LR_SCHEDULER.TYPE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown schedule \"cosin_with_warmup\" at TRAIN.LR_SCHEDULER.TYPE; expected one of"
                + " [cosine, constant_with_warmup]. Did you mean \"cosine_with_warmup\" (an alias"
                + " of \"cosine\")?");
  }

  @Test
  void alias_ofAnUnknownName_throws() {
    assertThatThrownBy(() -> registry.alias("linear_with_warmup", "linear"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "alias \"linear_with_warmup\" stands for schedule \"linear\", which is not registered");
  }

  @Test
  void alias_takenByANameOrAnAlias_throws() {
    assertThatThrownBy(() -> registry.alias("Cosine", "constant_with_warmup"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("schedule \"Cosine\" is already registered as \"cosine\"");
    assertThatThrownBy(() -> registry.register("COSINE_WITH_WARMUP", "other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("schedule \"COSINE_WITH_WARMUP\" is already an alias of \"cosine\"");
  }
}
