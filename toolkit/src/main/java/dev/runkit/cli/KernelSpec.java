package dev.runkit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Jupyter kernelspec ({@code kernel.json}) that starts a Java kernel with RunKit and its
 * dependencies on the classpath, so notebooks need no kernel-specific magic to load RunKit.
 * Immutable; made with {@link #builder(KernelFlavor, Path)}.
 *
 * <pre>{@code
 * KernelSpec spec = KernelSpec.builder(KernelFlavor.RAPAIO, kernelJar).classpath(entries).build();
 * Path written = spec.install(KernelSpec.userKernelsDir());
 * }</pre>
 */
public final class KernelSpec {

  private final KernelFlavor flavor;
  private final String name;
  private final String displayName;
  private final List<String> argv;
  private final Map<String, String> env;

  private KernelSpec(Builder b) {
    this.flavor = b.flavor;
    this.name = b.name;
    this.displayName =
        b.displayName == null ? "Java (RunKit, " + b.flavor.label() + ")" : b.displayName;
    List<String> command = new ArrayList<>();
    command.add(b.java);
    command.add("-Djava.awt.headless=true");
    command.add("-Dai.djl.offline=true");
    command.add("-Dlogback.configurationFile=" + Main.LOGBACK_CONFIG);
    command.addAll(b.jvmOptions);
    String kernelJar = b.kernelJar.toAbsolutePath().toString();
    switch (b.flavor) {
      case RAPAIO -> {
        // our launcher must load with the kernel, and RunKit's classes from the same (system)
        // loader as their dependencies, so the whole classpath goes on -cp as well
        List<String> cp = new ArrayList<>();
        cp.add(kernelJar);
        cp.addAll(b.classpath);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, cp));
        command.add(RapaioKernelLauncher.class.getName());
      }
      case IJAVA -> {
        command.add("-jar");
        command.add(kernelJar);
      }
      case JJAVA -> {
        command.add("--add-opens");
        command.add("jdk.jshell/jdk.jshell=ALL-UNNAMED");
        command.add("-jar");
        command.add(kernelJar);
      }
      default -> throw new IllegalStateException(b.flavor.toString());
    }
    command.add("{connection_file}");
    this.argv = List.copyOf(command);
    Map<String, String> e = new LinkedHashMap<>();
    e.put(b.flavor.classpathVariable(), String.join(b.flavor.separator(), b.classpath));
    e.put("OMP_NUM_THREADS", "1");
    e.putAll(b.env);
    this.env = java.util.Collections.unmodifiableMap(e);
  }

  /**
   * Starts a kernelspec for a kernel flavor.
   *
   * @param flavor which Java kernel to start
   * @param kernelJar the kernel's jar
   * @return the builder
   * @throws IllegalArgumentException if the jar does not exist
   */
  public static Builder builder(KernelFlavor flavor, Path kernelJar) {
    return new Builder(flavor, kernelJar);
  }

  /**
   * Returns the folder holding the user's kernelspecs: {@code $JUPYTER_DATA_DIR/kernels}, else the
   * platform default ({@code ~/.local/share/jupyter/kernels} on Linux, honouring {@code
   * XDG_DATA_HOME}; {@code ~/Library/Jupyter/kernels} on macOS; {@code %APPDATA%\jupyter\kernels}
   * on Windows).
   *
   * @return the folder
   */
  public static Path userKernelsDir() {
    String data = System.getenv("JUPYTER_DATA_DIR");
    if (data != null && !data.isBlank()) {
      return Path.of(data, "kernels");
    }
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    Path home = Path.of(System.getProperty("user.home"));
    if (os.contains("mac")) {
      return home.resolve("Library/Jupyter/kernels");
    }
    if (os.contains("win") && System.getenv("APPDATA") != null) {
      return Path.of(System.getenv("APPDATA"), "jupyter", "kernels");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share");
    return base.resolve("jupyter/kernels");
  }

  /**
   * Writes {@code kernel.json} into {@code kernelsDir/name/}, replacing an older one.
   *
   * @param kernelsDir a Jupyter {@code kernels} folder
   * @return the file written
   * @throws IOException if it cannot be written
   */
  public Path install(Path kernelsDir) throws IOException {
    Path dir = kernelsDir.resolve(name);
    Files.createDirectories(dir);
    Path file = dir.resolve("kernel.json");
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Returns the kernelspec as JSON, as Jupyter reads it.
   *
   * @return the {@code kernel.json} text
   */
  public String toJson() {
    StringBuilder b = new StringBuilder("{\n  \"argv\": [");
    for (int i = 0; i < argv.size(); i++) {
      b.append(i == 0 ? "\n    " : ",\n    ").append(quote(argv.get(i)));
    }
    b.append("\n  ],\n  \"display_name\": ").append(quote(displayName));
    b.append(",\n  \"language\": \"java\",\n  \"interrupt_mode\": \"message\",\n  \"env\": {");
    int i = 0;
    for (Map.Entry<String, String> e : env.entrySet()) {
      b.append(i++ == 0 ? "\n    " : ",\n    ")
          .append(quote(e.getKey()))
          .append(": ")
          .append(quote(e.getValue()));
    }
    b.append("\n  },\n  \"metadata\": {\"runkit\": {\"kernel\": ")
        .append(quote(flavor.id()))
        .append("}}\n}\n");
    return b.toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Returns the kernel name (the folder name, what {@code --kernel NAME} selects).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the name shown in Jupyter's kernel menu.
   *
   * @return the display name
   */
  public String displayName() {
    return displayName;
  }

  /**
   * Returns the command line that starts the kernel.
   *
   * @return the argv, ending in {@code {connection_file}}
   */
  public List<String> argv() {
    return argv;
  }

  /**
   * Returns the environment the kernel starts with.
   *
   * @return the variables, the classpath variable first
   */
  public Map<String, String> env() {
    return env;
  }

  /**
   * Returns the kernel flavor.
   *
   * @return the flavor
   */
  public KernelFlavor flavor() {
    return flavor;
  }

  /** Builds a {@link KernelSpec}; every method checks its argument at once. */
  public static final class Builder {
    private final KernelFlavor flavor;
    private final Path kernelJar;
    private String name = "runkit";
    private String displayName;
    private String java = "java";
    private final List<String> classpath = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    private Builder(KernelFlavor flavor, Path kernelJar) {
      this.flavor = Objects.requireNonNull(flavor, "flavor");
      Objects.requireNonNull(kernelJar, "kernelJar");
      if (!Files.isRegularFile(kernelJar)) {
        throw new IllegalArgumentException(
            "kernel jar for " + flavor.label() + " does not exist: " + kernelJar.toAbsolutePath());
      }
      this.kernelJar = kernelJar;
    }

    /**
     * Sets the kernel name, which is also its folder name.
     *
     * @param name letters, digits, '-', '_' or '.'
     * @return this builder
     * @throws IllegalArgumentException for other characters
     */
    public Builder name(String name) {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException(
            "--name must be letters, digits, '.', '_' or '-', got \"" + name + "\"");
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the name shown in Jupyter's kernel menu.
     *
     * @param displayName the display name, not blank
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder displayName(String displayName) {
      if (displayName == null || displayName.isBlank()) {
        throw new IllegalArgumentException("--display-name must not be blank");
      }
      this.displayName = displayName;
      return this;
    }

    /**
     * Sets the java executable (default {@code java} from the PATH).
     *
     * @param java a command or path
     * @return this builder
     */
    public Builder java(String java) {
      this.java = Objects.requireNonNull(java, "java");
      return this;
    }

    /**
     * Adds classpath entries (jars or folders) that notebooks get: RunKit and its dependencies.
     *
     * @param entries absolute or relative paths; made absolute
     * @return this builder
     * @throws IllegalArgumentException if an entry does not exist
     */
    public Builder classpath(List<Path> entries) {
      for (Path p : entries) {
        if (!Files.exists(p)) {
          throw new IllegalArgumentException(
              "classpath entry does not exist: " + p.toAbsolutePath());
        }
        classpath.add(p.toAbsolutePath().normalize().toString());
      }
      return this;
    }

    /**
     * Adds an option for the kernel's JVM (e.g. {@code -Xmx4g}).
     *
     * @param option the option
     * @return this builder
     */
    public Builder jvmOption(String option) {
      jvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /**
     * Adds an environment variable for the kernel.
     *
     * @param key the name
     * @param value the value
     * @return this builder
     */
    public Builder env(String key, String value) {
      env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the kernelspec.
     *
     * @return the spec
     * @throws IllegalStateException if no classpath entry was given
     */
    public KernelSpec build() {
      if (classpath.isEmpty()) {
        throw new IllegalStateException(
            "a RunKit kernelspec needs RunKit on its classpath; none given");
      }
      return new KernelSpec(this);
    }
  }
}
