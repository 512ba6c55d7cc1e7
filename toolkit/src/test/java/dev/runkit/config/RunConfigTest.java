package dev.runkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunConfigTest {

  @TempDir Path tmp;

  static Path configs() {
    try {
      return Path.of(RunConfigTest.class.getResource("/configs/digits-mlp.yaml").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private RunConfig load(String file, String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of("RUN_DIR=" + tmp.resolve("run")));
    all.addAll(List.of(overrides));
    return RunConfig.load(configs().resolve(file), all);
  }

  /** A config from YAML text, checked against the configs folder. */
  private RunConfig fromYaml(String yaml) {
    return RunConfig.from((Map<?, ?>) ConfigFiles.parseValue(yaml), configs(), "t");
  }

  private static final String MODEL = "MODEL: {NAME: MLP}\n";
  private static final String DATA = "DATA: {NAME: digits}\n";
  private static final String TRAIN =
      "TRAIN: {NUM_ITERATIONS: 10, OPTIM: {TYPE: SGD, PARAM: {lr: 0.1}}}\n";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "digits-mlp.yaml",
        "digits-mlp.json",
        "digits-cnn.yaml",
        "co2-lstm.yaml",
        "iris-csv.yaml"
      })
  void load_goodConfig_checksAndResolves(String file) {
    RunConfig c = load(file);
    assertThat(c.runDir()).isEqualTo(tmp.resolve("run"));
    assertThat(c.resolved()).containsKeys("MODEL", "DATA", "TRAIN", "ENV", "METRICS", "RUN_DIR");
    assertThat(c.totalIterations()).isPositive();
  }

  @Test
  void load_yamlAndJson_giveTheSameSettings() {
    RunConfig yaml = load("digits-mlp.yaml");
    RunConfig json = load("digits-mlp.json");
    assertThat(json.resolved()).isEqualTo(yaml.resolved());
    assertThat(json.seed()).isEqualTo(7);
    assertThat(json.batchSize()).isEqualTo(yaml.batchSize());
    assertThat(json.schedule().table(60).doubleColumn("lr").asList())
        .isEqualTo(yaml.schedule().table(60).doubleColumn("lr").asList());
  }

  @Test
  void load_resolved_fillsDefaultsAndAbsolutePaths() {
    Map<String, Object> r = load("iris-csv.yaml").resolved();
    assertThat(r.keySet()).containsExactly("RUN_DIR", "ENV", "MODEL", "DATA", "METRICS", "TRAIN");
    assertThat(r.get("ENV")).isEqualTo(Map.of("SEED", 42L));
    assertThat(((Map<?, ?>) ((Map<?, ?>) r.get("DATA")).get("PARAM")).get("path"))
        .isEqualTo(configs().resolve("species.csv").toString());
    assertThat(((Map<?, ?>) r.get("TRAIN")).get("LOSS")).isEqualTo("cross_entropy");
    assertThat(r.get("METRICS")).isEqualTo(List.of("accuracy"));
  }

  @Test
  void load_resolvedWrittenAndReadBack_isTheSameConfig() {
    RunConfig c = load("co2-lstm.yaml");
    Path file = tmp.resolve("config.yaml");
    ConfigFiles.write(c.resolved(), file);
    assertThat(RunConfig.load(file, List.of()).resolved()).isEqualTo(c.resolved());
  }

  @Test
  void load_override_replacesValueParsedAsYaml() {
    RunConfig c = load("digits-mlp.yaml", "TRAIN.OPTIM.PARAM.lr=0.02", "ENV.SEED=11");
    assertThat(c.seed()).isEqualTo(11);
    assertThat(c.schedule().lr(0)).isEqualTo(0.02);
  }

  // ---- bad configs: pinned messages ----------------------------------------------------------

  @Test
  void load_unknownKey_namesPathAndNearestKey() {
    assertThatThrownBy(() -> load("bad-unknown-key.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Unknown parameter \"NUM_ITERATION\" at TRAIN.NUM_ITERATION; accepted are"
                + " [NUM_ITERATIONS, NUM_EPOCHS, OPTIM, LR_SCHEDULER, ")
        .hasMessageEndingWith("]. Did you mean \"NUM_ITERATIONS\"?");
  }

  @Test
  void load_unknownSection_namesNearestSection() {
    assertThatThrownBy(() -> fromYaml(MODEL + DATA + TRAIN + "TEST: {INTERVAL: 5}\nVALL: {}"))
        .hasMessage(
            "Unknown parameter \"VALL\" at VALL; accepted are [DESCRIPTION, RUN_DIR, ENV, MODEL,"
                + " DATA, METRICS, TRAIN, VAL, TEST]. Did you mean \"VAL\"?");
  }

  @Test
  void load_wrongType_namesPathValueAndType() {
    assertThatThrownBy(() -> load("bad-wrong-type.yaml"))
        .hasMessage("TRAIN.NUM_ITERATIONS must be an integer, got \"many\" (text)");
  }

  @Test
  void load_outOfRange_namesPathValueAndRange() {
    assertThatThrownBy(() -> load("bad-range.yaml"))
        .hasMessage("TRAIN.OPTIM.PARAM.lr must be > 0, got -0.001");
  }

  @Test
  void load_batchSizeZero_namesAllowedRange() {
    assertThatThrownBy(() -> fromYaml(MODEL + "DATA: {NAME: iris, BATCH_SIZE: 0}\n" + TRAIN))
        .hasMessage("DATA.BATCH_SIZE must be in [1, 120] (the training examples of iris), got 0");
  }

  @Test
  void load_unknownSchedule_listsNamesAndNearest() {
    assertThatThrownBy(() -> load("bad-schedule.yaml"))
        .hasMessageStartingWith(
            "Unknown schedule \"CosineAnealingLR\" at TRAIN.LR_SCHEDULER.TYPE; expected one of"
                + " [StepLR, ")
        .hasMessageEndingWith("Did you mean \"CosineAnnealingLR\"?");
  }

  @Test
  void load_unknownOptimizer_listsNamesAndNearest() {
    assertThatThrownBy(() -> load("bad-optimizer.yaml"))
        .hasMessageStartingWith(
            "Unknown optimizer \"AdamV\" at TRAIN.OPTIM.TYPE; expected one of [SGD, Adam, AdamW")
        .hasMessageEndingWith("Did you mean \"Adam\"?");
  }

  @Test
  void load_missingDataFile_namesKeyAndPath() {
    assertThatThrownBy(() -> load("bad-missing-file.yaml"))
        .hasMessage(
            "DATA.PARAM.path names a file that does not exist: \"no-such-file.csv\" ("
                + configs().resolve("no-such-file.csv")
                + ")");
  }

  @Test
  void load_missingConfigFile_saysNotFound() {
    Path missing = tmp.resolve("nothere.yaml");
    assertThatThrownBy(() -> RunConfig.load(missing, List.of()))
        .hasMessage("config file not found: " + missing);
  }

  @Test
  void load_folderAsConfigFile_saysItIsAFolder() {
    // it said "config file not found", though the path exists
    assertThatThrownBy(() -> RunConfig.load(tmp, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "config file "
                + tmp
                + " is a folder; give a YAML or JSON file (a run's folder is continued with"
                + " `resume RUN_DIR`)");
  }

  @Test
  void parse_overrideWithoutValue_saysItHasNoValue() {
    // the empty value read as null, a missing key: "TRAIN needs the run length: ..."
    assertThatThrownBy(
            () -> RunConfig.parse(MODEL + DATA + TRAIN, List.of("TRAIN.NUM_ITERATIONS=")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--set TRAIN.NUM_ITERATIONS= has no value; write KEY=VALUE, e.g."
                + " TRAIN.OPTIM.PARAM.lr=0.01");
  }

  @Test
  void override_throughAValue_namesThePath_asPutDoes() {
    Map<String, Object> raw = ConfigFiles.parse("TRAIN: {NUM_ITERATIONS: 10}", "text");
    assertThatThrownBy(() -> ConfigFiles.override(raw, "TRAIN.NUM_ITERATIONS.x=3"))
        .hasMessage("--set TRAIN.NUM_ITERATIONS.x: TRAIN.NUM_ITERATIONS is 10, not a map of keys");
    assertThatThrownBy(() -> ConfigFiles.put(raw, "TRAIN..x", 3))
        .hasMessage("key \"TRAIN..x\" has an empty part");
    ConfigFiles.put(raw, "TRAIN.OPTIM.PARAM.lr", 0.01);
    List<Object> hidden = new java.util.ArrayList<>(List.of(64L));
    ConfigFiles.put(raw, "MODEL.PARAM.hidden", hidden);
    hidden.add(32L);
    // maps on the way are made; a list is copied, so the caller's list stays its own
    assertThat(raw)
        .isEqualTo(
            Map.of(
                "TRAIN",
                Map.of("NUM_ITERATIONS", 10, "OPTIM", Map.of("PARAM", Map.of("lr", 0.01))),
                "MODEL",
                Map.of("PARAM", Map.of("hidden", List.of(64L)))));
  }

  @Test
  void load_yamlSyntaxError_namesLineAndColumn() {
    assertThatThrownBy(() -> load("bad-syntax.yaml"))
        .hasMessageContaining("bad-syntax.yaml: line 2, column 5: expected ',' or '}'");
  }

  @Test
  void parse_text_sameAsLoadingTheFile() throws Exception {
    String text = java.nio.file.Files.readString(configs().resolve("digits-mlp.yaml"));
    RunConfig parsed = RunConfig.parse(text, List.of("RUN_DIR=" + tmp.resolve("run")));
    assertThat(parsed.resolved()).isEqualTo(load("digits-mlp.yaml").resolved());
  }

  @Test
  void parse_noRunDir_defaultsToRunsConfigInTheWorkingDirectory() {
    RunConfig c = RunConfig.parse(MODEL + DATA + TRAIN);
    assertThat(c.runDir()).isEqualTo(Path.of("runs", "config").toAbsolutePath());
    assertThat(c.runDirGiven()).isFalse();
    assertThat(c.totalIterations()).isEqualTo(10);
  }

  @Test
  void parse_yamlSyntaxError_namesLineAndColumnAsForFiles() {
    assertThatThrownBy(() -> RunConfig.parse("MODEL: {NAME: MLP\nDATA: {NAME: digits}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config text: line 2, column 5: expected ',' or '}'");
  }

  @Test
  void parse_notAMap_saysWhatTheTopMustHold() {
    assertThatThrownBy(() -> RunConfig.parse("  \n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "config text must hold a map of sections (MODEL, DATA, TRAIN, ...) at the top, got an"
                + " empty text");
    assertThatThrownBy(() -> RunConfig.parse("[MODEL, DATA]"))
        .hasMessage(
            "config text must hold a map of sections (MODEL, DATA, TRAIN, ...) at the top, got"
                + " a list");
    assertThatThrownBy(() -> RunConfig.parse(null))
        .hasMessage("config text is null; expected YAML or JSON text");
  }

  @Test
  void parse_scheduleTypeAList_saysOneNameIsExpected() {
    // it said 'Unknown schedule "[cosine]"', as if the name were misspelt
    assertThatThrownBy(
            () ->
                RunConfig.parse(
                    MODEL
                        + DATA
                        + "TRAIN: {NUM_ITERATIONS: 10, OPTIM: {TYPE: SGD, PARAM: {lr: 0.1}},"
                        + " LR_SCHEDULER: {TYPE: [cosine]}}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "TRAIN.LR_SCHEDULER.TYPE must be one name, got [cosine] (a list); expected one of"
                + " [StepLR, ");
  }

  @Test
  void parse_unknownKeyAndBadOverride_reportedAsForFiles() {
    assertThatThrownBy(
            () -> RunConfig.parse(MODEL + DATA + TRAIN, List.of("TRAIN.OPTIM.TYPE=AdamWW")))
        .hasMessageStartingWith("Unknown optimizer \"AdamWW\" at TRAIN.OPTIM.TYPE")
        .hasMessageEndingWith("Did you mean \"AdamW\"?");
    assertThatThrownBy(() -> RunConfig.parse(MODEL + DATA + TRAIN + "VALL: {}"))
        .hasMessageStartingWith("Unknown parameter \"VALL\" at VALL;");
  }

  @Test
  void load_duplicateKey_isAnError() {
    Path f = tmp.resolve("dup.yaml");
    writeText(f, MODEL + DATA + TRAIN + "DATA: {NAME: iris}\n");
    assertThatThrownBy(() -> RunConfig.load(f, List.of()))
        .hasMessageContaining("found duplicate key DATA");
  }

  @Test
  void load_mlpInputSizeMismatch_reportsShapes() {
    assertThatThrownBy(() -> load("bad-shape.yaml"))
        .hasMessage(
            "MODEL.PARAM.input_size is 784, but DATA digits has 64 values per example; set it to"
                + " 64 or leave it out");
  }

  @Test
  void load_mlpOutputSizeMismatch_reportsClasses() {
    assertThatThrownBy(
            () -> fromYaml("MODEL: {NAME: MLP, PARAM: {output_size: 3}}\n" + DATA + TRAIN))
        .hasMessage(
            "MODEL.PARAM.output_size is 3, but DATA digits has 10 classes; set it to 10 or leave"
                + " it out");
  }

  @Test
  void load_cnnImageMismatch_reportsSizes() {
    assertThatThrownBy(
            () -> fromYaml("MODEL: {NAME: CNN, PARAM: {image: [1, 4, 4]}}\n" + DATA + TRAIN))
        .hasMessage(
            "MODEL.PARAM.image [1, 4, 4] holds 16 values, but DATA digits gives 64 values per"
                + " example");
  }

  @Test
  void load_lstmOnTabularData_explains() {
    assertThatThrownBy(() -> fromYaml("MODEL: {NAME: LSTM}\n" + DATA + TRAIN))
        .hasMessage(
            "LSTM at MODEL.NAME reads sequences of shape [window, channels], but DATA digits"
                + " gives examples of shape [64]; use a series data set (co2, sunspots,"
                + " series_csv) or MLP / CNN");
  }

  @Test
  void load_userModelClass_isBuiltAndChecked() {
    RunConfig c =
        fromYaml("MODEL: {CLASS: dev.runkit.config.TinyModel, PARAM: {units: 8}}\n" + DATA + TRAIN);
    assertThat(c.data().info().outputs()).isEqualTo(10);
  }

  @Test
  void load_userModelWithWrongOutputs_reportsShapes() {
    assertThatThrownBy(
            () ->
                fromYaml(
                    "MODEL: {CLASS: dev.runkit.config.TinyModel, PARAM: {wrong_outputs: true}}\n"
                        + DATA
                        + TRAIN))
        .hasMessage(
            "MODEL (dev.runkit.config.TinyModel) gives outputs of shape (2, 11) for a batch of"
                + " 2, but DATA digits needs (2, 10) (10 classes)");
  }

  @Test
  void load_userModelUnknownParam_isRejected() {
    assertThatThrownBy(
            () ->
                fromYaml(
                    "MODEL: {CLASS: dev.runkit.config.TinyModel, PARAM: {unit: 8}}\n"
                        + DATA
                        + TRAIN))
        .hasMessage(
            "Unknown parameter \"unit\" at MODEL.PARAM.unit; accepted are [units,"
                + " wrong_outputs]. Did you mean \"units\"?");
  }

  @Test
  void load_missingModelClass_saysNotOnClassPath() {
    assertThatThrownBy(() -> fromYaml("MODEL: {CLASS: com.example.Nope}\n" + DATA + TRAIN))
        .hasMessage(
            "MODEL.CLASS names class \"com.example.Nope\", which is not on the class path; give"
                + " the fully qualified name of a class implementing"
                + " dev.runkit.model.ModelFactory");
  }

  @Test
  void load_unknownModelName_listsBuiltIns() {
    assertThatThrownBy(() -> fromYaml("MODEL: {NAME: MLPP}\n" + DATA + TRAIN))
        .hasMessage(
            "Unknown model \"MLPP\" at MODEL.NAME; expected one of [MLP, CNN, LSTM, GRU]. Did"
                + " you mean \"MLP\"?");
  }

  @Test
  void load_modelNameAndClass_isAnError() {
    assertThatThrownBy(
            () ->
                fromYaml("MODEL: {NAME: MLP, CLASS: dev.runkit.config.TinyModel}\n" + DATA + TRAIN))
        .hasMessageStartingWith("MODEL needs exactly one of NAME (one of [MLP, CNN, LSTM, GRU])")
        .hasMessageEndingWith("got both");
  }

  @Test
  void load_noRunLength_saysWhichKeys() {
    assertThatThrownBy(
            () -> fromYaml(MODEL + DATA + "TRAIN: {OPTIM: {TYPE: SGD, PARAM: {lr: 0.1}}}"))
        .hasMessage(
            "TRAIN needs the run length: NUM_ITERATIONS (optimizer updates) or NUM_EPOCHS"
                + " (passes over the training data)");
  }

  @Test
  void load_validationIntervalWithoutValidationData_explains() {
    assertThatThrownBy(
            () ->
                fromYaml(
                    MODEL
                        + "DATA: {NAME: digits, PARAM: {train_val_test_ratio: [1, 0, 0]}}\n"
                        + TRAIN
                        + "VAL: {INTERVAL: 5}"))
        .hasMessage(
            "VAL.INTERVAL needs validation data, but DATA digits has no validation part; give"
                + " DATA.PARAM.train_val_test_ratio a validation share, e.g. [0.8, 0.2, 0.0]");
  }

  @Test
  void load_classificationLossOnSeries_explains() {
    assertThatThrownBy(
            () ->
                fromYaml(
                    "MODEL: {NAME: GRU}\nDATA: {NAME: sunspots}\n"
                        + "TRAIN: {NUM_ITERATIONS: 5, LOSS: cross_entropy,"
                        + " OPTIM: {TYPE: Adam}}"))
        .hasMessage(
            "TRAIN.LOSS \"cross_entropy\" is a classification loss, but DATA sunspots is"
                + " forecasting; use masked_mae");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "acuracy|Unknown metric \"acuracy\" at METRICS[0]; expected one of [accuracy,"
            + " top<k>_accuracy, mae, rmse, mape, r2]. Did you mean \"accuracy\"?",
        "top20|METRICS[0] top20 needs k in [1, 10] (the classes), got 20",
        "mae|METRICS[0] \"mae\" is a regression metric, but DATA digits is classification"
      })
  void load_badMetric_explains(String metric, String message) {
    assertThatThrownBy(() -> fromYaml(MODEL + DATA + TRAIN + "METRICS: [" + metric + "]"))
        .hasMessage(message);
  }

  @Test
  void load_monitorNotMeasured_listsMeasured() {
    assertThatThrownBy(() -> fromYaml(MODEL + DATA + TRAIN + "VAL: {MONITOR: acc}"))
        .hasMessage(
            "VAL.MONITOR must be one of [loss, accuracy] (the loss or a metric in METRICS), got"
                + " \"acc\". Did you mean \"accuracy\"?");
  }

  @Test
  void load_unknownDataParam_namesNearest() {
    assertThatThrownBy(
            () -> fromYaml("MODEL: {NAME: GRU}\nDATA: {NAME: co2, PARAM: {windw: 8}}\n" + TRAIN))
        .hasMessageStartingWith("Unknown parameter \"windw\" at DATA.PARAM.windw; accepted are [")
        .hasMessageEndingWith("Did you mean \"window\"?");
  }

  @Test
  void load_clipWithoutLimit_isRejected() {
    assertThatThrownBy(
            () ->
                fromYaml(
                    MODEL
                        + DATA
                        + "TRAIN: {NUM_ITERATIONS: 5, OPTIM: {TYPE: SGD},"
                        + " CLIP_GRAD_PARAM: {max_norm: -1}}"))
        .hasMessage("TRAIN.CLIP_GRAD_PARAM.max_norm must be > 0, got -1.0");
  }

  private static void writeText(Path f, String text) {
    try {
      java.nio.file.Files.writeString(f, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String trainWithSaveStrategy(String length, String strategy) {
    return "TRAIN: {"
        + length
        + ", OPTIM: {TYPE: SGD, PARAM: {lr: 0.1}}, CKPT_SAVE_STRATEGY: "
        + strategy
        + "}\n";
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "NUM_ITERATIONS: 10 | [0, 5] | TRAIN.CKPT_SAVE_STRATEGY[0] must be an iteration in [1, 10]"
            + " (NUM_ITERATIONS), got 0",
        "NUM_ITERATIONS: 10 | [5, 11] | TRAIN.CKPT_SAVE_STRATEGY[1] must be an iteration in [1,"
            + " 10] (NUM_ITERATIONS) above the one before (5), got 11",
        "NUM_EPOCHS: 4 | [3, 2] | TRAIN.CKPT_SAVE_STRATEGY[1] must be an epoch in [1, 4]"
            + " (NUM_EPOCHS) above the one before (3), got 2",
        "NUM_EPOCHS: 4 | [1, 5] | TRAIN.CKPT_SAVE_STRATEGY[1] must be an epoch in [1, 4]"
            + " (NUM_EPOCHS) above the one before (1), got 5",
        "NUM_EPOCHS: 4 | [1, two] | TRAIN.CKPT_SAVE_STRATEGY[1] must be an integer, got \"two\""
            + " (text)",
        "NUM_EPOCHS: 4 | [] | TRAIN.CKPT_SAVE_STRATEGY must be a non-empty list, got []"
      })
  void load_saveStrategyListOutOfRange_namesIndexValueAndRange(
      String length, String strategy, String message) {
    assertThatThrownBy(() -> fromYaml(MODEL + DATA + trainWithSaveStrategy(length, strategy)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void load_saveStrategyList_isAccepted() {
    RunConfig c = fromYaml(MODEL + DATA + trainWithSaveStrategy("NUM_EPOCHS: 4", "[1, 4]"));
    assertThat(((Map<?, ?>) c.resolved().get("TRAIN")).get("CKPT_SAVE_STRATEGY"))
        .isEqualTo(List.of(1, 4));
  }
}
