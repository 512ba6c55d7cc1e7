package dev.runkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of the data package's Javadoc (its first: your own CSV, arrays and DJL dataset) is
 * code that compiles and runs: it is cut out of {@code package-info.java}, compiled against RunKit
 * and run in a fresh JVM in a folder holding the files it reads.
 */
class PackageExampleTest {

  static final Path PACKAGE_INFO = Path.of("src/main/java/dev/runkit/data/package-info.java");

  static final List<String> IMPORTS =
      List.of(
          "ai.djl.ndarray.NDManager",
          "ai.djl.ndarray.types.Shape",
          "ai.djl.training.dataset.ArrayDataset",
          "ai.djl.training.loss.Loss",
          "dev.runkit.RunResult",
          "dev.runkit.Runner",
          "dev.runkit.model.Mlp",
          "dev.runkit.optim.Optimizers",
          "java.nio.file.Path");

  @TempDir Path tmp;

  /** The text between {@code <pre>{@code} and its closing brace, without the comment's stars. */
  static String example() throws Exception {
    String source = Files.readString(PACKAGE_INFO);
    int start = source.indexOf("<pre>{@code");
    int end = source.indexOf("}</pre>", start);
    assertThat(start).as("an example in %s", PACKAGE_INFO).isPositive();
    StringBuilder code = new StringBuilder();
    for (String line : source.substring(start, end).split("\n")) {
      if (!line.contains("<pre>")) {
        code.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
      }
    }
    return code.toString();
  }

  @Test
  void example_firstShowsYourOwnData() throws Exception {
    String example = example();

    assertThat(example.strip()).startsWith("// your own CSV");
    assertThat(example.indexOf("// your own arrays"))
        .isLessThan(example.indexOf("// the bundled sets"));
    assertThat(example.indexOf("// your own DJL dataset"))
        .isLessThan(example.indexOf("// the bundled sets"));
  }

  @Test
  void example_compilesAndRuns() throws Exception {
    StringBuilder source = new StringBuilder("package example;\n\n");
    IMPORTS.forEach(i -> source.append("import ").append(i).append(";\n"));
    source.append("import dev.runkit.data.*;\n\npublic class DataExample {\n");
    source.append("  public static void main(String[] args) throws Exception {\n");
    source.append(example());
    source.append("  }\n}\n");
    Path java = tmp.resolve("src/example/DataExample.java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, source);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String classpath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();

    int status =
        javac.run(
            null, null, errors, "-classpath", classpath, "-d", classes.toString(), java.toString());

    assertThat(status).as(errors.toString(StandardCharsets.UTF_8) + "\n" + source).isZero();
    Files.copy(
        Path.of(PackageExampleTest.class.getResource("/configs/species.csv").toURI()),
        tmp.resolve("flowers.csv"));
    StringBuilder sales = new StringBuilder("month,units\n");
    for (int m = 0; m < 60; m++) {
      sales.append(m).append(',').append(100 + 10 * Math.sin(m * Math.PI / 6) + m).append('\n');
    }
    Files.writeString(tmp.resolve("sales.csv"), sales);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes + File.pathSeparator + classpath,
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                "example.DataExample"));
    Path log = tmp.resolve("out.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    Process p = builder.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }
}
