package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runkit.sweep.Objective;
import dev.runkit.sweep.Samplers;
import dev.runkit.sweep.Space;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepListener;
import dev.runkit.sweep.SweepListenerProvider;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.Trial;
import dev.runkit.sweep.TrialResult;
import dev.runkit.sweep.TrialSchedulers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's live display in a (stand-in JJava) kernel, and the summary it writes. */
class SweepDisplayTest {

  @TempDir Path tmp;

  @AfterEach
  void noKernel() {
    BaseKernel.active = null;
    Show.resetKernel();
  }

  private static List<SweepListener> offered() {
    List<SweepListener> out = new ArrayList<>();
    ServiceLoader.load(SweepListenerProvider.class).forEach(p -> p.listener().ifPresent(out::add));
    return out;
  }

  @Test
  void providers_everywhereTheSummary_inAKernelTheLiveDisplayToo() {
    Show.resetKernel();
    assertThat(offered()).hasSize(1).first().isInstanceOf(SweepSummary.class);

    BaseKernel.active = new BaseKernel();
    Show.resetKernel();
    assertThat(offered())
        .hasSize(2)
        .hasAtLeastOneElementOfType(SweepSummary.class)
        .hasAtLeastOneElementOfType(SweepProgress.class);
  }

  /**
   * A sweep in a kernel with no display asked for: one display, updated in place, ending with the
   * counts, the best trial with its values, the latest trials and the curves; the trials' own fits
   * show nothing.
   */
  @Test
  void sweep_insideAKernel_oneDisplayUpdatedInPlace_trialsQuiet() {
    BaseKernel kernel = new BaseKernel();
    BaseKernel.active = kernel;
    Show.resetKernel();

    List<Integer> ended = new ArrayList<>();
    SweepResult r =
        Sweep.of(SweepChartsTest::digits, 30)
            .space(
                Space.of()
                    .loguniform("lr", 1e-3, 1e-1)
                    .choice("hidden", List.of(16), List.of(32))
                    .integer("batch", 16, 32))
            .maximize("validation/accuracy")
            .trials(4)
            .seed(1)
            .sampler(Samplers.random())
            .scheduler(TrialSchedulers.asha().minIterations(10).reductionFactor(3))
            .directory(tmp.resolve("kernel-sweep"))
            .listener(
                new SweepListener() {
                  @Override
                  public void onTrialEnd(Trial trial, TrialResult result) {
                    ended.add(trial.id());
                  }
                })
            .fit();

    assertThat(kernel.displayed).as("one display: the sweep's, none of a trial's").hasSize(1);
    String id = kernel.displayed.get(0).displayId;
    assertThat(kernel.updated).isNotEmpty().allMatch(d -> id.equals(d.displayId));
    DisplayData last = kernel.updated.get(kernel.updated.size() - 1);
    String html = (String) last.data.get("text/html");
    int best = r.best().trial().id();
    assertThat(html)
        .contains(
            "sweep kernel-sweep ended: 4 of 4 trials started, ",
            "best so far: validation accuracy ",
            ", trial " + best + " (lr = ",
            "latest trials",
            "data:image/png;base64,")
        .doesNotContain("training trial");
    String text = (String) last.data.get("text/plain");
    assertThat(text).contains("ended: 4 of 4 trials started").contains("latest trials");
    // the latest trials, newest first
    String table = text.substring(text.indexOf("latest trials"));
    List<String> rows = table.lines().skip(3).filter(l -> !l.startsWith("(")).toList();
    List<Integer> newestFirst = new ArrayList<>();
    for (int i = ended.size() - 1; i >= 0; i--) {
      if (!newestFirst.contains(ended.get(i))) {
        newestFirst.add(ended.get(i));
      }
    }
    assertThat(rows)
        .extracting(l -> Integer.parseInt(l.trim().split("\\s+")[0]))
        .isEqualTo(newestFirst);
  }

  /** An update that comes within the interval is shown once the interval has passed. */
  @Test
  void update_tooSoon_isShownWhenTheIntervalHasPassed() throws Exception {
    BaseKernel kernel = new BaseKernel();
    BaseKernel.active = kernel;
    Show.resetKernel();
    SweepProgress live = SweepProgress.create(Duration.ofMillis(300), Duration.ofHours(1));
    Objective o = new Objective("validation", "accuracy", true);

    live.onStart(3, tmp.resolve("s"));
    live.onTrialStart(new Trial(0, "", Map.of("lr", 0.1), 0, 10, tmp.toString(), o));
    assertThat(live.updates()).isEqualTo(1);
    Thread.sleep(900);

    assertThat(live.updates()).isEqualTo(2);
    String text = (String) kernel.updated.get(kernel.updated.size() - 1).data.get("text/plain");
    assertThat(text).contains("sweep s: 1 of 3 trials started", "training trial 0 to iteration 10");
  }

  /** A trial that starts after the last update counts as started at once. */
  @Test
  void trialStartedAfterTheLastUpdate_countsAsStarted() {
    BaseKernel kernel = new BaseKernel();
    BaseKernel.active = kernel;
    Show.resetKernel();
    SweepResult one = refused(tmp.resolve("one"));
    SweepProgress live = SweepProgress.create(Duration.ZERO, Duration.ofHours(1));
    Objective o = new Objective("validation", "loss", false);

    live.onStart(3, tmp.resolve("s"));
    live.onUpdate(one);
    live.onTrialStart(new Trial(1, "", Map.of("lr", 0.01), 0, 20, tmp.toString(), o));

    String text = (String) kernel.updated.get(kernel.updated.size() - 1).data.get("text/plain");
    assertThat(text).contains("sweep s: 2 of 3 trials started, 0 completed, 0 pruned, 1 failed");
  }

  /** A sweep whose one trial the factory refuses: a result in no time. */
  private static SweepResult refused(Path dir) {
    return Sweep.of(
            p -> {
              throw new IllegalStateException("refused " + p.number("lr"));
            },
            20)
        .space(Space.of().loguniform("lr", 1e-3, 1e-1))
        .trials(1)
        .directory(dir)
        .fit();
  }

  @Test
  void summary_writesAsTrialsEndAtMostEverySecondAndAlwaysAtTheEnd() {
    AtomicLong now = new AtomicLong();
    SweepSummary summary = new SweepSummary(now::get);
    SweepResult sweep = refused(tmp.resolve("refused"));

    summary.onUpdate(sweep);
    now.set(500_000_000L);
    summary.onUpdate(sweep);
    assertThat(summary.writes()).isEqualTo(1);
    now.set(60_000_000_000L);
    summary.onUpdate(sweep);
    assertThat(summary.writes()).isEqualTo(2);
    summary.onEnd(sweep);
    assertThat(summary.writes()).isEqualTo(3);
  }
}
