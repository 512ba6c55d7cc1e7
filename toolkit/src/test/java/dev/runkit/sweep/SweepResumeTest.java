package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runkit.config.RunConfig;
import dev.runkit.run.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** A sweep stopped mid-trial and resumed from its directory, in this process. */
class SweepResumeTest {

  @TempDir Path tmp;

  private static Sweep asha(Sweep sweep) {
    return sweep
        .space(
            Space.of()
                .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2)
                .choice("MODEL.PARAM.hidden", List.of(16), List.of(32)))
        .maximize("validation/accuracy")
        .trials(6)
        .seed(5)
        .sampler(Samplers.random())
        .scheduler(TrialSchedulers.asha().minIterations(30).reductionFactor(3));
  }

  /**
   * The log's events without the wall times, which differ from run to run, and where segments
   * started from (a resumed segment starts at the stop's checkpoint).
   */
  private static List<String> events(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve(SweepLog.EVENTS_FILE)).stream()
        .map(l -> l.replaceAll("\"(seconds|start_iteration)\":[0-9.Ee-]+,", ""))
        .toList();
  }

  private static void sleep() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String withoutSeconds(Table t) {
    return t.removeColumns("seconds").printAll();
  }

  /**
   * Kernel ▸ Interrupt of a notebook running {@code sweep.fit()} in-process interrupts the thread
   * that runs both the sweep and its trial: the trial stops after its iteration in progress, and
   * the sweep stops as {@link Sweep#stop()} does (it used to record the trial cut short as
   * completed and start the next).
   */
  @Test
  void interruptOfTheSweepsThread_stopsTheSweep_whichResumesAsTheUninterruptedOne()
      throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    SweepResult uninterrupted = asha(Sweep.of(base)).directory(tmp.resolve("whole")).fit();

    Path dir = tmp.resolve("interrupted");
    Thread sweeping = Thread.currentThread();
    Path first = dir.resolve("trial-001").resolve(RunConfig.CHECKPOINTS);
    Sweep sweep = asha(Sweep.of(base)).directory(dir);
    sweep.listener(
        new SweepListener() {
          @Override
          public void onTrialStart(Trial trial) {
            if (trial.id() == 1 && trial.stopAt() == 30) {
              Thread interrupter =
                  new Thread(
                      () -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (Checkpoints.periodic(first).isEmpty()
                            && System.nanoTime() < deadline) {
                          sleep();
                        }
                        sweeping.interrupt();
                      });
              interrupter.start();
            }
          }
        });
    SweepResult stopped = sweep.fit();
    assertThat(Thread.interrupted()).isFalse();
    assertThat(stopped.stopped()).isTrue();
    // no trial cut short by the interrupt is recorded, as completed or at all
    assertThat(stopped.results()).hasSizeLessThan(uninterrupted.results().size());
    assertThat(stopped.results()).noneMatch(r -> r.status() == TrialStatus.COMPLETED);

    SweepResult resumed = Sweep.resume(dir).fit();
    assertThat(resumed.stopped()).isFalse();
    assertThat(withoutSeconds(resumed.table())).isEqualTo(withoutSeconds(uninterrupted.table()));
    SweepFixtures.assertSameTrials(uninterrupted, resumed);
  }

  @Test
  void sweepStoppedMidTrial_resumed_endsAsTheUninterruptedOne_andRerunsNoRecordedSegment()
      throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    Path whole = tmp.resolve("whole");
    SweepResult uninterrupted = asha(Sweep.of(base)).directory(whole).fit();

    // stop the fourth segment (trial-000 promoted from 30 to 90) once it has passed iteration 50
    Path dir = tmp.resolve("stopped");
    Sweep sweep = asha(Sweep.of(base)).directory(dir);
    Path promoted = dir.resolve("trial-000").resolve(RunConfig.CHECKPOINTS);
    sweep.listener(
        new SweepListener() {
          private int segments;

          @Override
          public void onTrialStart(Trial trial) {
            if (++segments == 4) {
              assertThat(trial.id()).isZero();
              assertThat(trial.stopAt()).isEqualTo(90);
              Thread stopper =
                  new Thread(
                      () -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (Checkpoints.periodic(promoted).stream().noneMatch(i -> i > 50)
                            && System.nanoTime() < deadline) {
                          sleep();
                        }
                        sweep.stop();
                      });
              stopper.start();
            }
          }
        });
    SweepResult stopped = sweep.fit();
    assertThat(sweep.stopped()).isTrue();
    // the stopped segment ended after its iteration in progress, with a checkpoint there, and is
    // not recorded: trial-000 still stands at its rung, the log has no end
    List<Long> saved = Checkpoints.periodic(promoted);
    long stoppedAt = saved.get(saved.size() - 1);
    assertThat(stoppedAt).isBetween(51L, 89L);
    assertThat(stopped.results().get(0).iterations()).isEqualTo(30);
    assertThat(stopped.results()).hasSize(3);
    List<String> before = events(dir);
    assertThat(before.get(before.size() - 1))
        .isEqualTo("{\"event\":\"continue\",\"trial\":0,\"stop_at\":90}");
    byte[] paused = Files.readAllBytes(dir.resolve("trial-001").resolve(RunConfig.HISTORY_FILE));
    long pausedTime =
        Files.getLastModifiedTime(dir.resolve("trial-001").resolve(RunConfig.HISTORY_FILE))
            .toMillis();
    // a crash while writing an event leaves a line cut short: the resume drops it
    Files.writeString(
        dir.resolve(SweepLog.EVENTS_FILE),
        "{\"event\":\"sta",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    SweepResult resumed = Sweep.resume(dir).fit();

    assertThat(withoutSeconds(resumed.table())).isEqualTo(withoutSeconds(uninterrupted.table()));
    // the same decisions in the same order: no recorded segment ran again
    assertThat(events(dir)).isEqualTo(events(whole));
    assertThat(resumed.results().get(0).startIteration())
        .as("continued from the stop's checkpoint")
        .isEqualTo(stoppedAt);
    SweepFixtures.assertSameTrials(uninterrupted, resumed);
    // a trial paused at its rung and never promoted was not touched again
    Path history = dir.resolve("trial-001").resolve(RunConfig.HISTORY_FILE);
    assertThat(Files.readAllBytes(history)).isEqualTo(paused);
    assertThat(Files.getLastModifiedTime(history).toMillis()).isEqualTo(pausedTime);
    assertThat(Table.read().csv(dir.resolve(SweepLog.TABLE_FILE).toFile()).rowCount()).isEqualTo(6);
    assertThat(dir.resolve(SweepLog.BEST_FILE)).exists();

    // a sweep that has ended resumes to the same result, and writes nothing
    List<String> ended = events(dir);
    long csvTime = Files.getLastModifiedTime(dir.resolve(SweepLog.TABLE_FILE)).toMillis();
    SweepResult again = Sweep.resume(dir).fit();
    assertThat(withoutSeconds(again.table())).isEqualTo(withoutSeconds(resumed.table()));
    assertThat(again.best().trial().params()).isEqualTo(resumed.best().trial().params());
    assertThat(events(dir)).isEqualTo(ended);
    assertThat(Files.getLastModifiedTime(dir.resolve(SweepLog.TABLE_FILE)).toMillis())
        .isEqualTo(csvTime);
  }

  @Test
  void resume_sweepFileChanged_saysTheLogDoesNotReplayAndTrainsNothing() throws Exception {
    RunConfig base = SweepFixtures.base(tmp, "TRAIN.NUM_ITERATIONS=40");
    Path dir = tmp.resolve("sweep");
    Sweep sweep =
        Sweep.of(base)
            .space(Space.of().loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2))
            .trials(2)
            .sampler(Samplers.random())
            .scheduler(TrialSchedulers.asha().minIterations(10).reductionFactor(2))
            .directory(dir);
    sweep.listener(
        new SweepListener() {
          @Override
          public void onTrialEnd(Trial trial, TrialResult result) {
            sweep.stop();
          }
        });
    sweep.fit();
    Path file = dir.resolve(SweepLog.SWEEP_FILE);
    Files.writeString(
        file, Files.readString(file).replace("min_iterations: 10", "min_iterations: 20"));
    List<String> before = events(dir);

    assertThatThrownBy(() -> Sweep.resume(dir).fit())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            dir.resolve(SweepLog.EVENTS_FILE)
                + " does not replay with "
                + file
                + ": the log has Job[kind=START, trial=0, stopAt=10] where"
                + " AshaScheduler{min_iterations=20, reduction_factor=2.0} gives"
                + " Job[kind=START, trial=0, stopAt=20]; was the sweep file changed?");
    assertThat(events(dir)).isEqualTo(before);
  }

  @Test
  void resume_noSweepThere_orAnotherSetting_isRefusedWithWhatIsAllowed() throws Exception {
    assertThatThrownBy(() -> Sweep.resume(tmp.resolve("none")))
        .hasMessage(
            tmp.resolve("none")
                + " is not a directory with trials.jsonl (made by a sweep's fit or `runkit"
                + " sweep`)");
    assertThatThrownBy(() -> Sweep.resume(tmp))
        .hasMessage(
            tmp
                + " holds no sweep: it has no trials.jsonl (made by a sweep's fit or `runkit sweep`)");
    Files.writeString(tmp.resolve(SweepLog.EVENTS_FILE), "");
    assertThatThrownBy(() -> Sweep.resume(tmp, List.of("SWEEP.TRIALS=9")))
        .hasMessage(
            "a resumed sweep changes only SWEEP.EXECUTOR (where its trials run), got SWEEP.TRIALS:"
                + " the log replays only with the settings it was written with");
  }
}
