package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runkit} picks its java as a user expects ({@code JAVA_HOME} first, then {@code PATH})
 * and names that java when it is too old. The script runs for real under {@code /bin/sh}, copied
 * into a temporary checkout with a stand-in build, and the javas are scripts that print a version
 * line as the JDK does and echo the arguments they were started with.
 */
class LauncherScriptTest {

  static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("bin/runkit");

  @TempDir Path tmp;
  Path checkout;

  /** A checkout with the script and a stand-in build (an empty jar file and a lib folder). */
  @BeforeEach
  void checkout() throws IOException {
    assertThat(SCRIPT).as("bin/runkit, from the toolkit module's folder").isRegularFile();
    checkout = tmp.resolve("checkout");
    Files.createDirectories(checkout.resolve("bin"));
    Files.createDirectories(checkout.resolve("toolkit/target/lib"));
    Files.createFile(checkout.resolve("toolkit/target/runkit-toolkit-1.0.jar"));
    Path script = checkout.resolve("bin/runkit");
    Files.copy(SCRIPT, script);
    executable(script);
  }

  /** A JDK folder whose bin/java prints the given version line and then its arguments. */
  private Path jdk(String name, String versionLine) throws IOException {
    Path home = tmp.resolve(name);
    Path java = home.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "if [ \"$1\" = -version ]; then echo '"
            + versionLine
            + "' >&2; exit 0; fi\n"
            + "echo \""
            + name
            + " ran: $*\"\n");
    executable(java);
    return home;
  }

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  record Outcome(int status, String out, String err) {}

  private Outcome run(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of(checkout.resolve("bin/runkit").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JAVA_HOME");
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().putAll(env);
    Path err = tmp.resolve("stderr.txt");
    builder.redirectError(err.toFile());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Outcome(p.exitValue(), out, Files.readString(err));
  }

  @Test
  void javaHome_set_runsItsJavaWithTheArguments() throws Exception {
    Path home = jdk("jdk17", "openjdk version \"17.0.9\" 2023-10-17");
    Path other = jdk("jdk21", "openjdk version \"21\" 2023-09-19");

    Outcome o =
        run(
            Map.of("JAVA_HOME", home.toString(), "PATH", other.resolve("bin") + ":/usr/bin:/bin"),
            "train",
            "x.yaml");

    assertThat(o.err()).isEmpty();
    assertThat(o.status()).isZero();
    assertThat(o.out())
        .startsWith("jdk17 ran: -Djava.awt.headless=true -cp ")
        .endsWith(" dev.runkit.cli.Main train x.yaml\n");
  }

  @Test
  void javaHome_unset_runsTheJavaOnPath() throws Exception {
    Path other = jdk("jdk21", "openjdk version \"21\" 2023-09-19");

    Outcome o = run(Map.of("PATH", other.resolve("bin") + ":/usr/bin:/bin"), "--help");

    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out()).startsWith("jdk21 ran: ").endsWith("dev.runkit.cli.Main --help\n");
  }

  @Test
  void javaHome_tooOld_namesThatJavaAndItsVersion() throws Exception {
    Path home = jdk("jdk8", "openjdk version \"1.8.0_392\"");

    Outcome o = run(Map.of("JAVA_HOME", home.toString()), "--help");

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.out()).isEmpty();
    assertThat(o.err())
        .isEqualTo(
            "runkit: needs Java 17 or newer, but "
                + home.resolve("bin/java")
                + " (from JAVA_HOME) is 1.8.0_392; set JAVA_HOME to a Java 17 or newer"
                + " installation\n");
  }

  @Test
  void pathJava_tooOld_namesThatJavaAndSaysItCameFromPath() throws Exception {
    Path old = jdk("jdk11", "openjdk version \"11.0.21\" 2023-10-17");

    Outcome o = run(Map.of("PATH", old.resolve("bin") + ":/usr/bin:/bin"), "--help");

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.err())
        .isEqualTo(
            "runkit: needs Java 17 or newer, but "
                + old.resolve("bin/java")
                + " (from PATH) is 11.0.21; set JAVA_HOME to a Java 17 or newer installation\n");
  }

  @Test
  void javaHome_withoutBinJava_saysSo() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-jdk"));

    Outcome o = run(Map.of("JAVA_HOME", empty.toString()), "--help");

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.err())
        .isEqualTo(
            "runkit: JAVA_HOME="
                + empty
                + " has no bin/java; point JAVA_HOME at a Java 17 or newer installation, or unset"
                + " it to use the java on PATH\n");
  }

  @Test
  void sparkOption_addsSparksJarsAndItsJavaFlags() throws Exception {
    Path target = checkout.resolve("toolkit/target");
    Files.createDirectories(target.resolve("spark-lib"));
    Path flags = target.resolve("classes/dev/runkit/sweep/spark/jvm-options.txt");
    Files.createDirectories(flags.getParent());
    Files.writeString(flags, "--add-opens=java.base/java.nio=ALL-UNNAMED\n");
    Path home = jdk("jdk17", "openjdk version \"17.0.9\" 2023-10-17");

    Outcome o = run(Map.of("JAVA_HOME", home.toString()), "sweep", "s.yaml", "--spark", "local[2]");
    Outcome byVariable =
        run(Map.of("JAVA_HOME", home.toString(), "RUNKIT_SPARK", "1"), "sweep", "resume", "d");
    Outcome without = run(Map.of("JAVA_HOME", home.toString()), "sweep", "s.yaml");

    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out())
        .startsWith("jdk17 ran: @" + flags + " -Djava.awt.headless=true -cp ")
        .contains(":" + target.resolve("spark-lib") + "/* dev.runkit.cli.Main sweep s.yaml")
        .endsWith(" --spark local[2]\n");
    assertThat(byVariable.out()).startsWith("jdk17 ran: @" + flags).contains("spark-lib");
    assertThat(without.out()).doesNotContain("spark-lib").doesNotContain("@");
  }

  @Test
  void sparkOption_withoutSparksJars_saysToBuild() throws Exception {
    Path home = jdk("jdk17", "openjdk version \"17.0.9\" 2023-10-17");

    Outcome o = run(Map.of("JAVA_HOME", home.toString()), "sweep", "s.yaml", "--spark=local[2]");

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.out()).isEmpty();
    assertThat(o.err())
        .isEqualTo(
            "runkit: Spark's jars are not in "
                + checkout.resolve("toolkit/target/spark-lib")
                + "; run: mvn -B package -DskipTests\n");
  }
}
