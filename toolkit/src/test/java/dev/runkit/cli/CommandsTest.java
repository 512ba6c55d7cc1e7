package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train, resume and schedule verbs: exit codes, messages, and what they leave on disk. */
class CommandsTest {

  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static String config(String name) {
    try {
      return Path.of(CommandsTest.class.getResource("/configs/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private int train(String... args) {
    return new TrainCommand().run(List.of(args), stream(out), stream(err));
  }

  /** Trains digits-mlp.yaml quietly into a run folder, with more {@code --set} overrides. */
  private int trainDigits(Path run, long iterations, String... sets) {
    List<String> args =
        new ArrayList<>(
            List.of(
                config("digits-mlp.yaml"),
                "--set",
                "RUN_DIR=" + run,
                "--set",
                "TRAIN.NUM_ITERATIONS=" + iterations));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    args.add("--quiet");
    return train(args.toArray(String[]::new));
  }

  private static PrintStream stream(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void train_goodConfig_writesResolvedConfigHistoryAndCheckpoints() throws IOException {
    Path run = tmp.resolve("run");
    int code =
        train(
            config("digits-mlp.yaml"),
            "--set",
            "RUN_DIR=" + run,
            "--set=TRAIN.NUM_ITERATIONS=20",
            "--quiet");

    assertThat(code).as(err()).isZero();
    assertThat(run.resolve("config.yaml")).exists();
    List<String> history = Files.readAllLines(run.resolve("history.csv"));
    assertThat(history.get(0)).isEqualTo("iteration,phase,metric,value,lr,elapsed");
    assertThat(history).anyMatch(l -> l.startsWith("20,validation,accuracy,"));
    assertThat(run.resolve("checkpoints")).isDirectoryContaining("glob:**/ckpt-*.rkc");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("COMPLETED after 20 iterations\n")
        .containsPattern("devices: \\[(cpu|gpu0[^\\]]*)\\]\n")
        .contains("validation accuracy");
    for (String png : List.of("curves.png", "metrics.png")) {
      byte[] bytes = Files.readAllBytes(run.resolve(png));
      assertThat(bytes).as(png).startsWith(0x89, 'P', 'N', 'G');
    }
    // the written config is the resolved one, overrides included, and reads back the same
    RunConfig again = RunConfig.load(run.resolve("config.yaml"), List.of());
    assertThat(again.totalIterations()).isEqualTo(20);
    assertThat(again.runDir()).isEqualTo(run);
  }

  /** A house-price CSV: the summary says which numbers are in standardised units. */
  @Test
  void train_csvRegression_summarySaysTheLossIsOfStandardisedTargets() throws IOException {
    Path csv = dev.runkit.data.OwnCsv.houses(tmp.resolve("houses.csv"), 300, 2);
    Path file = tmp.resolve("houses.yaml");
    Files.writeString(
        file,
        """
        MODEL: {NAME: MLP, PARAM: {hidden: [16]}}
        DATA: {NAME: csv, PARAM: {path: %s, label: price, task: regression}, BATCH_SIZE: 32}
        TRAIN: {NUM_ITERATIONS: 40, OPTIM: {TYPE: Adam, PARAM: {lr: 0.01}}}
        VAL: {INTERVAL: 20}
        """
            .formatted(csv));
    int code = train(file.toString(), "--set", "RUN_DIR=" + tmp.resolve("houses"), "--quiet");
    assertThat(code).as(err()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern(
            "best validation loss = [0-9.e+-]+ \\(standardised targets\\) at iteration")
        .doesNotContain("test loss");

    // the same summary without standardising says nothing of units
    out.reset();
    code =
        train(
            file.toString(),
            "--set",
            "RUN_DIR=" + tmp.resolve("prices"),
            "--set",
            "DATA.PARAM.normalize=false",
            "--quiet");
    assertThat(code).as(err()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern("best validation loss = [0-9.e+-]+ at iteration")
        .doesNotContain("standardised");
  }

  @Test
  void train_check_printsResolvedConfigAndCreatesNothing() {
    Path run = tmp.resolve("run");
    int code = train(config("co2-lstm.yaml"), "--set", "RUN_DIR=" + run, "--check");
    assertThat(code).as(err()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("RUN_DIR: " + run + "\nENV:\n  SEED: 3\n")
        .contains("METRICS:\n- mae\n- rmse\n- mape\n")
        .contains("  LOSS: masked_mae\n");
    assertThat(run).doesNotExist();
  }

  @Test
  void train_badConfig_exitsTwoAndCreatesNothing() {
    Path run = tmp.resolve("never");
    int code = train(config("bad-range.yaml"), "--set", "RUN_DIR=" + run);
    assertThat(code).isEqualTo(2);
    assertThat(err()).isEqualTo("runkit train: TRAIN.OPTIM.PARAM.lr must be > 0, got -0.001\n");
    assertThat(run).doesNotExist();
  }

  @Test
  void train_corruptFineTuneCheckpoint_exitsTwoAndLeavesNoRunDirectory() throws IOException {
    Path bad = tmp.resolve("bad.rkc");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Path run = tmp.resolve("run");
    int code =
        train(
            config("digits-mlp.yaml"),
            "--set",
            "RUN_DIR=" + run,
            "--set",
            "TRAIN.FINETUNE_FROM=" + bad,
            "--quiet");
    assertThat(code).isEqualTo(2);
    assertThat(err()).startsWith("runkit train: ").contains("bad.rkc");
    assertThat(run).doesNotExist();
  }

  @Test
  void train_intoExistingRun_exitsTwoAndLeavesItUntouched() {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 10)).isZero();
    Map<String, String> before = snapshot(run);

    int good = train(config("digits-mlp.yaml"), "--set", "RUN_DIR=" + run, "--quiet");
    String firstError = err();
    int bad = train(config("bad-shape.yaml"), "--set", "RUN_DIR=" + run);

    assertThat(good).isEqualTo(2);
    assertThat(firstError)
        .isEqualTo(
            "runkit train: RUN_DIR "
                + run
                + " already holds a run (config.yaml); continue it with `resume "
                + run
                + "` or choose another RUN_DIR (e.g. --set RUN_DIR=runs/new)\n");
    assertThat(bad).isEqualTo(2);
    assertThat(snapshot(run)).isEqualTo(before);
  }

  @Test
  void firstFree_defaultDirHoldsRuns_picksNextFreeSibling() throws Exception {
    Path base = tmp.resolve("digits");
    assertThat(RunDirectory.firstFree(base)).isEqualTo(base);
    Files.createDirectories(base.resolve("checkpoints"));
    Files.createDirectories(tmp.resolve("digits-2"));
    Files.writeString(tmp.resolve("digits-2").resolve("history.csv"), "x");
    Files.createDirectories(tmp.resolve("digits-3"));

    assertThat(RunDirectory.firstFree(base)).isEqualTo(tmp.resolve("digits-3"));
  }

  @Test
  void train_unknownOption_namesNearest() {
    assertThat(train(config("digits-mlp.yaml"), "--sett", "A=1")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "runkit train: Unknown option \"--sett\"; expected one of [--set, --quiet, --check]."
                + " Did you mean \"--set\"?");
  }

  @Test
  void train_badOverride_exitsTwo() {
    assertThat(train(config("digits-mlp.yaml"), "--set", "TRAIN.NUM_ITERATIONS")).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "runkit train: --set needs KEY=VALUE with a dotted KEY (e.g."
                + " TRAIN.OPTIM.PARAM.lr=0.01), got \"TRAIN.NUM_ITERATIONS\"\n");
  }

  @Test
  void train_missingConfig_exitsTwo() {
    Path missing = tmp.resolve("none.yaml");
    assertThat(train(missing.toString())).isEqualTo(2);
    assertThat(err()).isEqualTo("runkit train: config file not found: " + missing + "\n");
  }

  @Test
  void resume_finishedRun_continuesFromLatestCheckpoint() throws IOException {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 20)).isZero();
    List<String> before = history(run);

    int code = resume(run);

    assertThat(code).as(err()).isZero();
    List<String> after = history(run);
    assertThat(after.subList(0, before.size() - 1)).isEqualTo(before.subList(0, before.size() - 1));
  }

  @Test
  void resume_fromEarlierCheckpoint_endsWithTheSameHistory() throws IOException {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 40, "TRAIN.CKPT_SAVE_STRATEGY=20")).as(err()).isZero();
    List<String> uninterrupted = history(run);
    // as if the run had been killed between iterations 20 and 40
    Files.delete(run.resolve("checkpoints/ckpt-000000040.rkc"));
    Files.delete(run.resolve("history.csv"));

    int code = resume(run);

    assertThat(code).as(err()).isZero();
    assertThat(history(run)).isEqualTo(uninterrupted);
  }

