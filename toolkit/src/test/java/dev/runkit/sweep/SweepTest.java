package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Whole sweeps on the real engine: ASHA with exact promotion, the on-disk state, failures. */
class SweepTest {

  @TempDir Path tmp;

  @Test
  void ashaSweep_promotedTrialEqualsTheUninterruptedRun_andTheDirectoryHoldsTheSweep()
      throws Exception {
    RunConfig base = SweepFixtures.base(tmp);
    List<String> heard = new ArrayList<>();
    Path dir = tmp.resolve("sweep");
    SweepResult r =
        Sweep.of(base)
            .space(
                Space.of()
                    .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2)
                    .choice("MODEL.PARAM.hidden", List.of(16), List.of(32)))
            .maximize("validation/accuracy")
            .trials(4)
            .seed(1)
            .sampler(Samplers.random())
            .scheduler(TrialSchedulers.asha().minIterations(30).reductionFactor(3))
            .directory(dir)
            .listener(
                new SweepListener() {
                  @Override
                  public void onTrialStart(Trial trial) {
                    heard.add("start " + trial.id() + "@" + trial.stopAt());
                  }

                  @Override
                  public void onTrialEnd(Trial trial, TrialResult result) {
                    heard.add("end " + trial.id() + " " + result.status());
                  }
                })
            .fit();

    Table table = r.table();
    assertThat(table.columnNames())
        .containsExactly(
            "trial",
            "TRAIN.OPTIM.PARAM.lr",
            "MODEL.PARAM.hidden",
            "status",
            "objective",
            "best_iteration",
            "iterations",
            "seconds",
            "message");
    assertThat(table.rowCount()).isEqualTo(4);
    // rungs 30 and 90: of the first three at 30 the best goes on; the fourth makes 4 at the rung
    List<TrialResult> results = r.results();
    assertThat(results).allMatch(x -> x.status() != TrialStatus.RUNNING);
    List<TrialResult> completed =
        results.stream().filter(x -> x.status() == TrialStatus.COMPLETED).toList();
    assertThat(completed).isNotEmpty().allMatch(x -> x.iterations() == 90);
    assertThat(results.stream().filter(x -> x.status() == TrialStatus.PRUNED))
        .allMatch(x -> x.iterations() == 30);
    assertThat(heard).contains("start 0@30", "start 1@30", "start 2@30", "start 3@30");
    assertThat(heard.stream().filter(h -> h.contains("@90"))).hasSize(completed.size());

    // the promoted trial ends exactly as the same trial trained in one go
    BestTrial best = r.best();
    assertThat(best.result().status()).isEqualTo(TrialStatus.COMPLETED);
    assertThat(best.result().startIteration()).as("continued from its rung").isEqualTo(30);
    Trial again = best.trial().stopAt(90);
    again =
        new Trial(
            again.id(),
            again.baseConfig(),
            again.params(),
            again.seed(),
            90,
            tmp.resolve("uninterrupted").toString(),
            again.objective());
    TrialResult whole = InProcessExecutor.create().run(again);
    assertThat(best.result().history()).hasSameSizeAs(whole.history());
    for (int i = 0; i < whole.history().size(); i++) {
      TrialResult.Row a = whole.history().get(i);
      TrialResult.Row b = best.result().history().get(i);
      assertThat(List.of(b.iteration(), b.phase(), b.metric()))
          .isEqualTo(List.of(a.iteration(), a.phase(), a.metric()));
      assertThat(b.value()).as("row %d", i).isCloseTo(a.value(), within(1e-6));
    }
    assertThat(best.result().objective()).isCloseTo(whole.objective(), within(1e-6));
    assertThat(best.result().bestIteration()).isEqualTo(whole.bestIteration());

