package dev.runkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own CSV: a continuous label is refused as classes, regression is asked for by name, text
 * labels keep their names, and the config keys of the {@code csv} data set are checked.
 */
class CsvTasksTest {

  @TempDir Path tmp;

  /** 30 rows whose label is 0.5, 1.5, ...: every value distinct and none whole. */
  private Path halves() throws IOException {
    StringBuilder b = new StringBuilder("x,y\n");
    for (int i = 0; i < 30; i++) {
      b.append(i).append(',').append(i + 0.5).append('\n');
    }
    return Files.writeString(tmp.resolve("halves.csv"), b);
  }

  @Test
  void labeled_continuousLabel_refusedNamingColumnWhatWasSeenAndTheWayOut() throws IOException {
    Path f = halves();
    CsvTable t = CsvTable.read(f, true);
    assertThatThrownBy(() -> t.labeled(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            f
                + ": the label column \"y\" looks like a quantity to predict, not classes (30"
                + " distinct values in 30 rows, non-integer values such as 0.5); for regression"
                + " use CsvTable.regression(column), to take its values as classes all the same"
                + " use CsvTable.classes(column)");
  }

  @Test
  void labeled_realValuedColumnOfAThousandRows_isNotTakenAsClasses() {
    Path f = OwnCsv.linear(tmp.resolve("linear.csv"), 1000, 3);
    CsvTable t = CsvTable.read(f, true);
    assertThatThrownBy(() -> t.labeled(t.column("y", "label")))
        .hasMessageContaining("the label column \"y\" looks like a quantity to predict")
        .hasMessageContaining(" distinct values in 1000 rows, non-integer values such as ");
  }

  @Test
  void labeled_manyDistinctWholeNumbers_refused_fewAreClasses() throws IOException {
    StringBuilder many = new StringBuilder("x,price\n");
    StringBuilder few = new StringBuilder("x,grade\n");
    for (int i = 0; i < 40; i++) {
      many.append(i).append(',').append(1000 + 7 * i).append('\n');
      few.append(i).append(',').append(i % 3).append('\n');
    }
    CsvTable prices = CsvTable.read(Files.writeString(tmp.resolve("p.csv"), many), true);
    CsvTable grades = CsvTable.read(Files.writeString(tmp.resolve("g.csv"), few), true);
    assertThatThrownBy(() -> prices.labeled(1))
        .hasMessageContaining("(40 distinct values in 40 rows); for regression");
    assertThat(grades.labeled(1).labels()).startsWith(0, 1, 2, 0);
    assertThat(grades.labeled(1).classes()).isEmpty();
  }

  @Test
  void classes_continuousLabel_takenAsClassesWhenAskedFor() throws IOException {
    CsvTable t = CsvTable.read(halves(), true);
    SplitData d = SplitData.classification("halves", t.classes(1), Ratio.of(1, 0, 0), 1);
    assertThat(d.info().outputs()).isEqualTo(30);
    assertThat(d.info().classes()).startsWith("0.5", "1.5", "10.5");
  }

  @Test
  void labeled_textLabels_keepTheirNamesInSortedOrder() {
    CsvTable t = CsvTable.read(OwnCsv.iris(tmp.resolve("iris.csv")), true);
    LabeledData rows = t.labeled(t.column("size", "label"));
    assertThat(rows.classes()).containsExactly("high", "low", "mid");
    // setosa (low) comes first in the file, virginica (high) last
    assertThat(rows.labels()[0]).isEqualTo(1);
    assertThat(rows.labels()[149]).isEqualTo(0);
    SplitData d = SplitData.classification("iris", rows, Ratio.of(0.8, 0.2, 0), 42);
    assertThat(d.info().classes()).containsExactly("high", "low", "mid");
    assertThat(((LabeledData) d.validation()).classes()).containsExactly("high", "low", "mid");
  }

  @Test
  void classification_numericLabels_keepTheirNumbersAsNames() {
    SplitData d =
        SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.8, 0.2, 0), 1);
    assertThat(d.info().classes())
        .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(d.info().toProperties()).doesNotContainKey("runkit.data.classes");
  }

  @Test
  void regression_targetColumns_becomeOutputs_otherColumnsFeatures() throws IOException {
    Path f = Files.writeString(tmp.resolve("r.csv"), "a,y,b,z\n1,0.5,2,10\n3,1.5,4,20\n");
    CsvTable t = CsvTable.read(f, true);
    RegressionData r = t.regression(3, 1);
    assertThat(r.columns()).isEqualTo(2);
    assertThat(r.outputs()).isEqualTo(2);
    assertThat(r.features()).containsExactly(1, 2, 3, 4);
    assertThat(r.targets()).containsExactly(10, 0.5f, 20, 1.5f);
    SplitData d = SplitData.regression("r", r, Ratio.of(1, 0, 0), 1);
    assertThat(d.info().task()).isEqualTo(DataInfo.Task.REGRESSION);
    assertThat(d.info().outputs()).isEqualTo(2);
    assertThat(d.info().outputsNoun()).isEqualTo("targets");
    assertThat(d.info().classes()).isEmpty();
    assertThat(d.targetMeans()).containsExactly(15, 1);
  }

  @Test
  void regression_textTarget_namesRowAndColumn() throws IOException {
    Path f = Files.writeString(tmp.resolve("r.csv"), "a,y\n1,0.5\n3,high\n");
    assertThatThrownBy(() -> CsvTable.read(f, true).regression(1))
        .hasMessage(f + ": data row 2, column \"y\" must be a number, got \"high\"");
  }

  @Test
  void regressionAndClassification_sameSeed_shuffleRowsAlike() {
    Path f = OwnCsv.linear(tmp.resolve("linear.csv"), 50, 3);
    CsvTable t = CsvTable.read(f, true);
    RegressionData r = t.regression(3).shuffled(9);
    LabeledData l = t.classes(3).shuffled(9);
    assertThat(r.features()).isEqualTo(l.features());
  }

  // --- the csv data set of a config ------------------------------------------------------------

  private SplitData csv(Map<String, Object> params) {
    return Datasets.build("csv", params, 42, tmp, "DATA");
  }

  @Test
  void configCsv_continuousLabel_refusedWithTheConfigKeysToSet() throws IOException {
    halves();
    assertThatThrownBy(() -> csv(Map.of("path", "halves.csv", "label", "y")))
        .hasMessage(
            "DATA.PARAM.label \"y\" of halves.csv looks like a quantity to predict, not classes"
                + " (30 distinct values in 30 rows, non-integer values such as 0.5); for"
                + " regression use DATA.PARAM.task: regression, to take its values as classes all"
                + " the same use DATA.PARAM.task: classification");
  }

  @Test
  void configCsv_taskRegression_givesRegressionData_oneOutputPerLabelColumn() {
    OwnCsv.linear(tmp.resolve("linear.csv"), 100, 3);
    SplitData one = csv(Map.of("path", "linear.csv", "label", "y", "task", "regression"));
    assertThat(one.info().task()).isEqualTo(DataInfo.Task.REGRESSION);
    assertThat(one.info().exampleShape()).containsExactly(3);
    assertThat(one.info().outputs()).isEqualTo(1);
    SplitData two =
        csv(Map.of("path", "linear.csv", "label", List.of("y", "x3"), "task", "regression"));
    assertThat(two.info().exampleShape()).containsExactly(2);
    assertThat(two.info().outputs()).isEqualTo(2);
  }

  @Test
  void configCsv_taskClassification_forcesClasses() throws IOException {
    halves();
    SplitData d = csv(Map.of("path", "halves.csv", "label", "y", "task", "Classification"));
    assertThat(d.info().task()).isEqualTo(DataInfo.Task.CLASSIFICATION);
    assertThat(d.info().outputs()).isEqualTo(30);
  }

  @Test
  void configCsv_badTask_namesKeyAllowedAndNearest() {
    OwnCsv.linear(tmp.resolve("linear.csv"), 100, 3);
    assertThatThrownBy(() -> csv(Map.of("path", "linear.csv", "task", "regresion")))
        .hasMessage(
            "DATA.PARAM.task must be one of [classification, regression], got \"regresion\"."
                + " Did you mean \"regression\"?");
  }

  @Test
  void configCsv_misspeltKey_reportedBeforeTheLabelIsJudged() throws IOException {
    halves();
    assertThatThrownBy(() -> csv(Map.of("path", "halves.csv", "label", "y", "taks", "regression")))
        .hasMessage(
            "Unknown parameter \"taks\" at DATA.PARAM.taks; accepted are [path, header, label,"
                + " task, normalize, drop, train_val_test_ratio]. Did you mean \"task\"?");
  }

  @Test
  void configCsv_badNormalize_namesKeyAndType() {
    OwnCsv.linear(tmp.resolve("linear.csv"), 100, 3);
    assertThatThrownBy(
            () -> csv(Map.of("path", "linear.csv", "task", "regression", "normalize", "sometimes")))
        .hasMessage("DATA.PARAM.normalize must be true or false, got \"sometimes\" (text)");
  }

  @Test
  void configCsv_severalLabelsForClassification_explains() {
    OwnCsv.linear(tmp.resolve("linear.csv"), 100, 3);
    assertThatThrownBy(() -> csv(Map.of("path", "linear.csv", "label", List.of("y", "x3"))))
        .hasMessage(
            "DATA.PARAM.label must name one column for classification, got [y, x3]; several"
                + " columns are the targets of a regression (DATA.PARAM.task: regression)");
  }

  @Test
  void configCsv_unknownColumnInLabelList_namesIndexAndNearest() {
    Path f = OwnCsv.linear(tmp.resolve("linear.csv"), 100, 3);
    assertThatThrownBy(
            () ->
                csv(
                    Map.of(
                        "path", "linear.csv", "label", List.of("y", "x4"), "task", "regression")))
        .hasMessage(
            "Unknown column \"x4\" at DATA.PARAM.label[1]; "
                + f
                + " has columns [x1, x2, x3, y]. Did you mean \"x1\"?");
  }

  /** A text column beside the numbers: regression of petal width with the species left out. */
  private Path flowers() throws IOException {
    return Files.writeString(
        tmp.resolve("flowers.csv"),
        "sepal_cm,petal_mm,width_mm,species\n5.1,14,2,setosa\n7.0,47,14,versicolor\n"
            + "6.3,60,25,virginica\n4.9,14,2,setosa\n");
  }

  @Test
  void regression_textFeatureColumn_saysHowToLeaveItOut() throws IOException {
    Path f = flowers();
    CsvTable t = CsvTable.read(f, true);
    assertThatThrownBy(() -> t.regression(t.column("width_mm")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            f
                + ": data row 1, column \"species\" must be a number, got \"setosa\"; a column that"
                + " is not a feature can be left out: drop(\"species\") in code, drop: [species] in"
                + " a config's csv PARAM");
  }

  @Test
  void drop_textColumn_leavesTheNumbersAsFeatures() throws IOException {
    CsvTable t = CsvTable.read(flowers(), true).drop("species");
    assertThat(t.header()).containsExactly("sepal_cm", "petal_mm", "width_mm");
    RegressionData widths = t.regression(t.column("width_mm"));
    assertThat(widths.columns()).isEqualTo(2);
    assertThat(widths.features()).containsExactly(5.1f, 14, 7.0f, 47, 6.3f, 60, 4.9f, 14);
    assertThat(widths.targets()).containsExactly(2, 14, 25, 2);
    assertThatThrownBy(() -> CsvTable.read(flowers(), true).drop("specis"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Did you mean");
  }

  @Test
  void configDrop_misspeltColumn_namesTheKeyPath() throws IOException {
    Path f = flowers();
    assertThatThrownBy(
            () ->
                Datasets.build(
                    "csv",
                    java.util.Map.of(
                        "path",
                        f.toString(),
                        "label",
                        "width_mm",
                        "task",
                        "regression",
                        "drop",
                        java.util.List.of("specie")),
                    1,
                    tmp,
                    "DATA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATA.PARAM.drop[0]")
        .hasMessageContaining("Did you mean \"species\"");
  }
}