  @Test
  void resume_setMoreIterations_trainsOnLikeALongerRunAndRewritesTheConfig() throws IOException {
    Path longer = tmp.resolve("longer");
    Path run = tmp.resolve("run");
    // one log interval for both: by default it follows the run's length
    assertThat(trainDigits(longer, 60, "TRAIN.LOG_INTERVAL=4")).as(err()).isZero();
    assertThat(trainDigits(run, 40, "TRAIN.LOG_INTERVAL=4")).as(err()).isZero();

    int code =
        new ResumeCommand()
            .run(
                List.of(run.toString(), "--set", "TRAIN.NUM_ITERATIONS=60", "--quiet"),
                stream(out),
                stream(err));

    assertThat(code).as(err()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("COMPLETED after 60 iterations\n");
    // the same steps as the 60-iteration run; only the 40-iteration run's test at its end is extra
    assertThat(history(run).stream().filter(l -> !l.startsWith("40,test,")))
        .containsExactlyElementsOf(history(longer));
    assertThat(ConfigFiles.read(run.resolve("config.yaml")).get("TRAIN"))
        .asString()
        .contains("NUM_ITERATIONS=60");
  }

  @Test
  void resume_setARefusedChange_leavesTheConfigAsItWas() throws IOException {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 20)).as(err()).isZero();
    byte[] config = Files.readAllBytes(run.resolve("config.yaml"));

