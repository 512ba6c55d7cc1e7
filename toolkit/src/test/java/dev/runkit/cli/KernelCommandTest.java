package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code runkit kernel install --help} lists every option the command accepts. */
class KernelCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void install_help_listsEveryOptionAndExitsZero(String flag) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            List.of("kernel", "install", flag),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(help).startsWith("usage: runkit kernel install [OPTIONS]");
    for (String option :
        List.of(
            "--kernel ",
            "--kernel-jar",
            "--name",
            "--display-name",
            "--classpath",
            "--java",
            "--user",
            "--prefix",
            "--data-dir",
            "--with-spark",
            "--dry-run")) {
      assertThat(help).contains("  " + option);
    }
  }
}
