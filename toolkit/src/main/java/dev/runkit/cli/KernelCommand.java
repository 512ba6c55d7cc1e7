package dev.runkit.cli;

import dev.runkit.registry.Names;
import dev.runkit.sweep.spark.SparkJvm;
import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runkit kernel install}: writes a Jupyter kernelspec that starts a Java kernel with RunKit
 * and its dependencies on the classpath (rapaio-jupyter-kernel by default, IJava or JJava with
 * {@code --kernel} and {@code --kernel-jar}); {@code --with-spark} adds Apache Spark for sweeps on
 * Spark.
 */
final class KernelCommand implements Command {

  private static final List<String> OPTIONS =
      List.of(
          "--kernel",
          "--kernel-jar",
          "--name",
          "--display-name",
          "--classpath",
          "--java",
          "--prefix",
          "--data-dir",
          "--user",
          "--with-spark",
          "--dry-run");

  /** What {@code runkit kernel install --help} prints: every option, with its default. */
  static final String HELP =
      String.join(
          "\n",
          "usage: runkit kernel install [OPTIONS]",
          "Writes a Jupyter kernelspec that starts a Java kernel with RunKit and its dependencies on"
              + " the classpath.",
          "  --kernel rapaio|ijava|jjava  the kernel (default rapaio: rapaio-jupyter-kernel "
              + KernelFlavor.RAPAIO_VERSION
              + ")",
          "  --kernel-jar JAR             the kernel's jar (needed for ijava and jjava; rapaio's is"
              + " found in toolkit/target/kernel or ~/.m2)",
          "  --name NAME                  the kernelspec name (default runkit)",
          "  --display-name TEXT          the name Jupyter shows",
          "  --classpath CP               the notebook classpath, ':'-separated, dir/* allowed"
              + " (default: RunKit's own jar and dependencies)",
          "  --java PATH                  the java that starts the kernel (default: the one running"
              + " this command)",
          "  --user                       install into the user's Jupyter data folder (the default)",
          "  --prefix DIR                 install into DIR/share/jupyter/kernels",
          "  --data-dir DIR               install into DIR/kernels",
          "  --with-spark[=DIR]           add Apache Spark, for sweeps on Spark: the jars the build"
              + " copies to toolkit/target/spark-lib (or DIR) and the Java 17 flags Spark needs",
          "  --dry-run                    print the kernel.json instead of installing it",
          "");

