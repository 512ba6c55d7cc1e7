package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runkit.config.ConfigFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Search spaces from code and from config: forms, canonical values and pinned messages. */
class SpaceTest {

  private static Space read(String yaml) {
    return Space.fromConfig(ConfigFiles.parse(yaml, "text"), "SWEEP.SPACE");
  }

  @Test
  void fromConfig_everyForm_equalsTheSameSpaceInCode() {
    Space fromConfig =
        read(
            """
            TRAIN.OPTIM.PARAM.lr: {TYPE: loguniform, LOW: 1.0e-4, HIGH: 0.1}
            TRAIN.OPTIM.PARAM.weight_decay: uniform(0, 0.1)
            MODEL.PARAM.hidden: [[64], [128, 64]]
            TRAIN.OPTIM.TYPE: {TYPE: choice, VALUES: [AdamW, SGD]}
            DATA.BATCH_SIZE: int(16, 128, log)
            TRAIN.CLIP_GRAD_PARAM.max_norm: {TYPE: int, LOW: 1, HIGH: 5}
            ENV.SEED: {TYPE: grid, VALUES: [1, 2, 3]}
            TRAIN.OPTIM.PARAM.eps: loguniform(1e-9, 1e-6)
            """);
    Space inCode =
        Space.of()
            .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-4, 0.1)
            .uniform("TRAIN.OPTIM.PARAM.weight_decay", 0, 0.1)
            .choice("MODEL.PARAM.hidden", List.of(64), List.of(128, 64))
            .choice("TRAIN.OPTIM.TYPE", "AdamW", "SGD")
            .integer("DATA.BATCH_SIZE", 16, 128, true)
            .integer("TRAIN.CLIP_GRAD_PARAM.max_norm", 1, 5)
            .grid("ENV.SEED", 1, 2, 3)
            .loguniform("TRAIN.OPTIM.PARAM.eps", 1e-9, 1e-6);
    assertThat(fromConfig.params()).isEqualTo(inCode.params());
    // the full form read back gives the same space
    assertThat(Space.fromConfig(fromConfig.toConfig(), "SWEEP.SPACE").params())
        .isEqualTo(inCode.params());
  }

  @Test
  void values_areCanonical_wholeNumbersLongOthersDouble() {
    Param.Choice c = new Param.Choice("k", List.of(1, 2.5f, List.of(64, 32), "x", true));
    assertThat(c.values()).containsExactly(1L, 2.5, List.of(64L, 32L), "x", true);
    assertThat(c.values().get(0)).isInstanceOf(Long.class);
  }

  @Test
  void badRanges_throwWithKeyAndValues() {
    assertThatThrownBy(() -> Space.of().uniform("TRAIN.OPTIM.PARAM.lr", 0.1, 0.01))
        .hasMessage("TRAIN.OPTIM.PARAM.lr: uniform needs LOW < HIGH, got LOW 0.1, HIGH 0.01");
    assertThatThrownBy(() -> Space.of().loguniform("TRAIN.OPTIM.PARAM.lr", 0, 0.1))
        .hasMessage(
            "TRAIN.OPTIM.PARAM.lr: loguniform needs LOW > 0 (it draws log(value)), got LOW 0.0");
    assertThatThrownBy(() -> Space.of().integer("DATA.BATCH_SIZE", 0, 64, true))
        .hasMessage(
            "DATA.BATCH_SIZE: int with LOG needs LOW >= 1 (it draws log(value)), got LOW 0");
    assertThatThrownBy(() -> Space.of().integer("DATA.BATCH_SIZE", 64, 64))
        .hasMessage("DATA.BATCH_SIZE: int needs LOW < HIGH, got LOW 64, HIGH 64");
    assertThatThrownBy(() -> Space.of().choice("TRAIN.OPTIM.TYPE"))
        .hasMessage("TRAIN.OPTIM.TYPE: choice needs at least one value, got []");
    assertThatThrownBy(() -> Space.of().grid("ENV.SEED", 1, 2, 1))
        .hasMessage("ENV.SEED: grid lists 1 twice, got [1, 2, 1]");
    assertThatThrownBy(() -> Space.of().uniform("a", 0, 1).uniform("a", 1, 2))
        .hasMessage("the search space has a twice; give each key path once");
    assertThatThrownBy(() -> Space.of().uniform("TRAIN..lr", 0, 1))
        .hasMessage(
            "a search-space key must be a dotted config key path (e.g. TRAIN.OPTIM.PARAM.lr), got"
                + " \"TRAIN..lr\"");
  }

  @Test
  void badEntries_inConfig_namePathTypeAndNearest() {
    assertThatThrownBy(() -> read("TRAIN.OPTIM.PARAM.lr: {TYPE: logunifrom, LOW: 1, HIGH: 2}"))
        .hasMessage(
            "Unknown search-space type \"logunifrom\" at SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr.TYPE;"
                + " expected one of [choice, grid, uniform, loguniform, int]. Did you mean"
                + " \"loguniform\"?");
    assertThatThrownBy(() -> read("TRAIN.OPTIM.PARAM.lr: {TYPE: loguniform, LOW: 0.1, HIGH: 0.01}"))
        .hasMessage(
            "SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr: loguniform needs LOW < HIGH, got LOW 0.1, HIGH 0.01");
    assertThatThrownBy(() -> read("TRAIN.OPTIM.PARAM.lr: {TYPE: loguniform, LOW: 0.1, HGH: 1}"))
        .hasMessage(
            "Missing required parameter SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr.HIGH. Did you mean"
                + " \"HIGH\" instead of \"HGH\"?");
    assertThatThrownBy(
            () -> read("TRAIN.OPTIM.PARAM.lr: {TYPE: uniform, LOW: 0, HIGH: 1, STEP: 2}"))
        .hasMessageStartingWith(
            "Unknown parameter \"STEP\" at SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr.STEP; accepted are");
    assertThatThrownBy(() -> read("MODEL.PARAM.hidden: []"))
        .hasMessage("SWEEP.SPACE.MODEL.PARAM.hidden: choice needs at least one value, got []");
    assertThatThrownBy(() -> read("TRAIN.OPTIM.PARAM.lr: 0.01"))
        .hasMessage(
            "SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr must be a list of choices, a map {TYPE: loguniform,"
                + " LOW: .., HIGH: ..} or a text such as loguniform(1e-4, 0.1) or int(16, 256, log),"
                + " got 0.01 (a number)");
    assertThatThrownBy(() -> read("DATA.BATCH_SIZE: int(16)"))
        .hasMessage(
            "SWEEP.SPACE.DATA.BATCH_SIZE: int(...) takes LOW, HIGH and an optional log, got (16)");
    assertThatThrownBy(() -> read("TRAIN.OPTIM.PARAM.lr: loguniform(1e-4, x)"))
        .hasMessage("SWEEP.SPACE.TRAIN.OPTIM.PARAM.lr.HIGH must be a number, got \"x\" (text)");
    assertThatThrownBy(() -> Space.fromConfig(Map.of(), "SWEEP.SPACE"))
        .hasMessageStartingWith("SWEEP.SPACE must map config key paths to their values");
  }
}
