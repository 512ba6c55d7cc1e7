package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  Path fakeJar(String name) throws Exception {
    Path jar = tmp.resolve(name);
    Files.write(jar, new byte[] {'P', 'K', 3, 4});
    return jar;
  }

  @Test
  void noArguments_printsUsageAndReturns2() {
    assertThat(run()).isEqualTo(2);
    assertThat(out()).startsWith("usage: runkit VERB [ARGS...]").contains("kernel ");
  }

  @Test
  void unknownVerb_namesTheNearest() {
    assertThat(run("kernl", "install")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "Unknown command \"kernl\"; expected one of [train, resume, sweep, schedule, kernel]. Did you mean \"kernel\"?");
  }

  @Test
  void kernelWithoutInstall_isAUsageError() {
    assertThat(run("kernel", "list")).isEqualTo(2);
    assertThat(err())
        .startsWith("runkit kernel: expected \"install\" after \"kernel\", got \"list\"");
  }

  @Test
  void kernelInstall_unknownOption_namesTheNearest() {
    assertThat(run("kernel", "install", "--kernal", "rapaio")).isEqualTo(2);
    assertThat(err())
        .contains("Unknown option \"--kernal\"")
        .contains("Did you mean \"--kernel\"?");
  }

  @Test
  void kernelInstall_unknownKernel_listsTheKernels() {
    assertThat(run("kernel", "install", "--kernel", "ijav")).isEqualTo(2);
    assertThat(err())
        .contains(
            "Unknown kernel \"ijav\" at --kernel; expected one of [rapaio, ijava, jjava]. Did you"
                + " mean \"ijava\"?");
  }

  @Test
  void kernelInstall_ijavaWithoutJar_saysWhatIsNeeded() {
    assertThat(run("kernel", "install", "--kernel", "ijava")).isEqualTo(2);
    assertThat(err()).contains("--kernel ijava needs --kernel-jar PATH to the IJava kernel jar");
  }

  @Test
  void kernelInstall_rapaio_writesKernelJsonWithClasspathEnvAndLauncher() throws Exception {
    Path kernel = fakeJar("rapaio-jupyter-kernel-3.0.1.jar");
    Path runkit = fakeJar("runkit.jar");
    Path lib = fakeJar("dep.jar");

    int status =
        run(
            "kernel",
            "install",
            "--data-dir",
            tmp.resolve("data").toString(),
            "--kernel-jar",
            kernel.toString(),
            "--classpath",
            runkit + ":" + lib);

    assertThat(status).as(err()).isZero();
    Path json = tmp.resolve("data/kernels/runkit/kernel.json");
    assertThat(out()).contains("Installed kernel \"runkit\"").contains(json.toString());
    String text = Files.readString(json);
    assertThat(text)
        .contains("\"-Djava.awt.headless=true\"")
        .contains("\"dev.runkit.cli.RapaioKernelLauncher\"")
        .contains("\"{connection_file}\"")
        .contains("\"RJK_CLASSPATH\": \"" + runkit + ";" + lib + "\"")
        .contains("\"OMP_NUM_THREADS\": \"1\"")
        .contains("\"-cp\",\n    \"" + kernel + ":" + runkit + ":" + lib + "\"");
  }

  @Test
  void kernelInstall_jjavaDryRun_printsJarCommandAndJjavaClasspath() throws Exception {
    Path jjava = fakeJar("jjava.jar");
    Path runkit = fakeJar("runkit.jar");

    int status =
        run(
            "kernel",
            "install",
            "--kernel",
            "JJava",
            "--kernel-jar",
            jjava.toString(),
            "--classpath",
            runkit.toString(),
            "--name",
            "rk",
            "--dry-run");

    assertThat(status).as(err()).isZero();
    assertThat(out())
        .contains("\"-jar\",\n    \"" + jjava + "\"")
        .contains("\"JJAVA_CLASSPATH\": \"" + runkit + "\"")
        .contains("\"display_name\": \"Java (RunKit, JJava)\"");
    assertThat(tmp.resolve("rk")).doesNotExist();
  }

  @Test
  void kernelInstall_missingKernelJar_saysWhichPath() {
    assertThat(run("kernel", "install", "--kernel-jar", "/no/such.jar", "--dry-run")).isEqualTo(2);
    assertThat(err()).contains("--kernel-jar does not exist: /no/such.jar");
  }

  @Test
  void kernelSpec_badName_throwsNamingTheRule() throws Exception {
    Path kernel = fakeJar("k.jar");
    KernelSpec.Builder b = KernelSpec.builder(KernelFlavor.RAPAIO, kernel);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.name("my kernel"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--name must be letters, digits, '.', '_' or '-', got \"my kernel\"");
  }

  @Test
  void kernelSpec_ijava_usesJarAndIjavaClasspath() throws Exception {
    Path ijava = fakeJar("ijava-1.3.0.jar");
    Path runkit = fakeJar("runkit.jar");

    KernelSpec spec =
        KernelSpec.builder(KernelFlavor.IJAVA, ijava)
            .classpath(List.of(runkit))
            .java("java")
            .build();

    assertThat(spec.argv())
        .containsExactly(
            "java",
            "-Djava.awt.headless=true",
            "-Dai.djl.offline=true",
            "-Dlogback.configurationFile=dev/runkit/cli/logback.xml",
            "-jar",
            ijava.toAbsolutePath().toString(),
            "{connection_file}");
    assertThat(spec.env()).containsEntry("IJAVA_CLASSPATH", runkit.toString());
  }

  @Test
  void kernelInstall_withSpark_addsSparksJarsAndItsJavaFlags() throws Exception {
    Path kernel = fakeJar("rapaio-jupyter-kernel-3.0.1.jar");
    Path runkit = fakeJar("runkit.jar");
    Path sparkLib = Files.createDirectories(tmp.resolve("spark-lib"));
    Path core = sparkLib.resolve("spark-core_2.13-4.0.1.jar");
    Files.write(core, new byte[] {'P', 'K', 3, 4});

    int status =
        run(
            "kernel",
            "install",
            "--kernel-jar",
            kernel.toString(),
            "--classpath",
            runkit.toString(),
            "--with-spark=" + sparkLib,
            "--dry-run");

    assertThat(status).as(err()).isZero();
    assertThat(out())
        .contains("\"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED\",")
        .contains("\"RJK_CLASSPATH\": \"" + runkit + ";" + core + "\"");
    assertThat(run("kernel", "install", "--kernel-jar", kernel.toString(), "--dry-run")).isZero();
    assertThat(out().substring(out().lastIndexOf("{\n  \"argv\""))).doesNotContain("add-opens");
  }

  @Test
  void kernelInstall_withSparkButNoSparkJars_saysToBuild() throws Exception {
    Path kernel = fakeJar("rapaio-jupyter-kernel-3.0.1.jar");
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    assertThat(
            run(
                "kernel",
                "install",
                "--kernel-jar",
                kernel.toString(),
                "--with-spark=" + tmp.resolve("none"),
                "--dry-run"))
        .isEqualTo(2);
    assertThat(err())
        .contains(
            "--with-spark needs Spark's jars in "
                + tmp.resolve("none")
                + "; build with mvn -B package -DskipTests (it copies them there), or give the"
                + " folder: --with-spark=DIR");
    assertThat(
            run(
                "kernel",
                "install",
                "--kernel-jar",
                kernel.toString(),
                "--with-spark=" + empty,
                "--dry-run"))
        .isEqualTo(2);
    assertThat(err()).contains("--with-spark: " + empty + " holds no spark-core jar");
  }
}
