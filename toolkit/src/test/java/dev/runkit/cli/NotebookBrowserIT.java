package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens every tutorial notebook in a real browser: Debian's classic Jupyter Notebook server on
 * 127.0.0.1 (a free port, a token, temporary Jupyter folders holding the kernelspec {@code runkit
 * kernel install} writes) serving a temporary copy of {@code notebooks/}, and Debian's headless
 * Chromium driven through its own chromedriver. For each notebook it clicks Cell ▸ Run All, waits
 * until every cell has run and the kernel is idle, then checks the page as a user sees it: no error
 * output, no exception on stderr, every image loaded, tables drawn as HTML tables, the tutorial's
 * promised texts ({@link NotebookIT#TUTORIALS}); in {@code 01} it samples the page every 100 ms and
 * at every change while {@code fit()} runs, and the live progress must be one output area whose
 * text changes at least three times. Kernel ▸ Interrupt during a long {@code fit()} must show the
 * interruption within 5 s and leave the kernel idle, and the next cells take up the stopped run and
 * resume it. A screenshot of each page goes to {@code target/browser/} (with the samples of the
 * progress); the timings are printed. Runs in Maven's integration-test phase, after package;
 * skipped where the server, Chromium or chromedriver is not installed. {@code
 * -Drunkit.notebook=01,07} selects notebooks as for {@link NotebookIT}.
 *
 * <p>Nothing is downloaded: Selenium Manager never runs (the driver executable and the browser
 * binary are given, and the test fails if Selenium Manager's cache folder, pointed at a temporary
 * folder, was ever created), and Chromium's host resolver maps every name to nothing but 127.0.0.1.
 */
class NotebookBrowserIT {

  static final Path NOTEBOOK_SERVER = Path.of("/usr/bin/jupyter-notebook");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration KERNEL_READY = Duration.ofMinutes(2);
  static final Duration RUN_ALL = Duration.ofMinutes(5);

  /**
   * Per notebook, a text from the source of the cell whose {@code fit()} progress is sampled (the
   * other tutorials' fits are {@code quiet()}).
   */
  static final Map<String, String> LIVE_FIT = Map.of("01-quickstart.ipynb", "Runner.with(mlp)");

  /**
   * Selenium warns that it has no CDP binding for this Chromium version; the test sends only plain
   * CDP commands (the screenshot), which need none. Held here so the setting is not collected.
   */
  static final Logger CDP_VERSION_FINDER =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  @TempDir static Path tmp;
  static Process server;
  static Path serverLog;
  static String base;
  static String token;
  static ChromeDriverService driverService;
  static ChromeDriver browser;
  static Path screenshots;
  static Path seleniumCache;
  static final List<Path> links = new ArrayList<>();
  static final Thread serverKiller =
      new Thread(
          () -> {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
          },
          "notebook-server-killer");
  static final HttpClient http = HttpClient.newHttpClient();
  static final List<String> timings = new ArrayList<>();

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    assumeTrue(
        Files.isExecutable(NOTEBOOK_SERVER),
        "Debian's Jupyter Notebook (apt package jupyter-notebook) is not installed");
    assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
    assumeTrue(Files.isExecutable(CHROMEDRIVER), "Debian's chromium-driver is not installed");
    screenshots =
        Files.createDirectories(
            Path.of(NotebookIT.property("runkit.jar")).getParent().resolve("browser"));
    startServer();
    startBrowser();
  }

  /**
   * Starts the notebook server on a copy of {@code notebooks/} placed beside links to {@code bin/}
   * and {@code toolkit/}, as in a checkout ({@code 07} starts {@code ../bin/runkit}), and waits
   * until its REST API answers.
   */
  private static void startServer() throws Exception {
    Path data = NotebookIT.installKernel(tmp.resolve("jupyter-data"), "runkit");
    NotebookIT.installKernel(data, "runkit" + NotebookIT.SPARK_SUFFIX, true);
    Path notebooks = Path.of(NotebookIT.property("runkit.notebooks")).toRealPath();
    Path root = Files.createDirectories(tmp.resolve("checkout"));
    copyTree(notebooks, root.resolve("notebooks"));
    for (String link : List.of("bin", "toolkit")) {
      links.add(Files.createSymbolicLink(root.resolve(link), notebooks.resolveSibling(link)));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    token = HexFormat.of().formatHex(secret);
    base = "http://127.0.0.1:" + port + "/";
    ProcessBuilder pb =
        new ProcessBuilder(
            NotebookIT.JUPYTER.toString(),
            "notebook",
            "--no-browser",
            "--ip=127.0.0.1",
            "--port=" + port,
            "--port-retries=0",
            "--NotebookApp.token=" + token,
            "--notebook-dir=" + root.resolve("notebooks"));
    if ("root".equals(System.getProperty("user.name"))) {
      pb.command()
          .add("--allow-root"); // CI containers run as root; the server refuses it otherwise
    }
    NotebookIT.jupyterEnvironment(pb.environment(), tmp, data);
    pb.directory(root.resolve("notebooks").toFile());
    pb.redirectErrorStream(true);
    serverLog = tmp.resolve("notebook-server.log");
    pb.redirectOutput(serverLog.toFile());
    server = pb.start();
    // if the test JVM is stopped (Ctrl-C, failsafe's timeout) before @AfterAll runs
    Runtime.getRuntime().addShutdownHook(serverKiller);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      assertThat(server.isAlive()).as("notebook server running; log:%n%s", serverLog()).isTrue();
      try {
        if (api("GET", "api/status").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      assertThat(System.nanoTime() < deadline)
          .as("notebook server answers within 60 s; log:%n%s", serverLog())
          .isTrue();
      Thread.sleep(200);
    }
  }

  /**
   * Starts headless Chromium through the system's chromedriver; Selenium Manager is kept from
   * running (the executables are given) and, should it run anyway, from downloading.
   */
  private static void startBrowser() throws Exception {
    CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    seleniumCache = tmp.resolve("selenium-cache");
    // Selenium passes SE_* properties to Selenium Manager as its environment
    System.setProperty("SE_CACHE_PATH", seleniumCache.toString());
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("SE_AVOID_STATS", "true");
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(tmp.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--window-size=1280,1024",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    browser = new ChromeDriver(driverService, options);
  }

  @AfterAll
  static void stopBrowserAndServer() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    if (browser != null) {
      run(failures, browser::quit);
    }
    if (driverService != null) {
      run(failures, driverService::stop);
    }
    if (server != null) {
      List<ProcessHandle> children = server.descendants().toList();
      if (server.isAlive()) {
        run(failures, NotebookBrowserIT::shutDownKernels);
      }
      server.destroy(); // SIGTERM: the server shuts down what kernels are left and exits
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle child : children) {
        if (child.isAlive()) {
          child.destroyForcibly();
        }
      }
      Runtime.getRuntime().removeShutdownHook(serverKiller);
    }
    for (Path link : links) {
      run(failures, () -> Files.deleteIfExists(link)); // the link, before @TempDir's clean-up
    }
    if (!timings.isEmpty()) {
      System.out.println("NotebookBrowserIT timings:");
      timings.forEach(t -> System.out.println("  " + t));
    }
    if (seleniumCache != null) {
      assertThat(seleniumCache).as("Selenium Manager's cache: it never ran").doesNotExist();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("stopping the browser or server failed", failures.get(0));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyTutorial_runAllInTheBrowser_showsItsOutputs() throws Exception {
    List<String> names =
        NotebookIT.TUTORIALS.keySet().stream()
            .filter(n -> NotebookIT.selected(Path.of(n)))
            .sorted()
            .toList();
    return names.stream().map(n -> DynamicTest.dynamicTest(n, () -> runAll(n)));
  }

  /** The cells of the interrupt test's notebook: a long fit, its result taken up, a resume. */
  static final List<String> INTERRUPT_CELLS =
      List.of(
          """
          import ai.djl.training.loss.Loss;
          import dev.runkit.*;
          import dev.runkit.data.*;
          import dev.runkit.model.*;
          import dev.runkit.notebook.*;
          import dev.runkit.optim.*;
          import dev.runkit.run.*;
          import java.nio.file.*;
          SplitData data = SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.3, 0), 42);
          Path dir = Files.createTempDirectory("runkit-interrupt-");
          Runner digits(long iterations) {
              return Runner.with(Mlp.outputs(10).hidden(64).build()).loss(Loss.softmaxCrossEntropyLoss())
                  .data(data, 32).optimizer(Optimizers.adamW().lr(1e-3)).iterations(iterations)
                  .validateEvery(100_000).checkpoints(Checkpoints.to(dir)).resume();
          }
          Runner runner = digits(1_000_000);""",
          """
          RunResult r = runner.fit();
          Show.text("fit returned: " + r.stopReason());""",
          """
          RunResult taken = runner.result();
          Show.text("taken up: " + taken.stopReason() + " after " + taken.iterations() + " iterations");""",
          """
          RunResult resumed = digits(taken.iterations() + 100).quiet().fit();
          Show.text("resumed: " + resumed.stopReason() + " at " + resumed.iterations());""");

  /**
   * Kernel ▸ Interrupt during a long {@code fit()}: the page shows the run stopped within 5 s and
   * the kernel idle; the next cells take up the stopped run's result and resume it.
   */
  @Test
  void interruptDuringFit_stopsTheRun_andTheNextCellsTakeItUp() throws Exception {
    assumeTrue(NotebookIT.selected(Path.of("interrupt")), "not selected");
    ObjectMapper json = new ObjectMapper();
    var nb = json.createObjectNode();
    var cells = nb.putArray("cells");
    for (String source : INTERRUPT_CELLS) {
      var cell = cells.addObject();
      cell.put("cell_type", "code").putNull("execution_count");
      cell.putObject("metadata");
      cell.putArray("outputs");
      cell.put("source", source.strip());
    }
    var kernelspec = nb.putObject("metadata").putObject("kernelspec");
    kernelspec.put("name", "runkit").put("display_name", "Java (RunKit)").put("language", "java");
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    Path file = tmp.resolve("checkout/notebooks/interrupt.ipynb");
    json.writeValue(file.toFile(), nb);

    String name = "interrupt";
    browser.get(base + "notebooks/interrupt.ipynb?token=" + token);
    try {
      awaitKernelIdle(name);
      browser.executeScript("Jupyter.notebook.execute_cells([0, 1]);");
      // the progress shows iterations: the live display holds a training loss
      awaitTrue(
          name + ": progress shows iterations",
          RUN_ALL,
          () ->
              bool(
                  "var o = Jupyter.notebook.get_cell(1).output_area.element[0];"
                      + "var live = o.querySelector('.runkit-live');"
                      + "return !!live && live.innerText.includes('iteration ')"
                      + " && live.innerText.includes(' of 1000000');"));
      // what a user clicks: the Kernel menu, then Interrupt
      browser.findElement(By.id("kernellink")).click();
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#int_kernel > a")))
          .click();
      long clicked = System.nanoTime();
      awaitTrue(
          name + ": the page shows the interruption within 5 s",
          Duration.ofSeconds(5),
          () ->
              bool(
                  "return Jupyter.notebook.get_cell(1).output_area.element[0].innerText"
                      + ".includes('stopped: INTERRUPTED (interrupted after iteration ');"));
      long shown = System.nanoTime();
      awaitTrue(
          name + ": the kernel goes idle",
          Duration.ofSeconds(10),
          () ->
              bool(
                  "return !Jupyter.notebook.kernel_busy"
                      + " && Jupyter.notebook.get_cell(1).input_prompt_number !== '*'"));
      screenshot("interrupt-moment");
      // rapaio's cell ends when fit() returns, so the cell's next output shows as well
      assertThat(
              (String)
                  browser.executeScript(
                      "return Jupyter.notebook.get_cell(1).output_area.element[0].innerText"))
          .contains("fit returned: INTERRUPTED");
      String summary =
          String.format(
              "NotebookBrowserIT: Kernel > Interrupt shown %.2f s after the click, the kernel idle"
                  + " %.2f s after it",
              seconds(shown - clicked), seconds(System.nanoTime() - clicked));
      System.out.println(summary);
      timings.add(summary);

      browser.executeScript("Jupyter.notebook.execute_cells([2, 3]);");
      awaitTrue(
          name + ": the run taken up and resumed",
          RUN_ALL,
          () ->
              bool(
                  "return Jupyter.notebook.get_cells().every(c => c.input_prompt_number !== '*')"
                      + " && !Jupyter.notebook.kernel_busy"
                      + " && Jupyter.notebook.get_cell(3).output_area.outputs.length > 0"));
      screenshot(name);
      assertThat(errorOutputs()).as("%s: error outputs", name).isEmpty();
      String taken =
          (String)
              browser.executeScript(
                  "return Jupyter.notebook.get_cell(2).output_area.element[0].innerText");
      java.util.regex.Matcher m =
          Pattern.compile("taken up: INTERRUPTED after (\\d+) iterations").matcher(taken);
      assertThat(m.find()).as("%s: cell 3 says %s", name, taken).isTrue();
      long stoppedAt = Long.parseLong(m.group(1));
      assertThat(
              (String)
                  browser.executeScript(
                      "return Jupyter.notebook.get_cell(3).output_area.element[0].innerText"))
          .contains("resumed: COMPLETED at " + (stoppedAt + 100));
    } catch (Throwable t) {
      screenshot(name);
      throw t;
    } finally {
      closeNotebook();
    }
  }

  /** Waits until the open notebook's kernel is connected and idle. */
  private void awaitKernelIdle(String name) throws Exception {
    awaitTrue(
        name + ": kernel connected and idle",
        KERNEL_READY,
        () ->
            bool(
                "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded"
                    + " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
                    + " && !Jupyter.notebook.kernel_busy)"));
  }

  private void runAll(String name) throws Exception {
    long opened = System.nanoTime();
    browser.get(base + "notebooks/" + name + "?token=" + token);
    try {
      awaitKernelIdle(name);
      long ready = System.nanoTime();
      String liveCell = LIVE_FIT.get(name);
      if (liveCell != null) {
        browser.executeScript(SAMPLER, liveCell);
      }
      // what a user clicks: the Cell menu, then Run All
      browser.findElement(By.id("celllink")).click();
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#run_all_cells > a")))
          .click();
      long clicked = System.nanoTime();
      awaitTrue(
          name + ": first output",
          RUN_ALL,
          () -> bool("return document.querySelectorAll('#notebook .output_area').length > 0"));
      long first = System.nanoTime();
      // '*' marks a cell queued or running; after an error the kernel aborts the rest, unmarked
      awaitTrue(
          name + ": no cell queued or running and the kernel idle",
          RUN_ALL,
          () ->
              bool(
                  "return Jupyter.notebook.get_cells().every(c => c.input_prompt_number !== '*')"
                      + " && !Jupyter.notebook.kernel_busy"
                      + " && $('#kernel_indicator_icon').hasClass('kernel_idle_icon');"));
      long done = System.nanoTime();
      String timing =
          String.format(
              "NotebookBrowserIT: %s: kernel ready %.1f s after opening, first output %.1f s after"
                  + " opening (%.1f s after Run All), Run All %.1f s",
              name,
              seconds(ready - opened),
              seconds(first - opened),
              seconds(first - clicked),
              seconds(done - clicked));
      System.out.println(timing);
      timings.add(timing);
      screenshot(name);
      assertThat(
              strings(
                  "return Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code'"
                      + " && typeof c.input_prompt_number !== 'number')"
                      + ".map(c => c.get_text().substring(0, 80))"))
          .as("%s: code cells not run; errors: %s", name, errorOutputs())
          .isEmpty();
      checkPage(name);
      if (liveCell != null) {
        checkLiveProgress(name);
      }
    } catch (Throwable t) {
      screenshot(name);
      throw t;
    } finally {
      try {
        closeNotebook();
      } catch (Exception e) {
        System.out.println("NotebookBrowserIT: closing " + name + " failed: " + e);
      }
    }
  }

  /**
   * Samples the output areas of the code cell whose source contains the argument every 100 ms and
   * at every change of its outputs (so no update is missed): how many areas there are, how many
   * show the live progress (its display counts its updates in a data-updates attribute), the
   * progress area's text and that count.
   */
  private static final String SAMPLER =
      "var cell = Jupyter.notebook.get_cells().find("
          + "  c => c.cell_type === 'code' && c.get_text().includes(arguments[0]));"
          + "window.runkitSamples = [];"
          + "var sample = function () {"
          + "  var areas = Array.from(cell.element[0].querySelectorAll('.output_area'));"
          + "  var progress = areas.filter(a => a.querySelector('.runkit-live'));"
          + "  window.runkitSamples.push({t: performance.now(),"
          + "    running: cell.input_prompt_number === '*',"
          + "    areas: areas.length, progress: progress.length,"
          + "    text: progress.length ? progress[0].innerText : '',"
          + "    updates: progress.length"
          + "      ? Number(progress[0].querySelector('.runkit-live').dataset.updates) : 0});"
          + "};"
          + "window.runkitSampler = setInterval(sample, 100);"
          + "window.runkitObserver = new MutationObserver(sample);"
          + "window.runkitObserver.observe(cell.output_area.element[0],"
          + "  {childList: true, subtree: true, characterData: true});";

  private static void checkPage(String name) {
    NotebookIT.Expected expected = NotebookIT.TUTORIALS.get(name);
    assertThat(errorOutputs()).as("%s: error outputs", name).isEmpty();
    assertThat(strings("return $('#notebook .output_stderr').toArray().map(e => e.innerText)"))
        .as("%s: stderr outputs", name)
        .noneMatch(s -> s.contains("Exception") || s.contains("\tat "));

    List<List<Object>> images =
        lists(
            "return $('#notebook .output_area img').toArray()"
                + ".map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.src.substring(0, 30)])");
    assertThat(images).as("%s: images", name).isNotEmpty();
    for (List<Object> image : images) {
      assertThat(image.get(0)).as("%s: image %s loaded", name, image).isEqualTo(true);
      assertThat(((Number) image.get(1)).longValue()).as("%s: image %s", name, image).isPositive();
      assertThat(((Number) image.get(2)).longValue()).as("%s: image %s", name, image).isPositive();
    }
    long charts = number("return $('#notebook .output_png img').length");
    assertThat(charts).as("%s: PNG outputs", name).isGreaterThanOrEqualTo(expected.charts());

    List<List<Object>> tables =
        lists(
            "return $('#notebook .output_html table').toArray()"
                + ".map(t => [t.rows.length, t.offsetWidth, t.offsetHeight])");
    assertThat(tables).as("%s: HTML tables", name).hasSizeGreaterThanOrEqualTo(expected.tables());
    for (List<Object> table : tables) {
      assertThat(((Number) table.get(0)).longValue()).as("%s: table rows", name).isGreaterThan(1);
      assertThat(((Number) table.get(2)).longValue()).as("%s: table drawn", name).isPositive();
    }
    assertThat(strings("return $('#notebook .output_text').toArray().map(e => e.innerText)"))
        .as("%s: no HTML shown as text", name)
        .noneMatch(s -> s.contains("<table") || s.contains("<img"));
    // a chart's title is drawn into its PNG: the page shows the image, not the bundle's text/plain
    List<String> missing =
        cast(
            browser.executeScript(
                "var shown = $('#notebook .output').text();"
                    + "var charts = [];"
                    + "Jupyter.notebook.get_cells().forEach(c => c.output_area"
                    + "  && c.output_area.outputs.forEach(o => o.data && o.data['image/png']"
                    + "  && charts.push([].concat(o.data['text/plain'] || []).join(''))));"
                    + "return arguments[0].filter(t => !shown.includes(t)"
                    + "  && !charts.some(c => c.includes(t)));",
                expected.texts()));
    assertThat(missing).as("%s: texts neither shown nor a shown chart's text", name).isEmpty();
  }

  private static List<String> errorOutputs() {
    return strings("return $('#notebook .output_error').toArray().map(e => e.innerText)");
  }

  /**
   * The live progress of the sampled {@code fit()}: while the cell ran, never more than one
   * progress area, its text changing at least three times; at the end still exactly one.
   */
  private static void checkLiveProgress(String name) {
    browser.executeScript(
        "clearInterval(window.runkitSampler); window.runkitObserver.disconnect()");
    List<Map<String, Object>> samples = cast(browser.executeScript("return window.runkitSamples"));
    List<Map<String, Object>> during =
        samples.stream()
            .filter(s -> Boolean.TRUE.equals(s.get("running")))
            .filter(s -> ((Number) s.get("progress")).longValue() > 0)
            .toList();
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> s : samples) {
      String text = ((String) s.get("text")).replace('\n', ' ');
      lines.add(
          String.format(
              "%8.0f ms running=%s areas=%s progress=%s %s",
              ((Number) s.get("t")).doubleValue(),
              s.get("running"),
              s.get("areas"),
              s.get("progress"),
              text.substring(Math.max(0, text.length() - 90))));
    }
    try {
      Files.write(screenshots.resolve(name.replaceAll("\\.ipynb$", "") + "-progress.txt"), lines);
    } catch (IOException e) {
      System.out.println("NotebookBrowserIT: samples not written: " + e);
    }
    assertThat(during).as("%s: samples showing progress while fit() ran", name).isNotEmpty();
    assertThat(during)
        .as("%s: progress areas while fit() ran", name)
        .allSatisfy(s -> assertThat(((Number) s.get("progress")).longValue()).isEqualTo(1));
    int changes = 0;
    for (int i = 1; i < during.size(); i++) {
      if (!during.get(i).get("text").equals(during.get(i - 1).get("text"))) {
        changes++;
      }
    }
    double span =
        (((Number) during.get(during.size() - 1).get("t")).doubleValue()
                - ((Number) during.get(0).get("t")).doubleValue())
            / 1e3;
    String summary =
        String.format(
            "NotebookBrowserIT: %s: %d samples in %.1f s while fit() showed progress, its text"
                + " changed %d times",
            name, during.size(), span, changes);
    System.out.println(summary);
    timings.add(summary);
    int sent = ((Number) during.get(during.size() - 1).get("updates")).intValue();
    assertThat(sent).as("%s: updates the display reports", name).isGreaterThanOrEqualTo(4);
    assertThat(changes)
        .as("%s: progress text changes during fit()", name)
        .isGreaterThanOrEqualTo(3);
    Object last = samples.get(samples.size() - 1).get("progress");
    assertThat(((Number) last).longValue()).as("%s: progress areas at the end", name).isEqualTo(1);
  }

  /** Leaves the notebook without the unsaved-changes prompt and shuts its kernel down. */
  private static void closeNotebook() throws Exception {
    Object session =
        browser.executeScript(
            "window.onbeforeunload = null;"
                + "if (!window.Jupyter || !Jupyter.notebook) { return null; }"
                + "Jupyter.notebook.set_dirty(false);"
                + "return Jupyter.notebook.session ? Jupyter.notebook.session.id : null;");
    browser.get("about:blank");
    if (session != null) {
      api("DELETE", "api/sessions/" + session);
    }
  }

  private static void shutDownKernels() throws Exception {
    for (JsonNode kernel : new ObjectMapper().readTree(api("GET", "api/kernels").body())) {
      api("DELETE", "api/kernels/" + kernel.get("id").asText());
    }
  }

  /**
   * Saves the whole notebook page as a PNG under {@code target/browser/}: the window is made as
   * tall as the notebook (the page scrolls inside it), captured, then put back.
   */
  private static void screenshot(String name) {
    try {
      long height =
          number(
              "return Math.ceil(document.getElementById('header').getBoundingClientRect().height"
                  + " + document.getElementById('site').scrollHeight)");
      browser.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of(
              "width",
              1280,
              "height",
              Math.min(height, 16_000),
              "deviceScaleFactor",
              1,
              "mobile",
              false));
      Thread.sleep(500); // the notebook lays itself out again on the resize
      Map<String, Object> shot =
          browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
      browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      Path file = screenshots.resolve(name.replaceAll("\\.ipynb$", "") + ".png");
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    } catch (Exception | AssertionError e) {
      System.out.println("NotebookBrowserIT: no screenshot of " + name + ": " + e);
    }
  }

  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || !server.isAlive()) {
        throw new AssertionError(
            what
                + ": not within "
                + timeout.toSeconds()
                + " s; pending cells "
                + browser.executeScript(
                    "return window.Jupyter && Jupyter.notebook ? Jupyter.notebook.get_cells()"
                        + ".filter(c => c.cell_type === 'code' && typeof c.input_prompt_number"
                        + " !== 'number').map(c => c.get_text().substring(0, 60)) : 'no notebook'")
                + "; server log:\n"
                + serverLog());
      }
      Thread.sleep(100);
    }
  }

  private static boolean bool(String script) {
    return Boolean.TRUE.equals(browser.executeScript(script));
  }

  private static long number(String script) {
    return ((Number) browser.executeScript(script)).longValue();
  }

  private static List<String> strings(String script) {
    return cast(browser.executeScript(script));
  }

  private static List<List<Object>> lists(String script) {
    return cast(browser.executeScript(script));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  private static HttpResponse<String> api(String method, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "token " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String serverLog() {
    try {
      return NotebookIT.tail(Files.readString(serverLog));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(List<Throwable> failures, Step step) {
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      failures.add(e);
    }
  }
}