    // the directory: the resolved sweep, the log, the table, the best config, one run per trial
    assertThat(r.directory()).isEqualTo(dir);
    Table csv = Table.read().csv(dir.resolve("trials.csv").toFile());
    assertThat(csv.rowCount()).isEqualTo(4);
    assertThat(csv.stringColumn("status").asList())
        .isEqualTo(table.stringColumn("status").asList());
    List<String> events = Files.readAllLines(dir.resolve("trials.jsonl"));
    assertThat(events.stream().filter(e -> e.startsWith("{\"event\":\"start\""))).hasSize(4);
    assertThat(events.stream().filter(e -> e.startsWith("{\"event\":\"continue\"")))
        .hasSize(completed.size());
    assertThat(events.get(events.size() - 1)).isEqualTo("{\"event\":\"end\"}");
    for (int t = 0; t < 4; t++) {
      assertThat(dir.resolve(Trial.name(t)).resolve(RunConfig.CONFIG_FILE)).exists();
    }
    RunConfig bestConfig =
        RunConfig.load(dir.resolve("best.yaml"), List.of("RUN_DIR=" + tmp.resolve("retrain")));
    Map<String, Object> bestMap = bestConfig.resolved();
    assertThat(((Map<?, ?>) ((Map<?, ?>) bestMap.get("TRAIN")).get("OPTIM")).get("PARAM"))
        .extracting(m -> ((Map<?, ?>) m).get("lr"))
        .isEqualTo(best.trial().params().get("TRAIN.OPTIM.PARAM.lr"));
    // sweep.yaml is itself a sweep file that reads back to the same base and settings
    Map<String, Object> resolved = ConfigFiles.read(dir.resolve("sweep.yaml"));
    Map<?, ?> section = (Map<?, ?>) resolved.get("SWEEP");
    assertThat(section.get("METRIC")).isEqualTo("validation/accuracy");
    assertThat(section.get("MODE")).isEqualTo("max");
    assertThat(section.get("SCHEDULER"))
        .isEqualTo(
            Map.of("TYPE", "asha", "PARAM", Map.of("min_iterations", 30, "reduction_factor", 3.0)));
    Sweep reread = Sweep.load(dir.resolve("sweep.yaml"));
    assertThat(reread.base().resolved()).isEqualTo(base.resolved());
    assertThat(replay(dir, TrialSchedulers.asha().minIterations(30).reductionFactor(3), 4))
        .isEqualTo(events.size() - 1);
  }

  /**
   * Rebuilds a scheduler from a sweep's log, as a resumed sweep would: every start and continue
   * must be the job the scheduler gives again, every result is reported again. Returns the events
   * replayed.
   */
  @SuppressWarnings("unchecked")
  private static int replay(Path dir, TrialScheduler scheduler, int budget) {
    Objective objective = SweepFixtures.ACCURACY;
    scheduler.begin(90, 10);
    int started = 0;
    int replayed = 0;
    for (Map<String, Object> e : SweepLog.read(dir)) {
      String kind = (String) e.get("event");
      if (kind.equals("start") || kind.equals("continue")) {
        int trial = ((Number) e.get("trial")).intValue();
        long stopAt = ((Number) e.get("stop_at")).longValue();
        TrialScheduler.Job job = scheduler.next(started < budget);
        assertThat(job)
            .isEqualTo(
                kind.equals("start")
                    ? TrialScheduler.Job.start(trial, stopAt)
                    : TrialScheduler.Job.resume(trial, stopAt));
        started += kind.equals("start") ? 1 : 0;
      } else if (kind.equals("result")) {
        List<TrialScheduler.Point> points = new ArrayList<>();
        for (List<Number> p : (List<List<Number>>) e.get("points")) {
          points.add(
              new TrialScheduler.Point(
                  p.get(0).longValue(),
                  objective.loss(p.get(1) == null ? Double.NaN : p.get(1).doubleValue())));
        }
        scheduler.report(
            new TrialScheduler.Report(
                ((Number) e.get("trial")).intValue(),
                ((Number) e.get("iterations")).longValue(),
                points,
                !e.get("status").equals("RUNNING")));
      } else if (kind.equals("pruned")) {
        // ASHA prunes only the trials left waiting when it is done
        assertThat(scheduler.next(started < budget)).isEqualTo(TrialScheduler.Job.DONE);
      } else {
        continue;
      }
      replayed++;
    }
    return replayed;
  }

  private SweepResult medianSweep(RunConfig base, String dir) {
    return Sweep.of(base)
        .space(Space.of().loguniform("TRAIN.OPTIM.PARAM.lr", 3e-4, 3e-2))
        .trials(4)
        .seed(7)
        .sampler(Samplers.tpe().startupTrials(2))
        .scheduler(TrialSchedulers.median().minTrials(1))
        .directory(tmp.resolve(dir))
        .fit();
  }

  @Test
  void medianSweep_sameSeedSameTrials_andSegmentedTrialsEqualUninterruptedOnes() {
    RunConfig base = SweepFixtures.base(tmp, "TRAIN.NUM_ITERATIONS=40");
    SweepResult a = medianSweep(base, "a");
    SweepResult b = medianSweep(base, "b");
    // the objective defaults to the config's VAL.MONITOR, maximised as accuracy is
    assertThat(a.objective()).isEqualTo(new Objective("validation", "accuracy", true));
    Table ta = a.table().removeColumns("seconds");
    Table tb = b.table().removeColumns("seconds");
    assertThat(ta.printAll()).isEqualTo(tb.printAll());
    // every trial trained in segments of one validation interval, each continued exactly
    for (int i = 0; i < 4; i++) {
      TrialResult r = a.results().get(i);
      assertThat(r.status()).isIn(TrialStatus.COMPLETED, TrialStatus.PRUNED);
      assertThat(r.iterations() % 10).isZero();
      Trial t = a.trials().get(i);
      Trial whole =
          new Trial(
              t.id(),
              t.baseConfig(),
              t.params(),
              t.seed(),
              r.iterations(),
              tmp.resolve("whole-" + i).toString(),
              t.objective());
      TrialResult w = InProcessExecutor.create().run(whole);
      assertThat(r.objective()).isCloseTo(w.objective(), within(1e-6));
      assertThat(r.history().stream().filter(x -> x.phase().equals("validation")).count())
          .isEqualTo(w.history().stream().filter(x -> x.phase().equals("validation")).count());
    }
    assertThat(a.results()).anyMatch(r -> r.status() == TrialStatus.COMPLETED);
  }

  @Test
  void trainingObjective_withoutLogInterval_rungsAtTheRunnersReportInterval() {
    Map<String, Object> raw = ConfigFiles.read(SweepFixtures.configFile());
    ((Map<?, ?>) raw.get("TRAIN")).remove("LOG_INTERVAL");
    raw.put("RUN_DIR", tmp.resolve("base").toString());
    RunConfig base = RunConfig.from(raw, SweepFixtures.configFile().getParent(), "no-log-interval");
    SweepResult r =
        Sweep.of(base)
            .space(Space.of().loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2))
            .minimize("train/loss")
            .trials(1)
            .sampler(Samplers.random())
            .scheduler(TrialSchedulers.asha())
            .directory(tmp.resolve("sweep"))
            .fit();
    // 90 iterations validated every 10 report training every 5 (the divisor of 10 nearest to
    // 90 / 20): the first rung is there, where the run reports the objective (it was 90 / 20 = 4)
    assertThat(r.trials().get(0).stopAt()).isEqualTo(5);
    assertThat(
            r.results().get(0).history().stream()
                .filter(x -> x.phase().equals("train") && x.metric().equals("loss"))
                .map(TrialResult.Row::iteration))
        .containsExactly(5L);
  }
}
