package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library ships no logging configuration where a user's own would be contested; the command
 * line and the kernelspec bring theirs, so their output is as quiet as before.
 */
class LoggingTest {

  @TempDir Path tmp;

  @Test
  void classpathRoot_holdsNoLogbackXml() throws Exception {
    // the test classpath: RunKit's classes, its dependencies and test-classes (logback-test.xml)
    List<URL> found = Collections.list(getClass().getClassLoader().getResources("logback.xml"));

    assertThat(found).as("logback.xml at a classpath root").isEmpty();
  }

  @Test
  void cliConfig_isAResourceThatQuietsDjl() throws Exception {
    URL config = Main.class.getClassLoader().getResource(Main.LOGBACK_CONFIG);

    assertThat(config).as(Main.LOGBACK_CONFIG).isNotNull();
    String text = new String(config.openStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("<logger name=\"ai.djl.util.cuda.CudaUtils\" level=\"ERROR\"/>")
        .contains("<root level=\"WARN\">");
  }

  @Test
  void kernelSpec_pointsLogbackAtTheCliConfig() throws Exception {
    Path kernel = Files.write(tmp.resolve("k.jar"), new byte[] {'P', 'K', 3, 4});

    KernelSpec spec =
        KernelSpec.builder(KernelFlavor.JJAVA, kernel).classpath(List.of(kernel)).build();

    assertThat(spec.argv()).contains("-Dlogback.configurationFile=dev/runkit/cli/logback.xml");
  }

  /**
   * {@code runkit train} in a fresh JVM with the command line's classpath (no test-classes, so no
   * logback-test.xml): without its configuration logback would print every library's DEBUG lines.
   */
  @Test
  void train_inFreshJvm_printsNoLibraryLogLines() throws Exception {
    String classpath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.endsWith("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
    Path config = Path.of(LoggingTest.class.getResource("/configs/digits-mlp.yaml").toURI());
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                Main.class.getName(),
                "train",
                config.toString(),
                "--quiet",
                "--set",
                "RUN_DIR=" + tmp.resolve("run"),
                "--set",
                "TRAIN.NUM_ITERATIONS=20"));
    Path log = tmp.resolve("out.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    Process p = builder.start();

    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("run directory: ")
        .doesNotContain("DEBUG")
        .doesNotContain(" INFO ")
        .doesNotContain("CudaUtils");
  }
}
