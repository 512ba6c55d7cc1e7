package dev.runkit.sweep;

import dev.runkit.registry.Params;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter values in one canonical form (whole numbers as {@link Long}, other numbers as {@link
 * Double}, lists and maps copied), so that a value read from YAML, built in code or read back from
 * a sweep's JSON log compares equal to itself.
 */
final class Values {

  private Values() {}

  /**
   * Returns a value in canonical form.
   *
   * @param value a number, text, boolean, list or map
   * @param where what the value is, for the message
   * @return the canonical value
   * @throws IllegalArgumentException for null or another kind of value
   */
  static Object canonical(Object value, String where) {
    if (value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(canonical(item, where));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), canonical(v, where)));
      return out;
    }
    throw new IllegalArgumentException(
        where
            + " must be a number, text, true/false, a list or a map, got "
            + value
            + " ("
            + Params.kind(value)
            + ")");
  }

  /**
   * Writes a value as a short text, for tables and messages ({@code 0.001}, {@code [64, 32]},
   * {@code AdamW}).
   *
   * @param value a canonical value
   * @return the text
   */
  static String text(Object value) {
    return String.valueOf(value);
  }
}
