package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the RunKit kernelspec (rapaio-jupyter-kernel through {@link RapaioKernelLauncher}) from
 * the packaged jar into a temporary Jupyter data folder and HOME, executes {@code
 * notebooks/00-smoke.ipynb} headless with Debian's {@code jupyter nbconvert --execute} and checks
 * the executed notebook in detail, then executes every tutorial in {@code notebooks/} and checks it
 * has no error output and shows the tables, charts and results it promises ({@link #TUTORIALS}).
 * Runs in Maven's integration-test phase, after package.
 */
class NotebookIT {

  static final Path JUPYTER = Path.of("/usr/bin/jupyter");

  @TempDir static Path tmp;
  static JsonNode executed;
  static String log;
  static Path kernelsData;

  @BeforeAll
  static void executeSmokeNotebook() throws Exception {
    assumeTrue(Files.isExecutable(JUPYTER), "Debian's Jupyter (/usr/bin/jupyter) is not installed");
    Path notebook = Path.of(property("runkit.notebooks"), "00-smoke.ipynb");
    assertThat(notebook).isRegularFile();
    kernelsData = installKernel(tmp.resolve("jupyter-data"), "runkit-it");
    installKernel(kernelsData, "runkit-it" + SPARK_SUFFIX, true);
    executed = execute(notebook);
  }

  /**
   * Installs the RunKit kernelspec under a name into a Jupyter data folder with {@code runkit
   * kernel install}: the packaged jar and its dependencies on the classpath, and the kernel jar the
   * build copied (rapaio-jupyter-kernel, started through {@link RapaioKernelLauncher}).
   *
   * @return the data folder
   */
  static Path installKernel(Path data, String name) throws Exception {
    return installKernel(data, name, false);
  }

  /** The name suffix of the kernels with Spark, which a notebook asks for by its kernelspec. */
  static final String SPARK_SUFFIX = "-spark";

  /**
   * Installs the kernelspec as {@link #installKernel(Path, String)} does, with Apache Spark ({@code
   * --with-spark}: the jars the build copied to {@code target/spark-lib}) when {@code spark}.
   *
   * @return the data folder
   */
  static Path installKernel(Path data, String name, boolean spark) throws Exception {
    Path jar = Path.of(property("runkit.jar"));
    Path lib = Path.of(property("runkit.lib"));
    Path kernelJar = Path.of(property("runkit.kernelJar"));
    assertThat(jar).as("packaged RunKit jar (run mvn verify, not just test)").isRegularFile();
    assertThat(kernelJar).as("kernel copied by maven-dependency-plugin").isRegularFile();

    List<String> cp = new ArrayList<>();
    cp.add(jar.toString());
    try (Stream<Path> jars = Files.list(lib)) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(
            List.of(
                "kernel",
                "install",
                "--data-dir",
                data.toString(),
                "--name",
                name,
                "--kernel-jar",
                kernelJar.toString(),
                "--classpath",
                String.join(File.pathSeparator, cp)));
    if (spark) {
      args.add("--with-spark=" + property("runkit.sparkLib"));
    }
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(data.resolve("kernels/" + name + "/kernel.json")).isRegularFile();
    return data;
  }

  /**
   * Gives a Jupyter process (and the kernels it starts) a temporary HOME, config, runtime and
   * RunKit output folder under {@code tmp}, and {@code data} as its data folder, so it finds the
   * kernelspec installed there before any of the machine's.
   */
  static void jupyterEnvironment(Map<String, String> env, Path tmp, Path data) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    env.put("HOME", home.toString());
    env.put("JUPYTER_PATH", data.toString());
    env.put("JUPYTER_DATA_DIR", data.toString());
    env.put("JUPYTER_CONFIG_DIR", home.resolve(".jupyter").toString());
    env.put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
    env.put("RUNKIT_OUTPUT_DIR", tmp.resolve("runkit-output").toString());
  }

  /**
   * Executes a notebook with nbconvert and the installed kernel, in a temporary HOME and Jupyter
   * folders, failing with the log's tail if it does not finish cleanly.
   */
  static JsonNode execute(Path notebook) throws Exception {
    String stem = notebook.getFileName().toString().replaceAll("\\.ipynb$", "");
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    ProcessBuilder pb =
        new ProcessBuilder(
            JUPYTER.toString(),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            notebook.toString(),
            "--output-dir",
            outDir.toString(),
            "--ExecutePreprocessor.kernel_name=runkit-it"
                + (needsSpark(notebook) ? SPARK_SUFFIX : ""),
            "--ExecutePreprocessor.timeout=300",
            "--ExecutePreprocessor.startup_timeout=120");
    jupyterEnvironment(pb.environment(), tmp, kernelsData);
    pb.directory(notebook.getParent().toFile());
    pb.redirectErrorStream(true);
    Path logFile = tmp.resolve(stem + ".log");
    pb.redirectOutput(logFile.toFile());
    Process p = pb.start();
    boolean finished = p.waitFor(8, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(logFile);
    if (stem.equals("00-smoke")) {
      log = text;
    }
    assertThat(finished).as("%s finished within 8 minutes; log:%n%s", stem, tail(text)).isTrue();
    assertThat(p.exitValue()).as("%s: nbconvert exit status; log:%n%s", stem, tail(text)).isZero();
    Path executedFile = outDir.resolve(stem + ".ipynb");
    // -Drunkit.notebook.keep=DIR keeps the executed notebooks, outputs and all, to read them
    String keep = System.getProperty("runkit.notebook.keep", "").trim();
    if (!keep.isEmpty()) {
      Path dir = Files.createDirectories(Path.of(keep));
      Files.copy(
          executedFile,
          dir.resolve(stem + ".ipynb"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return new ObjectMapper().readTree(executedFile.toFile());
  }

  /** Whether a notebook asks for a kernel with Spark ({@code runkit-spark}) by its kernelspec. */
  static boolean needsSpark(Path notebook) throws Exception {
    JsonNode spec =
        new ObjectMapper().readTree(notebook.toFile()).path("metadata").path("kernelspec");
    return spec.path("name").asText().endsWith(SPARK_SUFFIX);
  }

  /**
   * What each tutorial must show once executed: at least this many HTML tables and PNG charts,
   * these texts somewhere in its outputs, and any checks of its own (a claim the notebook makes in
   * prose, such as "the resumed run ends where the uninterrupted one does", is checked on its
   * output).
   */
  record Expected(int tables, int charts, List<String> texts, Consumer<JsonNode> checks) {}

  static final Map<String, Expected> TUTORIALS = new LinkedHashMap<>();

  static {
    TUTORIALS.put(
        "01-quickstart.ipynb",
        new Expected(
            5,
            2,
            List.of(
                "COMPLETED after 1500 iterations",
                "history summary",
                "history final metrics",
                "the first ten test digits"),
            nb -> {
              String text = allText(nb, "text/plain");
              Matcher m = Pattern.compile("test accuracy = ([0-9.]+)").matcher(text);
              assertThat(m.find()).as("test accuracy printed").isTrue();
              assertThat(Double.parseDouble(m.group(1))).isGreaterThan(0.9);
              // predict() over the test part (final parameters) is close to the runner's own test
              // measurement (best validation's parameters)
              Matcher p = Pattern.compile("test digits: accuracy ([0-9.]+)").matcher(text);
              assertThat(p.find()).as("predict() accuracy printed").isTrue();
              assertThat(Double.parseDouble(p.group(1)))
                  .isCloseTo(
                      Double.parseDouble(m.group(1)), org.assertj.core.api.Assertions.within(0.02));
              assertThat(allText(nb, "text/html"))
                  .as("live progress shown during fit()")
                  .contains("data:image/png;base64,");
            }));
    TUTORIALS.put(
        "02-schedule-gallery.ipynb",
        new Expected(
            2,
            5,
            List.of(
                "29 schedule families, all of Schedules.names()",
                "largest difference over 700 steps: 0.0",
                "PyTorch vs RunKit"),
            nb ->
                assertThat(column(nb, "CosineAnnealingWarmRestarts: PyTorch vs RunKit", 3))
                    .as("|RunKit - PyTorch| per sampled step")
                    .hasSize(9)
                    .allSatisfy(d -> assertThat(Double.parseDouble(d)).isLessThan(1e-9))));
    TUTORIALS.put(
        "03-optimizers.ipynb",
        new Expected(
            1,
            2,
            List.of("trained 10 runs of 300 iterations each"),
            nb ->
                assertThat(column(nb, "final metrics after 300 iterations", 0))
                    .containsExactlyInAnyOrder(
                        "SGD (momentum 0.9)",
                        "SGD (Nesterov)",
                        "Adam",
                        "AdamW",
                        "NAdam",
                        "RAdam",
                        "RMSprop",
                        "Adagrad",
                        "Lamb",
                        "Lion")));
    TUTORIALS.put(
        "04-iteration-runner.ipynb",
        new Expected(
            2,
            2,
            List.of(
                "EARLY_STOPPED after",
                "REQUESTED after 250 iterations: simulated interruption at iteration 250",
                "ckpt-000000250.rkc",
                "resumed: COMPLETED after 500 iterations; uninterrupted: COMPLETED after 500",
                "taken up: INTERRUPTED after 300 iterations (interrupted after iteration 300;"
                    + " Runner.lastResult() gives this result, resume() continues the run)",
                "continued: COMPLETED after 500 iterations",
                "fine-tuned from best.rkc"),
            nb -> {
              assertThat(column(nb, "exact resume", 3))
                  .as("interrupted + resumed vs uninterrupted")
                  .hasSize(4)
                  .allSatisfy(d -> assertThat(Double.parseDouble(d)).isZero());
              // the notebook's claim: a run stopped by an interrupt resumes exactly
              Matcher m =
                  Pattern.compile(
                          "final validation loss ([0-9.]+), the uninterrupted run's ([0-9.]+)")
                      .matcher(allText(nb, "text/plain"));
              assertThat(m.find()).as("interrupted run's loss printed").isTrue();
              assertThat(m.group(1)).isEqualTo(m.group(2));
            }));
    TUTORIALS.put(
        "05-lr-finder-one-cycle.ipynb",
        new Expected(
            3,
            4,
            List.of("LrFinderResult[100 points", "OneCycleLR(max_lr="),
            nb -> {
              List<String> accuracy = column(nb, "after 400 iterations", 3);
              assertThat(accuracy).hasSize(2);
              assertThat(Double.parseDouble(accuracy.get(0))).as("one-cycle").isGreaterThan(0.9);
            }));
    TUTORIALS.put(
        "06-time-series.ipynb",
        new Expected(
            2,
            3,
            List.of("2284 weekly values, 59 missing", "COMPLETED: 400 iterations done"),
            nb -> {
              String caption = "test errors of the CO2 level over 446 windows";
              List<String> forecast = column(nb, caption, 0);
              List<String> mae = column(nb, caption, 2);
              assertThat(forecast).containsExactly("GRU", "persistence", "GRU", "persistence");
              // four weeks ahead, the GRU forecast must beat "same as last week"
              assertThat(Double.parseDouble(mae.get(2))).isLessThan(Double.parseDouble(mae.get(3)));
            }));
    TUTORIALS.put(
        "07-config-runs.ipynb",
        new Expected(
            2,
            3,
            List.of(
                "Did you mean \"AdamW\"?",
                "config text: line 2, column 5",
                "(exit status 0)",
                "history.csv",
                "curves.png"),
            nb ->
                assertThat(column(nb, "notebook vs command line", 3))
                    .as("notebook run vs command-line run")
                    .hasSize(6)
                    .allSatisfy(d -> assertThat(Double.parseDouble(d)).isZero())));
    TUTORIALS.put(
        "08-sweeps.ipynb",
        new Expected(
            4,
            4,
            List.of(
                "ended: 27 of 27 trials started",
                "best so far: validation accuracy",
                "27 trials, best first",
                "summary.png",
                "trials.jsonl",
                "best.yaml",
                "trials built in code, best first"),
            nb -> {
              // the ASHA-promoted best trial ends as the same config trained in one go
              assertThat(column(nb, "exact promotion", 3))
                  .as("|promoted - one go| per validation")
                  .hasSize(9)
                  .allSatisfy(d -> assertThat(Double.parseDouble(d)).isLessThanOrEqualTo(1e-6));
              String text = allText(nb, "text/plain");
              Matcher best = Pattern.compile("best validation accuracy ([0-9.]+)").matcher(text);
              assertThat(best.find()).as("best trial printed").isTrue();
              assertThat(Double.parseDouble(best.group(1))).isGreaterThan(0.9);
              // ASHA spent a fraction of what 27 full runs would
              Matcher spent =
                  Pattern.compile("trained \\d+ iterations in all, (\\d+)%").matcher(text);
              assertThat(spent.find()).as("iterations trained printed").isTrue();
              assertThat(Integer.parseInt(spent.group(1))).isLessThan(40);
            }));
  }

  static {
    TUTORIALS.put(
        "09-your-own-data.ipynb",
        new Expected(
            6,
            2,
            List.of(
                "classes [setosa, versicolor, virginica]",
                "looks like a quantity to predict, not classes",
                "suggested learning rate (valley)",
                "far above ln(3)",
                "three flowers measured by hand: [setosa, versicolor, virginica]",
                "exported for DJL: runkit-0000.params",
                "second fit: continues from the weights its earlier fit left",
                "but the training labels hold class 2, so there are at least 3 classes"),
            nb -> {
              String text = allText(nb, "text/plain");
              Matcher m =
                  Pattern.compile(
                          "test accuracy: raw ([0-9.]+), standardised SGD ([0-9.]+), standardised"
                              + " AdamW ([0-9.]+)")
                      .matcher(text);
              assertThat(m.find()).as("test accuracies printed").isTrue();
              // the notebook's claim: standardised features train far better than raw ones
              assertThat(Double.parseDouble(m.group(3))).isGreaterThan(0.85);
              assertThat(Double.parseDouble(m.group(3)) - Double.parseDouble(m.group(1)))
                  .isGreaterThan(0.1);
              Matcher r = Pattern.compile("R² ([0-9.]+)").matcher(text);
              assertThat(r.find()).as("regression R² printed").isTrue();
              assertThat(Double.parseDouble(r.group(1))).isGreaterThan(0.85);
              assertThat(column(nb, "runs", 0))
                  .containsExactly("raw columns, SGD", "standardised, SGD", "standardised, AdamW");
            }));
  }

  static {
    TUTORIALS.put(
        "10-sweeps-on-spark.ipynb",
        new Expected(
            3,
            1,
            List.of(
                "ended: 6 of 6 trials started", "trials on Spark local[2]", "in-process vs Spark"),
            nb -> {
              // the notebook's claim: every trial trained identically in-process and on Spark
              assertThat(column(nb, "in-process vs Spark", 4))
                  .as("|in-process - Spark| per trial")
                  .hasSize(6)
                  .allSatisfy(d -> assertThat(Double.parseDouble(d)).isLessThanOrEqualTo(1e-6));
              Matcher m =
                  Pattern.compile("largest difference in any of (\\d+) history values: ([0-9.E-]+)")
                      .matcher(allText(nb, "text/plain"));
              assertThat(m.find()).as("largest history difference printed").isTrue();
              assertThat(Integer.parseInt(m.group(1))).isGreaterThan(100);
              assertThat(Double.parseDouble(m.group(2))).isLessThanOrEqualTo(1e-6);
            }));
  }

  /** The tutorials listed above are all committed, and every committed notebook is listed. */
  @Test
  void tutorials_listed_matchTheNotebooksFolder() throws Exception {
    Path dir = Path.of(property("runkit.notebooks"));
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(
              s.map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".ipynb") && !n.equals("00-smoke.ipynb")))
          .containsExactlyInAnyOrderElementsOf(TUTORIALS.keySet());
    }
  }

  /**
   * Every other committed notebook executes with no error output and with the tables, charts and
   * texts its tutorial promises; committed notebooks carry no outputs.
   */
  @TestFactory
  Stream<DynamicTest> everyNotebook_executes_withExpectedOutputs() throws Exception {
    Path dir = Path.of(property("runkit.notebooks"));
    List<Path> notebooks;
    try (Stream<Path> s = Files.list(dir)) {
      notebooks =
          s.filter(p -> p.toString().endsWith(".ipynb"))
              .filter(p -> !p.getFileName().toString().equals("00-smoke.ipynb"))
              .filter(NotebookIT::selected)
              .sorted()
              .toList();
    }
    return notebooks.stream()
        .map(
            nb ->
                DynamicTest.dynamicTest(
                    nb.getFileName().toString(),
                    () -> {
                      String name = nb.getFileName().toString();
                      JsonNode committed = new ObjectMapper().readTree(nb.toFile());
                      committed
                          .get("cells")
                          .forEach(
                              c ->
                                  assertThat(c.path("outputs"))
                                      .as("%s is committed with its outputs stripped", name)
                                      .isEmpty());
                      long start = System.nanoTime();
                      JsonNode result = execute(nb);
                      System.out.printf(
                          "NotebookIT: %s executed in %.1f s%n",
                          name, (System.nanoTime() - start) / 1e9);
                      List<String> errors = new ArrayList<>();
                      List<JsonNode> outputs = new ArrayList<>();
                      result.get("cells").forEach(c -> c.path("outputs").forEach(outputs::add));
                      for (JsonNode o : outputs) {
                        if (o.path("output_type").asText().equals("error")) {
                          errors.add(o.path("ename") + ": " + o.path("evalue"));
                        }
                      }
                      assertThat(errors).as(name).isEmpty();
                      Expected expected = TUTORIALS.get(name);
                      assertThat(expected).as("expected outputs of %s", name).isNotNull();
                      List<String> tables =
                          outputs.stream()
                              .map(o -> text(o, "text/html"))
                              .filter(h -> h != null && h.contains("<table"))
                              .toList();
                      assertThat(tables)
                          .as("%s: HTML tables", name)
                          .hasSizeGreaterThanOrEqualTo(expected.tables());
                      List<String> pngs =
                          outputs.stream()
                              .map(o -> text(o, "image/png"))
                              .filter(p -> p != null)
                              .toList();
                      assertThat(pngs)
                          .as("%s: PNG charts", name)
                          .hasSizeGreaterThanOrEqualTo(expected.charts());
                      for (String png : pngs) {
                        BufferedImage image = decode(png);
                        assertThat(image.getWidth())
                            .as("%s: chart width", name)
                            .isGreaterThanOrEqualTo(400);
                        assertThat(image.getHeight())
                            .as("%s: chart height", name)
                            .isGreaterThanOrEqualTo(200);
                      }
                      String all = allText(result, "text/plain") + allText(result, "text/html");
                      assertThat(all).as("%s: outputs", name).contains(expected.texts());
                      expected.checks().accept(result);
                    }));
  }

  /**
   * Whether a notebook is among those chosen with {@code -Drunkit.notebook=01,07} (comma-separated
   * name prefixes; all when the property is not set), to execute only the notebooks one changed.
   */
  static boolean selected(Path notebook) {
    String chosen = System.getProperty("runkit.notebook", "").trim();
    if (chosen.isEmpty()) {
      return true;
    }
    String name = notebook.getFileName().toString();
    for (String prefix : chosen.split(",")) {
      if (!prefix.isBlank() && name.startsWith(prefix.trim())) {
        return true;
      }
    }
    return false;
  }

  /** Joins every output's data of one MIME type (display data and streams for text/plain). */
  static String allText(JsonNode notebook, String mime) {
    StringBuilder b = new StringBuilder();
    notebook
        .get("cells")
        .forEach(
            c ->
                c.path("outputs")
                    .forEach(
                        o -> {
                          String t = text(o, mime);
                          if (t != null) {
                            b.append(t).append('\n');
                          }
                          if (mime.equals("text/plain") && o.has("text")) {
                            o.get("text").forEach(line -> b.append(line.asText()));
                            if (o.get("text").isTextual()) {
                              b.append(o.get("text").asText());
                            }
                          }
                        }));
    return b.toString();
  }

  /**
   * Reads one column of the HTML table with a caption from a notebook's outputs, as the texts of
   * its body cells.
   */
  static List<String> column(JsonNode notebook, String caption, int index) {
    for (String html : allText(notebook, "text/html").split("</table>")) {
      if (!html.contains(">" + caption + "</caption>")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      String body = html.substring(html.indexOf("<tbody>") + 1);
      Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(body);
      while (row.find()) {
        Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(row.group(1));
        int i = 0;
        while (cell.find()) {
          if (i++ == index) {
            cells.add(cell.group(1).replaceAll("<[^>]+>", "").replace("&#39;", "'").trim());
          }
        }
      }
      return cells;
    }
    throw new AssertionError("no table captioned \"" + caption + "\" in the outputs");
  }

  static String property(String key) {
    String value = System.getProperty(key);
    assertThat(value)
        .as("system property %s (set by failsafe in toolkit/pom.xml)", key)
        .isNotNull();
    return value;
  }

  static String tail(String s) {
    return s.length() <= 4_000 ? s : s.substring(s.length() - 4_000);
  }

  private static List<JsonNode> codeCells() {
    List<JsonNode> cells = new ArrayList<>();
    executed
        .get("cells")
        .forEach(
            c -> {
              if (c.get("cell_type").asText().equals("code")) {
                cells.add(c);
              }
            });
    return cells;
  }

  private static JsonNode cellWith(String source) {
    return codeCells().stream()
        .filter(c -> c.get("source").toString().contains(source))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no code cell contains " + source));
  }

  private static List<JsonNode> outputs() {
    List<JsonNode> all = new ArrayList<>();
    codeCells().forEach(c -> c.get("outputs").forEach(all::add));
    return all;
  }

  private static String text(JsonNode output, String mime) {
    JsonNode data = output.path("data").path(mime);
    if (data.isArray()) {
      StringBuilder b = new StringBuilder();
      data.forEach(line -> b.append(line.asText()));
      return b.toString();
    }
    return data.asText(null);
  }

  @Test
  void smokeNotebook_executed_hasNoErrorOutputs() {
    assertThat(outputs()).extracting(o -> o.get("output_type").asText()).doesNotContain("error");
    assertThat(outputs())
        .filteredOn(o -> o.path("name").asText().equals("stderr"))
        .as("stderr output")
        .isEmpty();
  }

  @Test
  void smokeNotebook_displaysThroughTheKernelNotTheConsoleFallback() {
    assertThat(outputs())
        .anySatisfy(
            o -> {
              assertThat(o.get("output_type").asText()).isEqualTo("display_data");
              assertThat(text(o, "text/plain"))
                  .isEqualTo("RunKit display through: rapaio-jupyter-kernel");
            });
  }

  @Test
  void smokeNotebook_tables_areHtmlWithNaNShown() {
    List<String> html =
        outputs().stream().map(o -> text(o, "text/html")).filter(h -> h != null).toList();
    // two tables and the live display, then the fit's live display, its summary, the LR finder's
    assertThat(html).hasSize(6);
    assertThat(html.get(0)).contains("<table", "<caption", "metrics", "2.3026", "NaN", "1e-05");
    assertThat(html.get(1)).contains("<table", "step", "lr");
  }

  @Test
  void smokeNotebook_charts_arePngsOfTheExpectedSizes() throws Exception {
    List<String> pngs =
        outputs().stream().map(o -> text(o, "image/png")).filter(h -> h != null).toList();
    assertThat(pngs).hasSize(4); // schedule, grid, then the run's curves and the LR finder
    BufferedImage schedule = decode(pngs.get(0));
    assertThat(schedule.getWidth()).isEqualTo(800);
    assertThat(schedule.getHeight()).isEqualTo(450);
    BufferedImage grid = decode(pngs.get(1));
    assertThat(grid.getWidth()).isEqualTo(2 * 400);
    assertThat(grid.getHeight()).isEqualTo(2 * 280);
  }

  private static BufferedImage decode(String base64) throws Exception {
    byte[] png = Base64.getMimeDecoder().decode(base64);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /**
   * A training loop offers its growing history to a LiveDisplay every iteration: the cell ends with
   * one output (all updates went to the same display), holding the final table and curves, and the
   * display reports several updates.
   */
  @Test
  void smokeNotebook_liveDisplay_updatedInPlaceDuringTheLoop() {
    JsonNode loop = cellWith("LiveDisplay.create()");
    assertThat(loop.get("outputs")).hasSize(1);
    String html = text(loop.get("outputs").get(0), "text/html");
    assertThat(html).contains("<table", ">300<", "data:image/png;base64,");
    String count = text(cellWith("live.updates()").get("outputs").get(0), "text/plain");
    assertThat(count).startsWith("live updates: ");
    assertThat(Integer.parseInt(count.substring("live updates: ".length()))).isGreaterThan(1);
  }

  /**
   * A real {@code Runner...fit()} in the kernel, with no progress setting, chooses the live display
   * by itself: the cell ends with one display (no console lines) whose final content is the end of
   * the run, and its display counts its updates (data-updates); more than one means it was shown
   * during the fit and then updated in place (nbconvert keeps only a display's last state).
   */
  @Test
  void smokeNotebook_realFit_liveDisplayUpdatedInPlaceDuringTheFit() {
    JsonNode fit = cellWith("RunResult result = Runner.with(");
    List<JsonNode> displays = new ArrayList<>();
    fit.get("outputs")
        .forEach(
            o -> {
              assertThat(o.path("output_type").asText())
                  .as("only the live display, no console progress")
                  .isEqualTo("display_data");
              displays.add(o);
            });
    assertThat(displays).hasSize(1);
    String html = text(displays.get(0), "text/html");
    assertThat(html)
        .contains("<table", "validation", ">1500<", "data:image/png;base64,")
        .contains("stopped: COMPLETED (1500 iterations done) after ");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("data-updates=\"(\\d+)\"").matcher(html);
    assertThat(m.find()).as(html).isTrue();
    int updates = Integer.parseInt(m.group(1));
    System.out.println(
        "NotebookIT: the fit's live display was shown and updated " + updates + " times");
    assertThat(updates).isGreaterThan(2);
  }

  @Test
  void smokeNotebook_runCurvesAndLrFinder_pngChartsAndTables() throws Exception {
    JsonNode curves = cellWith("Charts.curves(result)");
    assertThat(curves.get("outputs")).hasSize(2);
    BufferedImage chart = decode(text(curves.get("outputs").get(0), "image/png"));
    assertThat(chart.getWidth()).isEqualTo(800);
    assertThat(text(curves.get("outputs").get(1), "text/html"))
        .contains("<table", "validation_loss", "train_accuracy");

    JsonNode finder = cellWith("lrFinder(LrFinder.range(");
    assertThat(finder.get("outputs")).hasSize(2);
    BufferedImage lr = decode(text(finder.get("outputs").get(0), "image/png"));
    assertThat(lr.getHeight()).isEqualTo(450);
    assertThat(text(finder.get("outputs").get(1), "text/html"))
        .contains("<table", "valley", "steepest", "range");
  }

  @Test
  void smokeNotebook_kernel_startedThroughTheLauncherWorkAround() {
    assertThat(log).doesNotContain("without the start-up race work-around");
  }

  /**
   * nbconvert records a notebook's final state, so an update in place shows as the first cell of
   * the display holding the last content while the cell that sent the updates has no output of its
   * own: "step 500" can reach the first cell only through {@code update_display_data}.
   */
  @Test
  void smokeNotebook_display_updatedInPlace() {
    List<JsonNode> cells = codeCells();
    JsonNode creating = cellWith("Display.create()");
    JsonNode updating = cells.get(cells.indexOf(creating) + 1);
    assertThat(creating.get("source").toString()).contains("Display.create()");
    assertThat(creating.get("outputs")).hasSize(1);
    assertThat(text(creating.get("outputs").get(0), "text/plain")).isEqualTo("progress: step 500");
    assertThat(updating.get("source").toString()).contains("progress.text");
    assertThat(updating.get("outputs")).isEmpty();
  }
}
