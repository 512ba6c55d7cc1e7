package dev.runkit.config;

import dev.runkit.registry.Params;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads and writes config files (YAML, and JSON, which YAML reads as it is) as plain nested maps,
 * and applies {@code KEY=VALUE} overrides from the command line.
 *
 * <pre>{@code
 * Map<String, Object> raw = ConfigFiles.read(Path.of("digits.yaml"));
 * ConfigFiles.override(raw, "TRAIN.OPTIM.PARAM.lr=0.01");
 * }</pre>
 */
public final class ConfigFiles {

  private ConfigFiles() {}

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    // a key written twice is a mistake whose second value would silently win
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    DumperOptions dump = new DumperOptions();
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dump.setIndent(2);
    dump.setWidth(100);
    return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options);
  }

  /**
   * Reads a config file.
   *
   * @param file a {@code .yaml}, {@code .yml} or {@code .json} file
   * @return the top-level map, in file order
   * @throws IllegalArgumentException if the file is missing or a folder, is not UTF-8 text (naming
   *     the first bad byte and its offset) or looks binary, is not valid YAML / JSON (with line and
   *     column), or does not hold a map at the top
   */
  public static Map<String, Object> read(Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          "config file "
              + file
              + " is a folder; give a YAML or JSON file (a run's folder is continued with `resume"
              + " RUN_DIR`)");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "config file not found: "
              + file
              + (file.isAbsolute() ? "" : " (" + file.toAbsolutePath() + ")"));
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return load(new StringReader(utf8(bytes, file)), file.toString(), "an empty file");
  }

  /** How much of a file is searched for a zero byte, which text never holds (as git does). */
  private static final int BINARY_PROBE = 8000;

  /**
   * Decodes a config file's bytes, saying in words what is wrong with one that is not UTF-8 text
   * (the decoder's own MalformedInputException names neither the byte nor where it is).
   */
  private static String utf8(byte[] bytes, Path file) {
    String what = "config file " + file;
    if (bytes.length >= 2
        && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
            || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
      throw new IllegalArgumentException(
          what + " is UTF-16 text, not UTF-8; save it as UTF-8 (YAML or JSON)");
    }
    for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE); i++) {
      if (bytes[i] == 0) {
        throw new IllegalArgumentException(
            what
                + " looks like a binary file (a zero byte at offset "
                + i
                + "), not a YAML or JSON config");
      }
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s is not UTF-8 text (byte 0x%02X at offset %d, on line %d); save it as UTF-8",
              what,
              bytes[offset] & 0xFF,
              offset,
              line));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * Parses a config given as text (YAML or JSON), as {@link #read(Path)} reads a file, with the
   * same errors; {@code source} takes the place of the file name in them.
   *
   * @param text the config text
   * @param source what to call the text in messages, e.g. {@code "config text"}
   * @return the top-level map, in text order
   * @throws IllegalArgumentException if the text is null, is not valid YAML / JSON (with line and
   *     column), or does not hold a map at the top
   */
  public static Map<String, Object> parse(String text, String source) {
    if (text == null) {
      throw new IllegalArgumentException(source + " is null; expected YAML or JSON text");
    }
    return load(new StringReader(text), source, "an empty text");
  }

  private static Map<String, Object> load(Reader in, String source, String emptyName) {
    Object doc;
    try {
      doc = yaml().load(in);
    } catch (MarkedYAMLException e) {
      throw new IllegalArgumentException(
          source
              + ": line "
              + (e.getProblemMark().getLine() + 1)
              + ", column "
              + (e.getProblemMark().getColumn() + 1)
              + ": "
              + e.getProblem()
              + (e.getContext() == null ? "" : " (" + e.getContext() + ")"),
          e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(source + ": not valid YAML or JSON: " + e.getMessage(), e);
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          source
              + " must hold a map of sections (MODEL, DATA, TRAIN, ...) at the top, got "
              + (doc == null ? emptyName : Params.kind(doc)));
    }
    return copy(map);
  }

  /**
   * Parses one value as YAML, as a command-line override gives it ({@code 0.01}, {@code true},
   * {@code [10, 20]}, {@code cosine}).
   *
   * @param text the text
   * @return the value: a number, boolean, text, list, map or null
   */
  public static Object parseValue(String text) {
    try {
      Object value = yaml().load(text);
      return value instanceof Map<?, ?> m ? copy(m) : value;
    } catch (YAMLException e) {
      return text;
    }
  }

  /**
   * Applies one override {@code KEY=VALUE}: KEY is a dotted path ({@code TRAIN.OPTIM.PARAM.lr}),
   * VALUE is parsed as YAML; missing maps on the way are created. Unknown keys are not checked here
   * but by validation, like keys in the file.
   *
   * @param config the config, changed in place
   * @param assignment {@code KEY=VALUE}
   * @throws IllegalArgumentException if the text has no {@code =}, an empty key or value, or a path
   *     that runs through a value that is not a map
   */
  public static void override(Map<String, Object> config, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "--set needs KEY=VALUE with a dotted KEY (e.g. TRAIN.OPTIM.PARAM.lr=0.01), got \""
              + assignment
              + "\"");
    }
    String key = assignment.substring(0, eq).trim();
    if (assignment.substring(eq + 1).isBlank()) {
      // YAML reads nothing as null, which reads as a missing key: "TRAIN needs the run length"
      throw new IllegalArgumentException(
          "--set " + key + "= has no value; write KEY=VALUE, e.g. TRAIN.OPTIM.PARAM.lr=0.01");
    }
    try {
      put(config, key, parseValue(assignment.substring(eq + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--set " + e.getMessage(), e);
    }
  }

  /**
   * Sets the value at a dotted key path ({@code TRAIN.OPTIM.PARAM.lr}), creating missing maps on
   * the way: the one way overrides reach a config, from {@code --set} and from a sweep's trials.
   * Unknown keys are not checked here but by validation, like keys in the file.
   *
   * @param config the config, changed in place
   * @param keyPath the dotted key path
   * @param value the value (numbers, text, booleans, lists and maps as YAML reads them); lists and
   *     maps are copied
   * @throws IllegalArgumentException for an empty part of the path, or a path that runs through a
   *     value that is not a map
   */
  @SuppressWarnings("unchecked")
  public static void put(Map<String, Object> config, String keyPath, Object value) {
    String[] parts = keyPath.split("\\.", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("key \"" + keyPath + "\" has an empty part");
      }
    }
    Map<String, Object> at = config;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = at.get(parts[i]);
      if (next == null) {
        next = new LinkedHashMap<String, Object>();
        at.put(parts[i], next);
      } else if (!(next instanceof Map)) {
        throw new IllegalArgumentException(
            keyPath
                + ": "
                + String.join(".", List.of(parts).subList(0, i + 1))
                + " is "
                + next
                + ", not a map of keys");
      }
      at = (Map<String, Object>) next;
    }
    at.put(parts[parts.length - 1], copyValue(value));
  }

  /**
   * Writes a file atomically: the content goes to a temporary file next to it, which then replaces
   * the file, so a crash never leaves it half-written.
   *
   * @param file the file
   * @param content writes the content into the path it is given
   * @throws UncheckedIOException if it cannot be written
   */
  public static void writeAtomically(Path file, FileContent content) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      content.writeTo(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes a file's content into a path, for {@link #writeAtomically}. */
  @FunctionalInterface
  public interface FileContent {

    /**
     * Writes the content.
     *
     * @param path where to write it
     * @throws IOException if it cannot be written
     */
    void writeTo(Path path) throws IOException;
  }

  /**
   * Writes a config as YAML, atomically (temporary file, then rename), so a crash never leaves a
   * half-written config.
   *
   * @param config the config
   * @param file the file
   * @throws UncheckedIOException if it cannot be written
   */
  public static void write(Map<String, Object> config, Path file) {
    writeAtomically(
        file,
        tmp -> {
          try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            yaml().dump(config, out);
          }
        });
  }

  /**
   * Renders a config as YAML text.
   *
   * @param config the config
   * @return the YAML
   */
  public static String toYaml(Map<String, Object> config) {
    return yaml().dump(config);
  }

  /**
   * Deep-copies a nested map (string keys, lists and maps copied, leaves shared).
   *
   * @param map the map
   * @return a mutable copy
   */
  public static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), copyValue(v)));
    return out;
  }

  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return copy(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(copyValue(x)));
      return out;
    }
    return v;
  }
}