    int code =
        new ResumeCommand()
            .run(
                List.of(run.toString(), "--set", "DATA.BATCH_SIZE=16", "--quiet"),
                stream(out),
                stream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err()).startsWith("runkit resume: ");
    assertThat(Files.readAllBytes(run.resolve("config.yaml"))).isEqualTo(config);
  }

  @Test
  void train_fineTuneFromAnotherRun_thenResume_bothSucceed() throws IOException {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    assertThat(trainDigits(first, 20)).as(err()).isZero();
    Path weights = first.resolve("checkpoints/ckpt-000000020.rkc");
    assertThat(trainDigits(second, 40, "TRAIN.FINETUNE_FROM=" + weights)).as(err()).isZero();
    List<String> uninterrupted = history(second);
    // starting from trained weights, the first reported training loss is far below a fresh run's
    double fresh = firstTrainLoss(Files.readAllLines(first.resolve("history.csv")));
    assertThat(firstTrainLoss(uninterrupted)).isLessThan(fresh / 2);
    Files.delete(second.resolve("checkpoints/ckpt-000000040.rkc"));

    int code = resume(second);

    assertThat(code).as(err()).isZero();
    assertThat(history(second)).isEqualTo(uninterrupted);
  }

  @Test
  void resume_newestCheckpointTruncated_namesTheOneBeforeAndChangesNothing() throws IOException {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 60, "TRAIN.CKPT_SAVE_STRATEGY=20")).as(err()).isZero();
    Path newest = run.resolve("checkpoints/ckpt-000000060.rkc");
    byte[] whole = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(whole, whole.length / 2));
    Map<String, String> before = snapshot(run);

    int code = resume(run);

    assertThat(code).isEqualTo(2);
    // it ended at "is corrupt: truncated (...)", leaving the user to find the way on
    assertThat(err())
        .startsWith("runkit resume: checkpoint " + newest + " is corrupt: truncated (")
        .endsWith(
            "; it is the newest in "
                + run.resolve("checkpoints")
                + ", which resume takes: move it out of that folder to resume from the one before,"
                + " ckpt-000000040.rkc\n");
    assertThat(snapshot(run)).isEqualTo(before);
  }

  @Test
  void resume_badConfigInRunDirectory_namesTheConfigFile() throws IOException {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 20)).as(err()).isZero();
    Path config = run.resolve("config.yaml");
    Files.writeString(
        config, Files.readString(config).replace("MONITOR: accuracy", "MONITOR: acc"));

    int code = resume(run);

    assertThat(code).isEqualTo(2);
    // the user named the folder; the message did not say which file held "acc"
    assertThat(err())
        .isEqualTo(
            "runkit resume: "
                + config
                + ": VAL.MONITOR must be one of [loss, accuracy, top3_accuracy] (the loss or a"
                + " metric in METRICS), got \"acc\". Did you mean \"accuracy\"?\n");
  }

  @Test
  void resume_configFileOrMissingFolder_saysWhatResumeTakes() throws IOException {
    Path run = tmp.resolve("run");
    assertThat(trainDigits(run, 20)).as(err()).isZero();
    Path config = run.resolve("config.yaml");

    assertThat(resume(config)).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "runkit resume: "
                + config
                + " is a file; resume takes a run directory (the folder holding config.yaml and"
                + " checkpoints/): resume "
                + run
                + "\n");
    err.reset();
    assertThat(resume(tmp.resolve("nowhere"))).isEqualTo(2);
    assertThat(err())
        .isEqualTo("runkit resume: run directory " + tmp.resolve("nowhere") + " does not exist\n");
  }

  @Test
  void resume_notARunDirectory_exitsTwo() {
    int code = new ResumeCommand().run(List.of(tmp.toString()), stream(out), stream(err));
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "runkit resume: "
                + tmp
                + " is not a run directory: it has no config.yaml (made by `train CONFIG`)\n");
  }

  @Test
  void schedule_csv_writesEveryStep() throws IOException {
    Path csv = tmp.resolve("lr.csv");
    int code =
        new ScheduleCommand()
            .run(
                List.of(config("digits-mlp.yaml"), "--steps", "60", "--csv", csv.toString()),
                stream(out),
                stream(err));
    assertThat(code).as(err()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(61);
    assertThat(lines.get(0)).isEqualTo("step,lr");
    assertThat(lines.get(1)).isEqualTo("0,0.1");
    assertThat(lines.get(21)).isEqualTo("20,0.05");
    assertThat(lines.get(60)).isEqualTo("59,0.025");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("59").contains("0.025");
  }

  @Test
  void schedule_console_printsSixSignificantDigits() throws IOException {
    Path config = tmp.resolve("warmup.yaml");
    Files.writeString(
        config,
        Files.readString(Path.of(config("digits-mlp.yaml")))
            .replace("lr: 0.1", "lr: 0.003")
            .replace(
                "TYPE: StepLR\n    PARAM:\n      step_size: 20\n      gamma: 0.5",
                "TYPE: cosine\n    PARAM:\n      num_warmup_steps: 100\n"
                    + "      num_training_steps: 1000"));
    int code =
        new ScheduleCommand()
            .run(List.of(config.toString(), "--steps", "20"), stream(out), stream(err));
    assertThat(code).as(err()).isZero();
    String table = out.toString(StandardCharsets.UTF_8);
    // step 3 of the warm-up printed as 0.00008999999999999999
    assertThat(table).contains("|  0.00009  |").doesNotContain("99999");
  }

  @Test
  void schedule_badSteps_exitsTwo() {
    int code =
        new ScheduleCommand()
            .run(List.of(config("digits-mlp.yaml"), "--steps", "-3"), stream(out), stream(err));
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo("runkit schedule: --steps must be an integer in [1, 100000000], got \"-3\"\n");
  }

  @Test
  void verbs_help_printUsageAndExitZero() {
    // "train --help" was an unknown option (status 2), "resume -h" a run directory "-h"
    assertThat(Main.run(List.of("train", "--help"), stream(out), stream(err))).isZero();
    assertThat(Main.run(List.of("resume", "-h"), stream(out), stream(err))).isZero();
    assertThat(Main.run(List.of("schedule", "--help"), stream(out), stream(err))).isZero();
    assertThat(err()).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "usage: runkit "
                + TrainCommand.USAGE
                + "\nusage: runkit "
                + ResumeCommand.USAGE
                + "\nusage: runkit "
                + ScheduleCommand.USAGE
                + "\n");
  }

  @Test
  void train_singleDashOption_isAnUnknownOptionWithTheNearest() {
    int code = train(config("digits-mlp.yaml"), "-set", "TRAIN.NUM_ITERATIONS=5");
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "runkit train: Unknown option \"-set\"; expected one of [--set, --quiet, --check]."
                + " Did you mean \"--set\"?");
  }

  @Test
  void cli_unknownVerb_exitsTwo() {
    assertThat(Main.run(List.of("trian"), stream(out), stream(err))).isEqualTo(2);
    assertThat(err()).contains("Unknown command \"trian\"").contains("Did you mean \"train\"?");
  }

  private static double firstTrainLoss(List<String> history) {
    for (String l : history) {
      String[] cells = l.split(",");
      if (cells[1].equals("train") && cells[2].equals("loss")) {
        return Double.parseDouble(cells[3]);
      }
    }
    throw new AssertionError("no training loss in " + history);
  }

  /** A run's history.csv without its last column, the elapsed time. */
  private static List<String> history(Path run) throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(run.resolve("history.csv"))) {
      out.add(l.substring(0, l.lastIndexOf(',')));
    }
    return out;
  }

  /** Resumes a run quietly; returns the exit status. */
  private int resume(Path run) {
    return new ResumeCommand().run(List.of(run.toString(), "--quiet"), stream(out), stream(err));
  }

  /** Every file under a folder with the SHA-256 of its bytes and its modification time. */
  private static Map<String, String> snapshot(Path dir) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) {
          byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
          files.put(
              dir.relativize(p).toString(),
              HexFormat.of().formatHex(hash) + " " + Files.getLastModifiedTime(p).toMillis());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    assertThat(files).isNotEmpty();
    return files;
  }
}