  @Override
  public String summary() {
    return "kernel install [--kernel rapaio|ijava|jjava] [--kernel-jar JAR] [--name runkit]"
        + " [--data-dir DIR | --prefix DIR | --user] [--classpath CP] [--with-spark] [--dry-run]";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty() || !args.get(0).equals("install")) {
      String got = args.isEmpty() ? "nothing" : "\"" + args.get(0) + "\"";
      throw new IllegalArgumentException(
          "expected \"install\" after \"kernel\", got " + got + "\nusage: runkit " + summary());
    }
    if (args.contains("--help") || args.contains("-h")) {
      out.print(HELP);
      return 0;
    }
    Map<String, String> opts = parse(args.subList(1, args.size()));
    KernelFlavor flavor = KernelFlavor.of(opts.getOrDefault("--kernel", "rapaio"));
    Path kernelJar = kernelJar(flavor, opts.get("--kernel-jar"));
    List<Path> classpath = classpath(opts.get("--classpath"), kernelJar);
    KernelSpec.Builder b = KernelSpec.builder(flavor, kernelJar);
    if (opts.containsKey("--with-spark")) {
      classpath.addAll(sparkJars(opts.get("--with-spark")));
      SparkJvm.moduleOptions().forEach(b::jvmOption);
    }
    b.classpath(classpath);
    if (opts.containsKey("--name")) {
      b.name(opts.get("--name"));
    }
    if (opts.containsKey("--display-name")) {
      b.displayName(opts.get("--display-name"));
    }
    b.java(opts.getOrDefault("--java", javaExecutable()));
    KernelSpec spec = b.build();
    if (opts.containsKey("--dry-run")) {
      out.print(spec.toJson());
      return 0;
    }
    Path kernels;
    if (opts.containsKey("--data-dir")) {
      kernels = Path.of(opts.get("--data-dir"), "kernels");
    } else if (opts.containsKey("--prefix")) {
      kernels = Path.of(opts.get("--prefix"), "share", "jupyter", "kernels");
    } else {
      kernels = KernelSpec.userKernelsDir();
    }
    Path written = spec.install(kernels);
    out.println(
        "Installed kernel \""
            + spec.name()
            + "\" ("
            + spec.displayName()
            + ") at "
            + written.toAbsolutePath()
            + " with "
            + classpath.size()
            + " classpath entries.");
    out.println(
        "Use it with: jupyter notebook (choose \""
            + spec.displayName()
            + "\"), or jupyter nbconvert --execute --ExecutePreprocessor.kernel_name="
            + spec.name());
    return 0;
  }

  private static Map<String, String> parse(List<String> args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String key = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        key = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (!OPTIONS.contains(key)) {
        throw new IllegalArgumentException(
            "Unknown option \""
                + key
                + "\"; expected one of "
                + OPTIONS
                + "."
                + Names.didYouMean(key, OPTIONS));
      }
      boolean flag =
          key.equals("--dry-run")
              || key.equals("--user")
              || (key.equals("--with-spark") && value == null);
      if (!flag && value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + key + " needs a value");
        }
        value = args.get(++i);
      }
      opts.put(key, flag ? (key.equals("--with-spark") ? null : "true") : value);
    }
    return opts;
  }

  /** The kernel jar: as given, else (rapaio only) next to RunKit's build or in ~/.m2. */
  static Path kernelJar(KernelFlavor flavor, String given) {
    if (given != null) {
      Path p = Path.of(given);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("--kernel-jar does not exist: " + p.toAbsolutePath());
      }
      return p;
    }
    if (flavor != KernelFlavor.RAPAIO) {
      throw new IllegalArgumentException(
          "--kernel "
              + flavor.id()
              + " needs --kernel-jar PATH to the "
              + flavor.label()
              + " kernel jar you installed (RunKit downloads only rapaio-jupyter-kernel)");
    }
    String file = "rapaio-jupyter-kernel-" + KernelFlavor.RAPAIO_VERSION + ".jar";
    List<Path> tried = new ArrayList<>();
    Path home = ownLocation();
    if (home != null) {
      tried.add(home.resolveSibling("kernel").resolve(file));
    }
    tried.add(
        Path.of(
            System.getProperty("user.home"),
            ".m2/repository/io/github/padreati/rapaio-jupyter-kernel",
            KernelFlavor.RAPAIO_VERSION,
            file));
    for (Path p : tried) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "cannot find "
            + file
            + "; looked at "
            + tried
            + ". Build with mvn -B package (it copies the kernel to toolkit/target/kernel) or pass"
            + " --kernel-jar PATH");
  }

  /**
   * The jars of Spark's folder: as given, else {@code spark-lib} beside RunKit's classes or jar
   * (where {@code mvn package} copies Spark, which RunKit's own classpath leaves out).
   */
  static List<Path> sparkJars(String given) {
    Path home = ownLocation();
    Path dir =
        given != null ? Path.of(given) : home == null ? null : home.resolveSibling("spark-lib");
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "--with-spark needs Spark's jars in "
              + (dir == null ? "toolkit/target/spark-lib" : dir.toAbsolutePath())
              + "; build with mvn -B package -DskipTests (it copies them there), or give the"
              + " folder: --with-spark=DIR");
    }
    List<Path> jars;
    try (var files = Files.list(dir)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage());
    }
    if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("spark-core_"))) {
      throw new IllegalArgumentException(
          "--with-spark: " + dir.toAbsolutePath() + " holds no spark-core jar");
    }
    return jars;
  }

  /** Where RunKit's classes come from: target/classes or the jar in target/. */
  private static Path ownLocation() {
    try {
      return Path.of(
          KernelCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The notebook classpath: as given, else this JVM's own classpath (RunKit and its dependencies).
   */
  static List<Path> classpath(String given, Path kernelJar) {
    String cp = given != null ? given : System.getProperty("java.class.path", "");
    List<Path> entries = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      if (e.endsWith("*")) {
        Path dir = Path.of(e.substring(0, e.length() - 1));
        try (var files = Files.list(dir)) {
          files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(entries::add);
        } catch (java.io.IOException ex) {
          throw new IllegalArgumentException(
              "cannot list classpath folder " + dir + ": " + ex.getMessage());
        }
        continue;
      }
      Path p = Path.of(e);
      if (!p.toAbsolutePath().normalize().equals(kernelJar.toAbsolutePath().normalize())) {
        entries.add(p);
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(
          "the classpath is empty; pass --classpath with RunKit's jar and its dependencies");
    }
    return entries;
  }

  private static String javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return Files.isExecutable(java) ? java.toString() : "java";
  }
}
