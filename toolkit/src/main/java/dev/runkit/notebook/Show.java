package dev.runkit.notebook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Shows tables, charts and text: inline in a Java Jupyter kernel (IJava, JJava or
 * rapaio-jupyter-kernel, found at run time), or outside one as text on standard output and images
 * written under {@link #outputDir()}.
 *
 * <p>Every method returns nothing, so a cell ending in {@code Show.table(t)} echoes no id, and
 * never throws: bad input (a null or empty table, a chart that cannot be drawn) is shown as a clear
 * message in place of the output.
 *
 * <pre>{@code
 * Show.table(Tables.schedule(schedule, 0, 100, 1_000));
 * Show.chart(Charts.schedule(schedule, 2_000));
 * Display live = Display.create();
 * live.text("step 10"); // later: live.text("step 20") replaces it in place
 * }</pre>
 */
public final class Show {

  private static final AtomicInteger FILE_COUNTER = new AtomicInteger();
  private static volatile Path outputDir;
  private static volatile Optional<KernelBridge> kernel;

  private Show() {}

  /**
   * Shows a table as formatted HTML (plain text outside a kernel), at most 40 rows: the head and
   * the tail of longer tables, with a note saying how many rows there are.
   *
   * @param table the table; null or empty gives a message
   */
  public static void table(Table table) {
    table(table, TableRenderer.DEFAULT_MAX_ROWS);
  }

  /**
   * Shows a table with a chosen number of rows at most.
   *
   * @param table the table; null or empty gives a message
   * @param maxRows the most rows to show ({@code >= 2})
   */
  public static void table(Table table, int maxRows) {
    emit(null, false, () -> tableOutput(table, maxRows));
  }

  /**
   * Shows a chart as a PNG image (written to a file outside a kernel).
   *
   * @param chart an XChart chart, e.g. from {@link Charts}
   */
  public static void chart(Chart<?, ?> chart) {
    emit(null, false, () -> chartOutput(chart, false));
  }

  /**
   * Shows a chart as SVG (with a PNG alongside for front ends that do not render SVG).
   *
   * @param chart an XChart chart
   */
  public static void chartSvg(Chart<?, ?> chart) {
    emit(null, false, () -> chartOutput(chart, true));
  }

  /**
   * Shows several charts as one image, laid out in a grid.
   *
   * @param grid the charts and the number of columns, from {@link Charts#grid}
   */
  public static void chart(ChartGrid grid) {
    emit(null, false, () -> gridOutput(grid));
  }

  /**
   * Shows plain text.
   *
   * @param text the text; null shows "null"
   */
  public static void text(String text) {
    emit(null, false, () -> Output.text(String.valueOf(text)));
  }

  /**
   * Shows HTML (outside a kernel: written to a file, and its location printed).
   *
   * @param html an HTML fragment
   */
  public static void html(String html) {
    emit(null, false, () -> htmlOutput(html));
  }

  /**
   * Returns the folder where images and HTML go outside a kernel: set by {@link #outputDir(Path)},
   * else the system property {@code runkit.output.dir}, else the environment variable {@code
   * RUNKIT_OUTPUT_DIR}, else {@code runkit-output} in the working directory.
   *
   * @return the folder (created when the first file is written)
   */
  public static Path outputDir() {
    Path dir = outputDir;
    if (dir != null) {
      return dir;
    }
    String configured = System.getProperty("runkit.output.dir");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("RUNKIT_OUTPUT_DIR");
    }
    return Paths.get(configured == null || configured.isBlank() ? "runkit-output" : configured);
  }

  /**
   * Sets the folder where images and HTML go outside a kernel.
   *
   * @param dir the folder; null restores the default
   */
  public static void outputDir(Path dir) {
    outputDir = dir;
  }

  /**
   * Names the kernel outputs go to, or {@code "none"} outside a kernel.
   *
   * @return "IJava", "JJava", "rapaio-jupyter-kernel" or "none"
   */
  public static String kernelName() {
    return kernel().map(KernelBridge::name).orElse("none");
  }

  /** Forgets the detected kernel so the next call looks again (tests switch kernels). */
  static void resetKernel() {
    kernel = null;
  }

  static Optional<KernelBridge> kernel() {
    Optional<KernelBridge> k = kernel;
    if (k == null) {
      k = Kernels.detect();
      kernel = k;
    }
    return k;
  }

  /**
   * Builds and emits one output. Building runs inside the guard, so a failure anywhere (bad input,
   * a chart XChart cannot draw, a kernel API that changed) becomes a message, never an exception
   * out of the notebook cell.
   *
   * @param displayId the display id, or null
   * @param update whether to replace the display with that id rather than add an output
   * @param build makes the output
   */
  static void emit(String displayId, boolean update, Supplier<Output> build) {
    Output output;
    try {
      output = build.get();
    } catch (RuntimeException | LinkageError e) {
      output = Output.problem(describe(e));
    }
    Optional<KernelBridge> k = kernel();
    if (k.isPresent()) {
      try {
        if (update) {
          k.get().update(displayId, output.bundle());
        } else {
          k.get().display(output.bundle(), displayId);
        }
        return;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        System.err.println(
            "RunKit could not display through "
                + k.get().name()
                + " ("
                + describe(Kernels.cause(e))
                + "); printing instead.");
      }
    }
    console(output, update);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : (e instanceof IllegalArgumentException || e instanceof IllegalStateException
            ? message
            : e.getClass().getSimpleName() + ": " + message);
  }

  /** Outside a kernel: text goes to standard output, images and HTML to files named there. */
  private static void console(Output output, boolean update) {
    PrintStream out = System.out;
    try {
      if (output.png() != null) {
        Path png = write(output.label(), "png", output.png());
        String svgNote = "";
        if (output.svg() != null) {
          Path svg = write(output.label(), "svg", output.svg().getBytes(StandardCharsets.UTF_8));
          svgNote = " and " + svg.toAbsolutePath();
        }
        out.println(
            output.text()
                + " written to "
                + png.toAbsolutePath()
                + svgNote
                + (update ? " (update)" : ""));
      } else if (output.html() != null && output.label().equals("html")) {
        Path html = write("html", "html", output.html().getBytes(StandardCharsets.UTF_8));
        out.println("HTML written to " + html.toAbsolutePath());
      } else {
        out.println(output.text());
      }
    } catch (IOException e) {
      out.println(output.text() + " (could not write the file: " + e.getMessage() + ")");
    }
  }

  private static Path write(String label, String extension, byte[] bytes) throws IOException {
    Path dir = outputDir();
    Files.createDirectories(dir);
    String slug = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    slug = slug.replaceAll("^-+|-+$", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40);
    }
    String name =
        String.format(
            Locale.ROOT,
            "%03d-%s.%s",
            FILE_COUNTER.incrementAndGet(),
            slug.isEmpty() ? "output" : slug,
            extension);
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  static Output tableOutput(Table table, int maxRows) {
    if (table == null) {
      return Output.problem("Show.table: the table is null.");
    }
    if (table.columnCount() == 0) {
      return Output.problem(
          "Show.table: table \"" + table.name() + "\" is empty (no columns) - nothing to show.");
    }
    TableRenderer r = TableRenderer.of(table, maxRows);
    return Output.html("table", r.html(), r.text());
  }

  static Output chartOutput(Chart<?, ?> chart, boolean svg) {
    if (chart == null) {
      return Output.problem("Show.chart: the chart is null.");
    }
    byte[] png = png(chart);
    String svgText = null;
    if (svg) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        VectorGraphicsEncoder.saveVectorGraphic(
            chart, bytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      } catch (IOException e) {
        throw new IllegalStateException("could not encode the chart as SVG: " + e.getMessage(), e);
      }
      svgText = bytes.toString(StandardCharsets.UTF_8);
    }
    String title =
        chart.getTitle() == null || chart.getTitle().isBlank() ? "chart" : chart.getTitle();
    return new Output(
        title,
        "Chart \"" + title + "\" (" + chart.getWidth() + "x" + chart.getHeight() + ")",
        null,
        png,
        svgText,
        chart.getWidth(),
        chart.getHeight());
  }

  static Output gridOutput(ChartGrid grid) {
    if (grid == null) {
      return Output.problem("Show.chart: the chart grid is null.");
    }
    byte[] png = grid.png();
    return new Output(
        grid.title(),
        "Chart grid \""
            + grid.title()
            + "\" ("
            + grid.charts().size()
            + " charts, "
            + grid.width()
            + "x"
            + grid.height()
            + ")",
        null,
        png,
        null,
        grid.width(),
        grid.height());
  }

  static Output htmlOutput(String html) {
    if (html == null) {
      return Output.problem("Show.html: the HTML is null.");
    }
    String text = html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
    return Output.html("html", html, text.isEmpty() ? "(HTML)" : text);
  }

  /**
   * Encodes a chart as PNG bytes.
   *
   * @param chart the chart
   * @return the PNG
   * @throws IllegalStateException if XChart cannot encode it
   */
  static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new IllegalStateException("could not encode the chart as PNG: " + e.getMessage(), e);
    }
  }

  static String newDisplayId() {
    return "runkit-" + UUID.randomUUID();
  }
}
