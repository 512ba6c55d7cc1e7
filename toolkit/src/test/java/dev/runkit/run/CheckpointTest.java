package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path dir;
  @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);

  private Runner runner(Block block, long iterations, Checkpoints checkpoints) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train(), digits.validation())
        .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
        .iterations(iterations)
        .validateEvery(50)
        .checkpoints(checkpoints)
        .quiet();
  }

  private Map<Path, byte[]> snapshotFiles() throws Exception {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        files.put(p, Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Test
  void fit_keepLastAndKeepEvery_keepsThoseAndTheBest() {
    RunResult r =
        runner(Fixtures.mlp(16, 10), 100, Checkpoints.to(dir).every(10).keepLast(2).keepEvery(50))
            .fit();
    assertThat(Checkpoints.periodic(dir)).containsExactly(50L, 90L, 100L);
    assertThat(r.bestCheckpoint()).contains(dir.resolve("best.rkc"));
    assertThat(dir.resolve("best.rkc")).exists();
    assertThat(dir.resolve("ckpt-000000100.rkc.tmp")).doesNotExist();
    Checkpoint last = Checkpoint.read(dir.resolve("ckpt-000000100.rkc"));
    assertThat(last.iteration()).isEqualTo(100);
    assertThat(last.optimizerType()).isEqualTo("SGD");
    assertThat(last.optimizer()).isNotEmpty();
    assertThat(last.history()).hasSize(r.history().rowCount());
  }

  @Test
  void fit_atAndAtEpochs_writeThereAndKeepThose() {
    // 1,437 rows / 64 = 22 batches per pass: pass 2 ends at iteration 44
    runner(
            Fixtures.mlp(16, 10),
            60,
            Checkpoints.to(dir).atValidation(false).keepLast(1).at(7).atEpochs(2))
        .fit();
    assertThat(Checkpoints.periodic(dir)).containsExactly(7L, 44L, 60L);
  }

  @Test
  void fit_listedCheckpointAmongTheNewest_doesNotTakeAKeepLastSlot() {
    // periodic every 20, keep the 2 newest; 50 is listed: 20 goes, 40 and 60 stay beside 50
    runner(
            Fixtures.mlp(16, 10),
            60,
            Checkpoints.to(dir).every(20).atValidation(false).keepLast(2).at(50))
        .fit();
    assertThat(Checkpoints.periodic(dir)).containsExactly(40L, 50L, 60L);
  }

  @Test
  void fit_atEpochsPastTheRun_throwsBeforeFirstStep() {
    Runner r = runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir).atEpochs(1, 5));
    assertThatThrownBy(r::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checkpoints.atEpochs [1, 5] goes past the run's end: pass 5 ends at iteration 110"
                + " (22 batches per pass), the run has 60");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void at_notAscending_throwsNamingTheValue() {
    assertThatThrownBy(() -> Checkpoints.to(dir).at(5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpoints.at must be ascending values >= 1, got [5, 5] (at index 1: 5)");
    assertThatThrownBy(() -> Checkpoints.to(dir).atEpochs(0))
        .hasMessage("checkpoints.atEpochs must be ascending values >= 1, got [0] (at index 0: 0)");
  }

  @Test
  void resume_corruptLatest_throwsBeforeFirstStepAndTouchesNothing() throws Exception {
    runner(Fixtures.mlp(16, 10), 40, Checkpoints.to(dir).every(20)).fit();
    Path latest = dir.resolve("ckpt-000000040.rkc");
    byte[] bytes = Files.readAllBytes(latest);
    bytes[bytes.length - 3] ^= 0x5A;
    Files.write(latest, bytes);
    Map<Path, byte[]> before = snapshotFiles();

    assertThatThrownBy(
            () -> runner(Fixtures.mlp(16, 10), 80, Checkpoints.to(dir).every(20)).resume().fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checkpoint "
                + latest
                + " is corrupt: checksum mismatch (the file was changed or damaged); it is the"
                + " newest in "
                + dir
                + ", which resume takes: move it out of that folder to resume from the one before,"
                + " ckpt-000000020.rkc");
    Map<Path, byte[]> after = snapshotFiles();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));
  }

  @Test
  void resume_foreignFile_throwsNamingIt() throws Exception {
    Path foreign = dir.resolve("ckpt-000000020.rkc");
    Files.writeString(foreign, "{\"not\": \"a checkpoint\"}");
    assertThatThrownBy(() -> runner(Fixtures.mlp(16, 10), 40, Checkpoints.to(dir)).resume().fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checkpoint "
                + foreign
                + " is not a RunKit checkpoint (no RUNKIT-CHECKPOINT header); it is the only"
                + " checkpoint in "
                + dir
                + ", so there is none older to resume from");
    assertThat(Files.readString(foreign)).isEqualTo("{\"not\": \"a checkpoint\"}");
  }

  @Test
  void resume_checkpointOfAnotherModel_throwsListingParameters() {
    runner(Fixtures.mlp(16, 10), 20, Checkpoints.to(dir).every(20)).fit();
    assertThatThrownBy(() -> runner(Fixtures.mlp(24, 10), 40, Checkpoints.to(dir)).resume().fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ckpt-000000020.rkc does not belong to this model: parameter ")
        .hasMessageContaining("is FLOAT32(16, 64) there, FLOAT32(24, 64) in the model");
  }

  @Test
  void resume_earlyStoppedRun_trainsNoMoreAndSaysSo() throws Exception {
    // it trained on until the next validation and stopped again
    Runner first =
        runner(Fixtures.mlp(16, 10), 2_000, Checkpoints.to(dir))
            .earlyStopping(EarlyStopping.on(Monitor.min("loss")).patience(1).minDelta(10));
    RunResult stopped = first.fit();
    assertThat(stopped.stopReason()).isEqualTo(StopReason.EARLY_STOPPED);
    Map<Path, byte[]> files = snapshotFiles();
    RunResult again =
        runner(Fixtures.mlp(16, 10), 2_000, Checkpoints.to(dir))
            .earlyStopping(EarlyStopping.on(Monitor.min("loss")).patience(1).minDelta(10))
            .resume()
            .fit();
    assertThat(again.stopReason()).isEqualTo(StopReason.EARLY_STOPPED);
    assertThat(again.iterations()).isEqualTo(stopped.iterations());
    assertThat(again.message())
        .isEqualTo(
            "it stopped early already at iteration 100: no improvement of validation loss by more"
                + " than 10.0 for 1 validations (best "
                + String.format(java.util.Locale.ROOT, "%.6g", stopped.best().getAsDouble())
                + " at iteration "
                + stopped.bestIteration()
                + "); to train on, resume with a larger patience or without early"
                + " stopping");
    assertThat(snapshotFiles().keySet()).isEqualTo(files.keySet());
    for (Path p : files.keySet()) {
      assertThat(Files.readAllBytes(p)).as(p.toString()).isEqualTo(files.get(p));
    }
    // a larger patience trains on
    RunResult onwards =
        runner(Fixtures.mlp(16, 10), 2_000, Checkpoints.to(dir))
            .earlyStopping(EarlyStopping.on(Monitor.min("loss")).patience(3).minDelta(10))
            .resume()
            .fit();
    assertThat(onwards.iterations()).isEqualTo(200);
  }

  @Test
  void resume_completedRun_trainsNoMoreAndSaysHowToExtend() {
    RunResult done = runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir)).fit();
    RunResult again = runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir)).resume().fit();
    assertThat(again.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(again.iterations()).isEqualTo(60);
    assertThat(again.message())
        .isEqualTo(
            "it had finished already: all 60 iterations were done; to train on, resume with more"
                + " iterations (iterations(n), or --set TRAIN.NUM_ITERATIONS=n on the command"
                + " line)");
    assertThat(again.history().rowCount()).isEqualTo(done.history().rowCount());
  }

  @Test
  void fineTune_nonStrict_loadsMatchingParametersOnly() {
    Block first = Fixtures.mlp(16, 10);
    runner(first, 20, Checkpoints.to(dir).every(20)).fit();
    Path ckpt = dir.resolve("ckpt-000000020.rkc");
    float[] firstLayer = first.getParameters().get(0).getValue().getArray().toFloatArray();

    // another head on the same first layer (10 outputs: the data's classes)
    Block other = Fixtures.mlp(16, 12, 10);
    Path otherDir = dir.resolve("other");
    RunResult r =
        Runner.with(other)
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Optimizers.sgd().lr(1e-9))
            .iterations(1)
            .fineTune(ckpt, false)
            .checkpoints(Checkpoints.to(otherDir))
            .quiet()
            .fit();
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    // lr 1e-9: the first layer is still the fine-tuned one
    assertThat(other.getParameters().get(0).getValue().getArray().toFloatArray())
        .containsExactly(firstLayer, within(1e-6f));
    assertThatThrownBy(
            () ->
                Runner.with(Fixtures.mlp(16, 12, 10))
                    .loss(Loss.softmaxCrossEntropyLoss())
                    .data(digits.train())
                    .optimizer(Optimizers.sgd().lr(1e-9))
                    .iterations(1)
                    .fineTune(ckpt, true)
                    .quiet()
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong to this model");
  }

  @Test
  void resume_otherSeed_throwsSuggestingFineTune() {
    runner(Fixtures.mlp(16, 10), 20, Checkpoints.to(dir).every(20)).fit();
    assertThatThrownBy(
            () -> runner(Fixtures.mlp(16, 10), 40, Checkpoints.to(dir)).seed(9).resume().fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "was written by a run with seed 42 and batch size 64; this run has seed 9 and batch"
                + " size 64. Resume needs the same (use fineTune(...) to start a new run from its"
                + " weights)");
  }

  @Test
  void resume_fromAnOlderPath_replaysToTheSameParametersAndHistory() {
    Block whole = Fixtures.mlp(16, 10);
    RunResult a = runner(whole, 60, Checkpoints.to(dir).every(20).keepLast(5)).fit();
    Path at20 = dir.resolve("ckpt-000000020.rkc");
    Block resumed = Fixtures.mlp(16, 10);
    RunResult b =
        runner(resumed, 60, Checkpoints.to(dir.resolve("again")).every(20)).resume(at20).fit();
    Map<String, float[]> x = ResumeChild.parameters(whole);
    Map<String, float[]> y = ResumeChild.parameters(resumed);
    for (String name : x.keySet()) {
      assertThat(y.get(name)).as(name).containsExactly(x.get(name), within(1e-6f));
    }
    assertThat(b.history().removeColumns("elapsed").printAll())
        .isEqualTo(a.history().removeColumns("elapsed").printAll());
  }

  @Test
  void resume_pathIntoAnotherFolder_findsTheBestParametersForTheTestAtTheEnd() {
    // the highest loss is the best here, so the best stays at the first validation (50) and the
    // test at the end must run on those parameters, found next to the resumed file
    RunResult a =
        runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir).every(20))
            .monitor(Monitor.max("loss"))
            .test(digits.validation())
            .fit();
    assertThat(a.bestIteration()).isEqualTo(50);
    RunResult b =
        runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir.resolve("again")).every(20))
            .monitor(Monitor.max("loss"))
            .test(digits.validation())
            .resume(dir.resolve("ckpt-000000060.rkc"))
            .fit();
    assertThat(b.bestIteration()).isEqualTo(50);
    assertThat(b.bestCheckpoint()).contains(dir.resolve("best.rkc"));
    assertThat(b.test().get("loss")).isCloseTo(a.test().get("loss"), within(1e-6));
  }

  @Test
  void resume_bestFileWrittenAfterTheCheckpoint_isNotTakenForTheBest() {
    RunResult a =
        runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir).every(10).keepLast(10))
            .test(digits.validation())
            .fit();
    assertThat(a.bestIteration()).isEqualTo(60);
    // going back to 50: best.rkc holds iteration 60 now, the best at 50 is ckpt-50 itself
    RunResult b =
        runner(Fixtures.mlp(16, 10), 50, Checkpoints.to(dir).every(10).keepLast(10))
            .test(digits.validation())
            .resume(dir.resolve("ckpt-000000050.rkc"))
            .fit();
    RunResult c =
        runner(Fixtures.mlp(16, 10), 50, Checkpoints.to(dir.resolve("fresh")).every(10))
            .test(digits.validation())
            .fit();
    assertThat(b.bestIteration()).isEqualTo(50);
    assertThat(b.bestCheckpoint()).contains(dir.resolve("ckpt-000000050.rkc"));
    assertThat(b.test().get("loss")).isCloseTo(c.test().get("loss"), within(1e-6));
  }

  @Test
  void resume_olderCheckpointInTheSameFolder_movesLaterOnesAsideAndKeepsItsOwn() {
    runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir).every(20).keepLast(3)).fit();
    assertThat(Checkpoints.periodic(dir)).containsExactly(40L, 50L, 60L);
    RunResult b =
        runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir).every(20).keepLast(3))
            .resume(dir.resolve("ckpt-000000040.rkc"))
            .callbacks(Fixtures.stopAt(45, "back later"))
            .fit();
    assertThat(b.iterations()).isEqualTo(45);
    // left in place, pruning would keep the three highest (50, 60 and 45 deleted at once) and
    // resume() would take 60 of the abandoned continuation
    assertThat(Checkpoints.periodic(dir)).containsExactly(40L, 45L);
    assertThat(Checkpoints.periodic(dir.resolve("superseded-40"))).containsExactly(50L, 60L);
    // the validations at 50 and 60 are past 40, so is their best
    assertThat(dir.resolve("superseded-40").resolve("best.rkc")).exists();
    assertThat(dir.resolve("best.rkc")).doesNotExist();
  }

  @Test
  void resume_otherAccumulation_throwsBeforeFirstStep() {
    runner(Fixtures.mlp(16, 10), 20, Checkpoints.to(dir).every(20)).fit();
    Runner r = runner(Fixtures.mlp(16, 10), 40, Checkpoints.to(dir).every(20)).accumulate(2);
    assertThatThrownBy(r.resume()::fit)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checkpoint "
                + dir.resolve("ckpt-000000020.rkc")
                + " was written by a run with 1437 training rows and accumulate 1; this run has"
                + " 1437 and 2. Resume needs the same (use fineTune(...) to start a new run from"
                + " its weights)");
  }

  @Test
  void fit_freshRunIntoAFolderWithCheckpoints_movesThemAside() {
    runner(Fixtures.mlp(16, 10), 40, Checkpoints.to(dir).every(20)).fit();
    RunResult again = runner(Fixtures.mlp(16, 10), 30, Checkpoints.to(dir).every(20)).fit();
    assertThat(again.iterations()).isEqualTo(30);
    // left in place, 40 of the first run would be the latest for resume()
    assertThat(Checkpoints.periodic(dir)).containsExactly(20L, 30L);
    assertThat(Checkpoints.periodic(dir.resolve("superseded-0"))).containsExactly(20L, 40L);
  }

  /**
   * A fine-tuning source among the run's own checkpoints stayed in place: it outranked the run's
   * checkpoints when pruning (keepLast(1) deleted each one as it was written), was the latest for
   * resume(), and would have been overwritten at its iteration; the run now refuses it up front.
   */
  @Test
  void fineTune_fromACheckpointInTheRunsOwnFolder_throwsBeforeTraining() throws Exception {
    runner(Fixtures.mlp(16, 10), 100, Checkpoints.to(dir).every(50)).fit();
    Path source = dir.resolve("ckpt-000000100.rkc");
    byte[] before = Files.readAllBytes(source);
    assertThatThrownBy(
            () ->
                runner(Fixtures.mlp(16, 10), 40, Checkpoints.to(dir).every(10).keepLast(1))
                    .fineTune(source, true)
                    .fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fineTune source "
                + source
                + " lies among the checkpoints of this run's folder "
                + dir
                + ", which the run prunes, overwrites and moves aside; copy it to another folder"
                + " or write this run's checkpoints elsewhere");
    assertThat(Files.readAllBytes(source)).isEqualTo(before);
    assertThat(Checkpoints.periodic(dir)).containsExactly(50L, 100L);
  }

  /**
   * Going back to a superseded run: the folder's checkpoints belong to the run that superseded it,
   * whatever their iterations, so they are moved aside too, not pruned or overwritten, and not
   * taken for the resumed run's best.
   */
  @Test
  void resume_fromASupersededCheckpointIntoTheFolder_keepsTheOtherRunsFilesAndBest()
      throws Exception {
    runner(Fixtures.mlp(16, 10), 50, Checkpoints.to(dir).every(25))
        .monitor(Monitor.max("loss"))
        .fit();
    runner(Fixtures.mlp(16, 10), 50, Checkpoints.to(dir).every(25))
        .monitor(Monitor.max("loss"))
        .seed(7)
        .fit();
    Map<String, byte[]> second = new LinkedHashMap<>();
    for (String name : List.of("ckpt-000000025.rkc", "ckpt-000000050.rkc", "best.rkc")) {
      second.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    Path first = dir.resolve("superseded-0");

    RunResult back =
        runner(Fixtures.mlp(16, 10), 100, Checkpoints.to(dir).every(25).keepLast(1))
            .monitor(Monitor.max("loss"))
            .resume(first.resolve("ckpt-000000050.rkc"))
            .fit();

    assertThat(back.bestIteration()).isEqualTo(50);
    assertThat(back.bestCheckpoint()).contains(first.resolve("best.rkc"));
    Path aside = dir.resolve("superseded-50");
    second.forEach(
        (name, bytes) -> {
          try {
            assertThat(Files.readAllBytes(aside.resolve(name))).as(name).isEqualTo(bytes);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    assertThat(Checkpoints.periodic(dir)).containsExactly(100L);
  }

  /**
   * Resumed from 50 after the run went on to a better 60, the best is ckpt-50 itself (best.rkc is
   * moved aside): pruning must not delete it while it holds the best parameters.
   */
  @Test
  void resume_bestIsAPeriodicCheckpoint_pruningKeepsIt() {
    runner(Fixtures.mlp(16, 10), 60, Checkpoints.to(dir).every(10).keepLast(10)).fit();
    Path at50 = dir.resolve("ckpt-000000050.rkc");
    RunResult b =
        runner(Fixtures.mlp(16, 10), 100, Checkpoints.to(dir).every(10).keepLast(1))
            .resume(at50)
            .callbacks(Fixtures.stopAt(90, "back later"))
            .fit();
    assertThat(b.iterations()).isEqualTo(90);
    assertThat(b.bestIteration()).isEqualTo(50);
    assertThat(b.bestCheckpoint()).contains(at50);
    assertThat(at50).exists();
    assertThat(Checkpoints.periodic(dir)).containsExactly(50L, 90L);
  }
}
