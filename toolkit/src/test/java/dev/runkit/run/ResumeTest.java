package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.runkit.RunResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.Table;

class ResumeTest {

  @TempDir Path uninterrupted;
  @TempDir Path killed;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"runkit", "djl"})
  void resume_afterSigkillMidRun_endsLikeUninterruptedRun(String optimizer) throws Exception {
    Process child =
        Fixtures.javaProcess(
                ResumeChild.class, killed.resolve("child.log"), killed.toString(), optimizer)
            .start();
    // wait for the third periodic checkpoint, then kill without warning
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (Checkpoints.periodic(killed).stream().noneMatch(it -> it >= 60)
        && child.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(child.isAlive()).as("child still running when killed").isTrue();
    child.destroyForcibly(); // SIGKILL on Unix
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137);
    List<Long> saved = Checkpoints.periodic(killed);
    assertThat(saved.get(saved.size() - 1)).isBetween(60L, ResumeChild.ITERATIONS - 1);

    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult whole = ResumeChild.fit(uninterrupted, optimizer, manager);
      RunResult resumed = ResumeChild.fit(killed, optimizer, manager);

      assertThat(resumed.stopReason()).as(resumed.message()).isEqualTo(StopReason.COMPLETED);
      assertThat(whole.stopReason()).isEqualTo(StopReason.COMPLETED);
      assertEndsAlike(whole, resumed);
      whole.model().close();
      resumed.model().close();
    }
    // the kill may have left a temporary file, never a damaged checkpoint
    try (var files = Files.list(killed)) {
      assertThat(files.map(Path::toFile).map(File::getName))
          .allMatch(n -> n.endsWith(".rkc") || n.endsWith(".tmp") || n.equals("child.log"));
    }
  }

  /**
   * Asserts that a resumed run ended like the uninterrupted one: every parameter element within
   * 1e-6, the same history rows but for the elapsed time, and the same best iteration.
   */
  static void assertEndsAlike(RunResult whole, RunResult resumed) {
    Map<String, float[]> a = ResumeChild.parameters(whole.model().getBlock());
    Map<String, float[]> b = ResumeChild.parameters(resumed.model().getBlock());
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertThat(y[i]).as(name + "[" + i + "]").isCloseTo(x[i], within(1e-6f));
      }
    }
    Table h1 = whole.history().removeColumns("elapsed");
    Table h2 = resumed.history().removeColumns("elapsed");
    assertThat(h2.rowCount()).isEqualTo(h1.rowCount());
    for (int r = 0; r < h1.rowCount(); r++) {
      assertThat(h2.row(r).toString()).as("history row " + r).isEqualTo(h1.row(r).toString());
    }
    assertThat(resumed.bestIteration()).isEqualTo(whole.bestIteration());
  }
}
