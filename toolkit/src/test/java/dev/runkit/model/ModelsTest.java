package dev.runkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.runkit.data.DataInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelsTest {

  private static final DataInfo DIGITS =
      new DataInfo("digits", DataInfo.Task.CLASSIFICATION, new long[] {64}, 10);
  private static final DataInfo SERIES =
      new DataInfo("co2", DataInfo.Task.FORECASTING, new long[] {12, 1}, 3);

  static List<String> names() {
    return Models.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void checkFits_everyBuiltInOnItsKindOfData_passes(String name) {
    DataInfo data = name.equals("LSTM") || name.equals("GRU") ? SERIES : DIGITS;
    Models.checkFits(Models.factory(name, "MODEL.NAME"), Map.of(), data, "MODEL", name);
  }

  @ParameterizedTest
  @MethodSource("names")
  void build_everyBuiltIn_rejectsUnknownParameter(String name) {
    DataInfo data = name.equals("LSTM") || name.equals("GRU") ? SERIES : DIGITS;
    assertThatThrownBy(() -> Models.build(name, Map.of("dropuot", 0.1), data, "MODEL"))
        .hasMessageStartingWith("Unknown parameter \"dropuot\" at MODEL.PARAM.dropuot;")
        .hasMessageEndingWith("Did you mean \"dropout\"?");
  }

  @Test
  void mlp_badActivation_namesNearest() {
    assertThatThrownBy(() -> Models.build("MLP", Map.of("activation", "rellu"), DIGITS, "MODEL"))
        .hasMessageStartingWith(
            "Unknown activation \"rellu\" at MODEL.PARAM.activation; expected one of [relu,")
        .hasMessageEndingWith("Did you mean \"relu\"?");
  }

  @Test
  void mlp_dropoutOutOfRange_namesRange() {
    assertThatThrownBy(() -> Models.build("MLP", Map.of("dropout", 1.0), DIGITS, "MODEL"))
        .hasMessage("MODEL.PARAM.dropout must be in [0, 1), got 1.0");
  }

  @Test
  void cnn_nonSquareDataWithoutImage_asksForImage() {
    DataInfo iris = new DataInfo("iris", DataInfo.Task.CLASSIFICATION, new long[] {5}, 3);
    assertThatThrownBy(() -> Models.build("CNN", Map.of(), iris, "MODEL"))
        .hasMessage(
            "Missing required parameter MODEL.PARAM.image: DATA iris gives 5 values per example,"
                + " not a square image; give [channels, height, width]");
  }

  @Test
  void maskedMae_ignoresMissingTargets() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray target =
          m.create(new float[] {1, Float.NaN, 3, 5}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray pred = m.create(new float[] {2, 100, 3, 1}, new ai.djl.ndarray.types.Shape(2, 2));
      float mae = MaskedLoss.mae().evaluate(new NDList(target), new NDList(pred)).getFloat();
      float mse = MaskedLoss.mse().evaluate(new NDList(target), new NDList(pred)).getFloat();
      assertThat(mae).isEqualTo((1 + 0 + 4) / 3f);
      assertThat(mse).isEqualTo((1 + 0 + 16) / 3f);
    }
  }

  @Test
  void losses_unknownName_namesNearest() {
    assertThatThrownBy(() -> Losses.build("masked_ma", "TRAIN.LOSS"))
        .hasMessageStartingWith("Unknown loss \"masked_ma\" at TRAIN.LOSS; expected one of [")
        .hasMessageEndingWith("Did you mean \"masked_mae\"?");
  }
}
