package dev.runkit.data;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The JSON lists that model properties hold (class names, a normaliser's statistics): written here,
 * read with the YAML reader RunKit already uses for configs (JSON is YAML).
 */
final class Json {

  private Json() {}

  /** Writes numbers as a JSON list; whole numbers without a fraction. */
  static String numbers(long[] values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      b.append(i == 0 ? "" : ",").append(values[i]);
    }
    return b.append(']').toString();
  }

  /** Writes float values as a JSON list in their shortest exact form (read back bit for bit). */
  static String numbers(float[] values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      b.append(i == 0 ? "" : ",").append(values[i]);
    }
    return b.append(']').toString();
  }

  /** Writes text values as a JSON list of strings. */
  static String strings(List<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "\"" : ",\"");
      for (char c : values.get(i).toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20 || c > 0x7e) {
          // escaped, so the text stays ASCII whatever the reader's defaults
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      b.append('"');
    }
    return b.append(']').toString();
  }

  /** Reads a JSON list of numbers as floats, each exactly as {@link #numbers(float[])} wrote it. */
  static float[] readFloats(String json) {
    String[] items = numberItems(json);
    float[] out = new float[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = Float.parseFloat(items[i]);
    }
    return out;
  }

  /** Reads a JSON list of whole numbers. */
  static long[] readLongs(String json) {
    String[] items = numberItems(json);
    long[] out = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = Long.parseLong(items[i]);
    }
    return out;
  }

  /** The items of a flat list of numbers, read from their text: no detour through doubles. */
  private static String[] numberItems(String json) {
    if (json == null) {
      throw new IllegalArgumentException("a list is missing");
    }
    String t = json.strip();
    if (!t.startsWith("[") || !t.endsWith("]")) {
      throw new IllegalArgumentException("expected a JSON list of numbers, got " + json);
    }
    String inner = t.substring(1, t.length() - 1).strip();
    if (inner.isEmpty()) {
      return new String[0];
    }
    String[] items = inner.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      items[i] = items[i].strip();
    }
    return items;
  }

  /** Reads a JSON list of strings. */
  static List<String> readStrings(String json) {
    List<String> out = new ArrayList<>();
    for (Object item : list(json)) {
      if (!(item instanceof String s)) {
        throw new IllegalArgumentException("expected a list of strings, got " + json);
      }
      out.add(s);
    }
    return out;
  }

  private static List<?> list(String json) {
    if (json == null) {
      throw new IllegalArgumentException("a list is missing");
    }
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
    if (!(parsed instanceof List<?> list)) {
      throw new IllegalArgumentException("expected a JSON list, got " + json);
    }
    return list;
  }
}
