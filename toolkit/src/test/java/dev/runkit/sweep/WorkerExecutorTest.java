package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import dev.runkit.run.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials in local worker processes on the real engine: the same results as in this process, a trial
 * continued in another process than the one that started it, a worker killed mid-trial.
 */
class WorkerExecutorTest {

  @TempDir Path tmp;

  private static final Pattern SEGMENT_START =
      Pattern.compile("\\[worker (\\d+), pid (\\d+)\\] (trial-\\d+): to iteration");

  private static Sweep asha(RunConfig base, Path dir) {
    return Sweep.of(base)
        .space(
            Space.of()
                .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2)
                .choice("MODEL.PARAM.hidden", List.of(16), List.of(32)))
        .maximize("validation/accuracy")
        .trials(6)
        .seed(5)
        .sampler(Samplers.random())
        .scheduler(TrialSchedulers.asha().minIterations(30).reductionFactor(3))
        .directory(dir);
  }

  /** Three random trials, each to the end. */
  private static Sweep fifo(RunConfig base, Path dir) {
    return Sweep.of(base)
        .space(Space.of().loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2))
        .maximize("validation/accuracy")
        .trials(3)
        .seed(5)
        .sampler(Samplers.random())
        .scheduler(TrialSchedulers.fifo())
        .directory(dir);
  }

  @Test
  void ashaSweep_twoWorkers_sameTrialsAndHistoriesAsInProcess_andNoWorkerLingers()
      throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    SweepResult here = asha(base, tmp.resolve("here")).fit();
    List<ProcessHandle> before = ProcessHandle.current().children().toList();
    SweepResult workers;
    try (TrialExecutor pool = TrialExecutors.workers(2)) {
      workers = asha(base, tmp.resolve("workers")).executor(pool).fit();
      assertThat(pool.toConfig())
          .isEqualTo(Map.of("TYPE", "workers", "PARAM", Map.of("workers", 2)));
    }
    SweepFixtures.assertSameTrials(here, workers);
    assertThat(workers.results())
        .as("a promoted trial")
        .anyMatch(r -> r.status() == TrialStatus.COMPLETED && r.startIteration() == 30);
    // both workers trained, and wrote their lines to the log, not to this console
    String log = Files.readString(tmp.resolve("workers").resolve(WorkerExecutor.LOG_FILE));
    Matcher m = SEGMENT_START.matcher(log);
    List<String> workersSeen = new ArrayList<>();
    while (m.find()) {
      workersSeen.add(m.group(1));
    }
    assertThat(workersSeen).contains("1", "2");
    // closed: no worker process is left
    assertThat(ProcessHandle.current().children().filter(p -> !before.contains(p)))
        .allMatch(p -> !p.isAlive());
  }

  /**
   * The sweep keeps one segment queued beyond those training, so that a worker ending one takes the
   * next at once: with one worker, trial-001 is started before trial-000's result comes back, and
   * the trials are those of the sweep in this process. Listeners (the live display, the CLI's
   * lines) hear that a segment starts when the worker takes it, not when it is queued.
   */
  @Test
  void oneWorker_theNextSegmentIsQueuedWhileOneTrains() throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    SweepResult here = fifo(base, tmp.resolve("here")).fit();
    SweepResult queued;
    List<String> heard = new ArrayList<>();
    Thread fitThread = Thread.currentThread();
    SweepListener listener =
        new SweepListener() {
          @Override
          public void onTrialStart(Trial trial) {
            heard.add(
                (Thread.currentThread() == fitThread ? "" : "elsewhere ") + "start " + trial.id());
          }

          @Override
          public void onTrialEnd(Trial trial, TrialResult result) {
            heard.add("end " + trial.id());
          }
        };
    try (TrialExecutor pool = TrialExecutors.workers(1)) {
      assertThat(pool.queueAhead()).isEqualTo(1);
      queued = fifo(base, tmp.resolve("queued")).executor(pool).listener(listener).fit();
    }
    assertThat(heard).containsExactly("start 0", "end 0", "start 1", "end 1", "start 2", "end 2");
    List<String> events = Files.readAllLines(tmp.resolve("queued").resolve(SweepLog.EVENTS_FILE));
    int start1 = -1;
    int result0 = -1;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith("{\"event\":\"start\",\"trial\":1,")) {
        start1 = i;
      }
      if (events.get(i).startsWith("{\"event\":\"result\",\"trial\":0,")) {
        result0 = i;
      }
    }
    assertThat(start1).as("trial-001 started").isNotNegative();
    assertThat(start1).as("started before trial-000's result").isLessThan(result0);
    SweepFixtures.assertSameTrials(here, queued);
  }

  private Trial trial(RunConfig base, String dir, long stopAt) {
    return new Trial(
        0,
        ConfigFiles.toYaml(base.resolved()),
        Map.of("TRAIN.OPTIM.PARAM.lr", 0.01),
        base.seed(),
        stopAt,
        tmp.resolve("sweep").resolve(dir).toString(),
        SweepFixtures.ACCURACY);
  }

  @Test
  void trialStartedInOneWorkerAndContinuedInAnother_endsAsTheUninterruptedRun() throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    TrialResult whole = InProcessExecutor.create().run(trial(base, "whole", 90));
    TrialResult first;
    try (TrialExecutor pool = TrialExecutors.workers(1)) {
      first = pool.submit(trial(base, "split", 30)).get(5, TimeUnit.MINUTES);
    }
    TrialResult last;
    try (TrialExecutor pool = TrialExecutors.workers(1)) {
      last = pool.submit(trial(base, "split", 90)).get(5, TimeUnit.MINUTES);
    }
    assertThat(first.status()).as(first.message()).isEqualTo(TrialStatus.RUNNING);
    assertThat(last.status()).as(last.message()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(last.startIteration()).as("continued, not retrained").isEqualTo(30);
    List<String> pids = new ArrayList<>();
    Matcher m =
        SEGMENT_START.matcher(
            Files.readString(tmp.resolve("sweep").resolve(WorkerExecutor.LOG_FILE)));
    while (m.find()) {
      pids.add(m.group(2));
    }
    assertThat(pids).hasSize(2).doesNotHaveDuplicates();
    assertThat(last.history()).hasSameSizeAs(whole.history());
    for (int i = 0; i < whole.history().size(); i++) {
      assertThat(last.history().get(i).value())
          .as("row %d", i)
          .isCloseTo(whole.history().get(i).value(), within(1e-6));
    }
    assertThat(last.objective()).isCloseTo(whole.objective(), within(1e-6));
  }

  @Test
  void workerKilledMidTrial_isReplaced_andItsTrialContinuesFromItsCheckpoint_sameResults()
      throws Exception {
    RunConfig base =
        SweepFixtures.base(
            tmp, "TRAIN.NUM_ITERATIONS=300", "TRAIN.LR_SCHEDULER.PARAM.num_training_steps=300");
    Space space = Space.of().loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2);
    Path dir = tmp.resolve("killed");
    SweepResult killed;
    long killedAt;
    Optional<ProcessHandle> worker = Optional.empty();
    try (TrialExecutor pool = TrialExecutors.workers(2)) {
      CompletableFuture<SweepResult> running =
          CompletableFuture.supplyAsync(
              () ->
                  Sweep.of(base)
                      .space(space)
                      .trials(3)
                      .sampler(Samplers.random())
                      .directory(dir)
                      .executor(pool)
                      .fit());
      // once trial-000 has a checkpoint at 20 or later, SIGKILL the worker that trains it
      Path checkpoints = dir.resolve("trial-000").resolve(RunConfig.CHECKPOINTS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline && !running.isDone()) {
        if (Checkpoints.periodic(checkpoints).stream().anyMatch(i -> i >= 20)) {
          worker = workerOf(dir, "trial-000");
          if (worker.isPresent()) {
            break;
          }
        }
        Thread.sleep(5);
      }
      assertThat(worker).as("the worker of trial-000, mid-trial").isPresent();
      killedAt = Checkpoints.periodic(checkpoints).stream().mapToLong(i -> i).max().orElse(0);
      worker.get().destroyForcibly(); // SIGKILL
      killed = running.get(5, TimeUnit.MINUTES);
    }

    TrialResult r = killed.results().get(0);
    assertThat(r.status()).as(r.message()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(r.startIteration())
        .as("continued from its newest checkpoint, not retrained")
        .isBetween(killedAt, 299L);
    assertThat(Files.readString(dir.resolve(WorkerExecutor.LOG_FILE)))
        .contains(
            "(pid "
                + worker.get().pid()
                + ") ended with exit status 137 while running trial-000; a new worker continues it"
                + " from its newest checkpoint");
    SweepResult here =
        Sweep.of(base)
            .space(space)
            .trials(3)
            .sampler(Samplers.random())
            .directory(tmp.resolve("here"))
            .fit();
    SweepFixtures.assertSameTrials(here, killed);
    assertThat(killed.results()).allMatch(x -> x.status() == TrialStatus.COMPLETED);
  }

  /** The worker process that logged the start of a trial's segment. */
  private static Optional<ProcessHandle> workerOf(Path dir, String trial) throws Exception {
    Path log = dir.resolve(WorkerExecutor.LOG_FILE);
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    Matcher m = SEGMENT_START.matcher(Files.readString(log));
    while (m.find()) {
      if (m.group(3).equals(trial)) {
        return ProcessHandle.of(Long.parseLong(m.group(2)));
      }
    }
    return Optional.empty();
  }

  @Test
  void executorConfig_badWorkers_namesTheKeyAndWhatIsAllowed() {
    assertThatThrownBy(
            () ->
                TrialExecutors.build(
                    Map.of("TYPE", "workers", "PARAM", Map.of("workers", 0)), "SWEEP.EXECUTOR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SWEEP.EXECUTOR.PARAM.workers must be a whole number in [1, 1024], got 0");
    assertThatThrownBy(() -> TrialExecutors.build(Map.of("TYPE", "worker"), "SWEEP.EXECUTOR"))
        .hasMessageContaining("Did you mean \"workers\"?");
    assertThatThrownBy(
            () ->
                TrialExecutors.build(
                    Map.of("TYPE", "workers", "PARAM", Map.of("worker", 2)), "SWEEP.EXECUTOR"))
        .hasMessageContaining("SWEEP.EXECUTOR.PARAM")
        .hasMessageContaining("Did you mean \"workers\"?");
    assertThat(TrialExecutors.build(Map.of("TYPE", "workers"), "SWEEP.EXECUTOR").parallelism())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }
}
