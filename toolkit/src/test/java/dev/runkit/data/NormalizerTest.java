package dev.runkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tabular features standardised with the training part's statistics only, and what a model keeps of
 * its data as string properties.
 */
class NormalizerTest {

  @TempDir Path tmp;

  private static double[] meanAndStd(float[] x, int columns, int column) {
    int n = x.length / columns;
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += x[r * columns + column];
    }
    double mean = sum / n;
    double sq = 0;
    for (int r = 0; r < n; r++) {
      double d = x[r * columns + column] - mean;
      sq += d * d;
    }
    return new double[] {mean, Math.sqrt(sq / n)};
  }

  @Test
  void normalized_fitsOnTrainingOnly_andAppliesTheSameToValidationAndTest() {
    CsvTable t = CsvTable.read(OwnCsv.iris(tmp.resolve("iris.csv")), true);
    SplitData raw = SplitData.classification("iris", t.labeled(4), Ratio.of(0.6, 0.2, 0.2), 42);
    SplitData d = raw.normalized();
    float[] trainRaw = ((LabeledData) raw.train()).features();
    float[] valRaw = ((LabeledData) raw.validation()).features();
    Normalizer n = d.normalizer();
    assertThat(n.size()).isEqualTo(4);
    for (int c = 0; c < 4; c++) {
      double[] ms = meanAndStd(trainRaw, 4, c);
      assertThat(n.columns().get(c).mean()).isCloseTo(ms[0], within(1e-5 * Math.abs(ms[0])));
      assertThat(n.columns().get(c).std()).isCloseTo(ms[1], within(1e-5 * ms[1]));
      // the training part is standardised; validation used the training statistics
      double[] z = meanAndStd(((LabeledData) d.train()).features(), 4, c);
      assertThat(z[0]).isCloseTo(0, within(1e-5));
      assertThat(z[1]).isCloseTo(1, within(1e-5));
      float v = ((LabeledData) d.validation()).features()[c];
      assertThat(v).isEqualTo((float) ((valRaw[c] - n.means()[c]) / n.stds()[c]));
    }
    // petal length in 20-40 comes out like the others
    assertThat(n.means()[2]).isBetween(25f, 35f);
    assertThat(((LabeledData) d.test()).labels()).isEqualTo(((LabeledData) raw.test()).labels());
    assertThat(d.info()).isEqualTo(raw.info());
  }

  @Test
  void normalized_regression_standardisesTargetsOnTrainingOnly_andKeepsThemWithTheModel() {
    CsvTable t = CsvTable.read(OwnCsv.houses(tmp.resolve("houses.csv"), 300, 5), true);
    SplitData raw =
        SplitData.regression("houses", t.regression(t.column("price")), Ratio.of(0.6, 0.2, 0.2), 4);
    SplitData d = raw.normalized();
    assertThat(raw.targetNormalizer()).isNull();
    Normalizer n = d.targetNormalizer();
    assertThat(n.size()).isEqualTo(1);
    float[] trainRaw = ((RegressionData) raw.train()).targets();
    double[] ms = meanAndStd(trainRaw, 1, 0);
    assertThat(n.columns().get(0).mean()).isCloseTo(ms[0], within(1e-6 * ms[0]));
    assertThat(n.columns().get(0).std()).isCloseTo(ms[1], within(1e-5 * ms[1]));
    double[] z = meanAndStd(((RegressionData) d.train()).targets(), 1, 0);
    assertThat(z[0]).isCloseTo(0, within(1e-5));
    assertThat(z[1]).isCloseTo(1, within(1e-5));
    // validation with the training statistics, and back into prices
    float[] valRaw = ((RegressionData) raw.validation()).targets();
    float[] val = ((RegressionData) d.validation()).targets();
    assertThat(val[0]).isEqualTo((float) ((valRaw[0] - n.means()[0]) / n.stds()[0]));
    float[] back = n.denormalize(val);
    for (int i = 0; i < val.length; i++) {
      assertThat(back[i]).isCloseTo(valRaw[i], within(0.02f));
    }
    // R²'s baseline stays in prices; the model keeps both normalisers apart
    assertThat(d.targetMeans()[0]).isCloseTo(raw.targetMeans()[0], within(1e-6 * ms[0]));
    Map<String, String> p = d.properties();
    assertThat(Normalizer.fromProperties(p)).contains(d.normalizer());
    assertThat(Normalizer.fromProperties(p, Normalizer.TARGETS)).contains(n);
    // classes have no targets to standardise
    SplitData iris =
        SplitData.classification("iris", LabeledData.iris(), Ratio.of(0.8, 0.2, 0), 1).normalized();
    assertThat(iris.targetNormalizer()).isNull();
    assertThat(Normalizer.fromProperties(iris.properties(), Normalizer.TARGETS)).isEmpty();
  }

  @Test
  void normalized_constantColumn_isCentredNotDividedByZero() throws IOException {
    Path f = Files.writeString(tmp.resolve("c.csv"), "a,k,y\n1,5,0\n2,5,1\n3,5,0\n4,5,1\n");
    SplitData d =
        SplitData.classification("c", CsvTable.read(f, true).labeled(2), Ratio.of(1, 0, 0), 1)
            .normalized();
    assertThat(d.normalizer().columns().get(1)).isEqualTo(new Scaler(5, 1));
    float[] x = ((LabeledData) d.train()).features();
    for (int r = 0; r < 4; r++) {
      assertThat(x[r * 2 + 1]).isZero();
    }
  }

  @Test
  void normalized_twice_throws_andSeriesWindowsAreNotTabular() {
    SplitData d =
        SplitData.classification("iris", LabeledData.iris(), Ratio.of(0.8, 0.2, 0), 1).normalized();
    assertThatThrownBy(d::normalized)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("iris is normalised already");
    SplitData co2 = Series.co2().split(8, 1, Ratio.of(0.7, 0.1, 0.2), true);
    assertThatThrownBy(co2::normalized)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "normalized() standardises the columns of tabular rows (LabeledData, RegressionData),"
                + " but the examples of co2 are Windows");
  }

  @Test
  void configCsv_normalisesByDefault_notWhenTurnedOff() {
    OwnCsv.iris(tmp.resolve("iris.csv"));
    SplitData on = Datasets.build("csv", Map.of("path", "iris.csv"), 42, tmp, "DATA");
    SplitData off =
        Datasets.build("csv", Map.of("path", "iris.csv", "normalize", false), 42, tmp, "DATA");
    assertThat(on.normalizer()).isNotNull();
    assertThat(off.normalizer()).isNull();
    assertThat(on.normalizer()).isEqualTo(off.normalized().normalizer());
    assertThat(((LabeledData) on.validation()).features())
        .isEqualTo(((LabeledData) off.normalized().validation()).features());
  }

  @Test
  void properties_roundTrip_normalizerBitForBit_andClassNamesOfAnyText() {
    SplitData d =
        SplitData.regression(
                "linear",
                CsvTable.read(OwnCsv.linear(tmp.resolve("l.csv"), 200, 5), true).regression(3),
                Ratio.of(0.8, 0.2, 0),
                1)
            .normalized();
    Map<String, String> p = d.properties();
    assertThat(p)
        .containsKeys(
            "runkit.data.name",
            "runkit.data.task",
            "runkit.data.example_shape",
            "runkit.data.outputs",
            "runkit.data.normalizer.mean",
            "runkit.data.normalizer.std");
    assertThat(p.get("runkit.data.task")).isEqualTo("regression");
    assertThat(Normalizer.fromProperties(p)).contains(d.normalizer());
    assertThat(DataInfo.fromProperties(p)).contains(d.info());

    List<String> odd = List.of("high, \"very\"", "back\\slash", "é", "日本", "\uD83D\uDE00", "");
    DataInfo named =
        new DataInfo("odd", DataInfo.Task.CLASSIFICATION, new long[] {4}, odd.size(), odd);
    assertThat(named.toProperties().get("runkit.data.classes")).isASCII();
    assertThat(DataInfo.fromProperties(named.toProperties())).contains(named);
    assertThat(DataInfo.fromProperties(Map.of("Epoch", "3"))).isEmpty();
    assertThat(Normalizer.fromProperties(Map.of())).isEmpty();
  }

  @Test
  void dataInfo_classNamesMustBeOnePerClassAndDistinct() {
    assertThatThrownBy(
            () ->
                new DataInfo(
                    "x", DataInfo.Task.CLASSIFICATION, new long[] {4}, 3, List.of("a", "b")))
        .hasMessage("x has 3 classes but 2 class names");
    assertThatThrownBy(
            () ->
                new DataInfo(
                    "x", DataInfo.Task.CLASSIFICATION, new long[] {4}, 2, List.of("a", "a")))
        .hasMessage("x repeats a class name: [a, a]");
    assertThatThrownBy(
            () -> new DataInfo("x", DataInfo.Task.REGRESSION, new long[] {4}, 1, List.of("a")))
        .hasMessage("class names are for classification, but x is regression");
  }
}
