package dev.runkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetsTest {

  @TempDir Path tmp;

  static List<String> names() {
    return Datasets.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void build_everyName_givesTrainingDataMatchingItsInfo(String name) throws IOException {
    Path csv = tmp.resolve("t.csv");
    Files.writeString(csv, "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n11,12,1\n13,14,0\n");
    Map<String, Object> params =
        switch (name) {
          case "csv" -> Map.of("path", "t.csv");
          case "series_csv" -> Map.of("path", "t.csv", "column", "a", "window", 2);
          default -> Map.of();
        };
    SplitData d = Datasets.build(name, params, 1, tmp, "DATA");
    assertThat(d.train().size()).isPositive();
    float[] first = firstExample(d.train());
    assertThat((long) first.length).isEqualTo(d.info().features());
  }

  private static float[] firstExample(Examples e) {
    if (e instanceof LabeledData l) {
      return Arrays.copyOf(l.features(), l.columns());
    }
    Windows w = (Windows) e;
    return Arrays.copyOf(w.inputs(), w.window());
  }

  @Test
  void co2_hasFiftyNineMissingWeeks() {
    Series co2 = Series.co2();
    assertThat(co2.length()).isEqualTo(2284);
    long missing = 0;
    for (float v : co2.values()) {
      missing += Float.isNaN(v) ? 1 : 0;
    }
    assertThat(missing).isEqualTo(59);
  }

  @Test
  void seriesSplit_inTimeOrder_normalisedOnTraining_missingInputsFilledTargetsKept() {
    SplitData d = Series.co2().split(26, 4, Ratio.of(0.7, 0.1, 0.2), true);
    int windows = 2284 - 26 - 4 + 1;
    assertThat(d.train().size() + d.validation().size() + d.test().size()).isEqualTo(windows);
    assertThat(d.validation().size()).isEqualTo(Math.round(windows * 0.1));
    Windows train = (Windows) d.train();
    for (float v : train.inputs()) {
      assertThat(v).isNotNaN();
    }
    long nanTargets = 0;
    double sum = 0;
    for (float v : train.targets()) {
      if (Float.isNaN(v)) {
        nanTargets++;
      } else {
        sum += v;
      }
    }
    assertThat(nanTargets).isPositive();
    // z-scored on the training steps: the training targets average near 0
    assertThat(sum / (train.targets().length - nanTargets)).isBetween(-0.1, 0.1);
    // the second window starts one step later than the first
    assertThat(train.inputs()[26]).isEqualTo(train.inputs()[1]);
    assertThat(d.info().exampleShape()).containsExactly(26, 1);
    assertThat(d.info().outputs()).isEqualTo(4);
  }

  @Test
  void seriesSplit_normalised_exposesTheScalerThatUndoesIt() {
    float[] raw = Series.co2().values();
    SplitData d = Series.co2().split(26, 4, Ratio.of(0.7, 0.1, 0.2), true);
    Windows test = (Windows) d.test();
    int firstTest = d.train().size() + d.validation().size();
    for (int i = 0; i < test.size(); i += 37) {
      float target = test.targets()[i * 4 + 3];
      float truth = raw[firstTest + i + 26 + 3];
      if (!Float.isNaN(truth)) {
        assertThat(d.scaler().denormalize(target))
            .as("window %d", i)
            .isCloseTo(truth, within(1e-3));
      }
    }
    // the statistics of the training steps, recomputed by hand
    int trainSteps = d.train().size() - 1 + 26 + 4;
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (int i = 0; i < trainSteps; i++) {
      if (!Float.isNaN(raw[i])) {
        sum += raw[i];
        sq += (double) raw[i] * raw[i];
        n++;
      }
    }
    double mean = sum / n;
    assertThat(d.scaler().mean()).isCloseTo(mean, within(1e-9));
    assertThat(d.scaler().std()).isCloseTo(Math.sqrt(sq / n - mean * mean), within(1e-9));
    assertThat(Series.co2().split(26, 4, Ratio.of(0.7, 0.1, 0.2), false).scaler())
        .isEqualTo(Scaler.identity());
  }

  @Test
  void scaler_zeroStd_throws() {
    assertThatThrownBy(() -> new Scaler(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a scaler needs a finite mean and a finite std > 0, got mean 1.0 and std 0.0");
  }

  @Test
  void classificationSplit_sizesFollowRatio_andSeedFixesOrder() {
    SplitData a =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.2, 0.1), 5);
    SplitData b =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.2, 0.1), 5);
    SplitData c =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.2, 0.1), 6);
    assertThat(a.train().size()).isEqualTo(1258);
    assertThat(a.validation().size()).isEqualTo(359);
    assertThat(a.test().size()).isEqualTo(180);
    assertThat(((LabeledData) a.train()).labels()).isEqualTo(((LabeledData) b.train()).labels());
    assertThat(((LabeledData) a.train()).labels()).isNotEqualTo(((LabeledData) c.train()).labels());
    assertThat(a.info().outputs()).isEqualTo(10);
  }

  @Test
  void csv_textLabels_areNumberedInSortedOrder() throws IOException {
    Path f = tmp.resolve("f.csv");
    Files.writeString(f, "x,kind\n1.5,b\n2.5,a\n3.5,c\n4.5,a\n");
    CsvTable t = CsvTable.read(f, true);
    LabeledData d = t.labeled(t.column("kind"));
    assertThat(d.labels()).containsExactly(1, 0, 2, 0);
    assertThat(d.features()).containsExactly(1.5f, 2.5f, 3.5f, 4.5f);
  }

  @Test
  void csv_unknownLabelColumn_namesColumnsAndNearest() throws IOException {
    Path f = tmp.resolve("f.csv");
    Files.writeString(f, "x,species\n1,a\n2,b\n3,a\n4,b\n5,a\n");
    assertThatThrownBy(
            () -> Datasets.build("csv", Map.of("path", "f.csv", "label", "specis"), 1, tmp, "DATA"))
        .hasMessage(
            "Unknown column \"specis\" at DATA.PARAM.label; "
                + f
                + " has columns [x, species]. Did you mean \"species\"?");
  }

  @Test
  void column_unknownFromCode_namesColumnsAndNearestButNoKeyPath() throws IOException {
    Path f = tmp.resolve("f.csv");
    Files.writeString(f, "x,species\n1,a\n2,b\n");
    CsvTable t = CsvTable.read(f, true);

    assertThat(t.column("SPECIES")).isEqualTo(1);
    assertThat(t.column("-1")).isEqualTo(1);
    assertThatThrownBy(() -> t.column("specis"))
        .hasMessage(
            "Unknown column \"specis\"; "
                + f
                + " has columns [x, species]. Did you mean \"species\"?");
  }

  @Test
  void seriesCsv_fromCode_readsTheNamedColumn() throws IOException {
    Path f = tmp.resolve("s.csv");
    Files.writeString(f, "month,units\n1,10\n2,\n3,30\n");

    Series s = Series.csv(f, "units");

    assertThat(s.name()).isEqualTo("s.csv");
    assertThat(s.values()).containsExactly(10f, Float.NaN, 30f);
    assertThatThrownBy(() -> Series.csv(f, "unit"))
        .hasMessage(
            "Unknown column \"unit\"; "
                + f
                + " has columns [month, units]. Did you mean \"units\"?");
  }

  @Test
  void csv_textInFeatureColumn_namesRowAndColumn() throws IOException {
    Path f = tmp.resolve("f.csv");
    Files.writeString(f, "x,y\n1,0\nabc,1\n");
    CsvTable t = CsvTable.read(f, true);
    assertThatThrownBy(() -> t.labeled(1))
        .hasMessage(f + ": data row 2, column \"x\" must be a number, got \"abc\"");
  }

  @Test
  void build_unknownName_listsNamesAndNearest() {
    assertThatThrownBy(() -> Datasets.build("digit", null, 1, tmp, "DATA"))
        .hasMessage(
            "Unknown data set \"digit\" at DATA.NAME; expected one of [digits, iris, co2,"
                + " sunspots, csv, series_csv]. Did you mean \"digits\"?");
  }

  @Test
  void build_badRatio_namesKeyAndRule() {
    assertThatThrownBy(
            () ->
                Datasets.build(
                    "iris", Map.of("train_val_test_ratio", List.of(0.5, 0.2)), 1, tmp, "DATA"))
        .hasMessage(
            "DATA.PARAM.train_val_test_ratio must be three shares >= 0 (train > 0) summing to 1,"
                + " got [0.5, 0.2]");
  }

  @Test
  void build_windowLongerThanSeries_explains() {
    assertThatThrownBy(() -> Datasets.build("sunspots", Map.of("window", 400), 1, tmp, "DATA"))
        .hasMessage("DATA.PARAM: sunspots has 309 steps, fewer than window + horizon = 401");
  }
}
