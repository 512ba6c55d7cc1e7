package dev.runkit.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, validated access to a parameter map from config or code ({@code PARAM} of a {@code TYPE} +
 * {@code PARAM} pair).
 *
 * <p>Every read records the key as accepted, so {@link #requireNoUnknown()} can reject what the
 * factory never asked for and suggest the nearest accepted key. Errors name the key path, the
 * value, what is allowed and the nearest valid name.
 *
 * <pre>{@code
 * Params p = Params.of("StepLR", Map.of("step_size", 10));
 * long stepSize = p.requiredLong("step_size");
 * double gamma = p.optionalDouble("gamma", 0.1);
 * p.check("gamma", gamma, gamma > 0, "> 0");
 * p.requireNoUnknown();
 * }</pre>
 */
public final class Params {

  private final String path;
  private final Map<String, Object> values;
  private final Set<String> accepted = new LinkedHashSet<>();

  private Params(String path, Map<String, Object> values) {
    this.path = path;
    this.values = values;
  }

  /**
   * Wraps a parameter map.
   *
   * @param path the key path of the map, prefixed to every key in messages (e.g. {@code StepLR} or
   *     {@code TRAIN.LR_SCHEDULER.PARAM}); empty for the top level of a config
   * @param raw the parameters; {@code null} means none; keys are converted to strings
   * @return the wrapper
   */
  public static Params of(String path, Map<?, ?> raw) {
    Map<String, Object> copy = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((k, v) -> copy.put(String.valueOf(k), v));
    }
    return new Params(path, copy);
  }

  /**
   * Returns the path of this map.
   *
   * @return the key path prefix
   */
  public String path() {
    return path;
  }

  /**
   * Returns the full key path of a key.
   *
   * @param key a key of this map
   * @return {@code path + "." + key}, or the key alone for the top of a config (an empty path)
   */
  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * Tells whether the user gave a key (and records it as accepted).
   *
   * @param key the key
   * @return true when present with a non-null value
   */
  public boolean has(String key) {
    accepted.add(key);
    return values.get(key) != null;
  }

  /**
   * Reads a required number.
   *
   * @param key the key
   * @return its value
   * @throws IllegalArgumentException if missing or not a number
   */
  public double requiredDouble(String key) {
    return toDouble(key, required(key));
  }

  /**
   * Reads an optional number.
   *
   * @param key the key
   * @param fallback the value when absent
   * @return its value or the fallback
   * @throws IllegalArgumentException if present but not a number
   */
  public double optionalDouble(String key, double fallback) {
    Object raw = optional(key);
    return raw == null ? fallback : toDouble(key, raw);
  }

  /**
   * Reads a required integer.
   *
   * @param key the key
   * @return its value
   * @throws IllegalArgumentException if missing or not an integer
   */
  public long requiredLong(String key) {
    return toLong(key, required(key));
  }

  /**
   * Reads an optional integer.
   *
   * @param key the key
   * @param fallback the value when absent
   * @return its value or the fallback
   * @throws IllegalArgumentException if present but not an integer
   */
  public long optionalLong(String key, long fallback) {
    Object raw = optional(key);
    return raw == null ? fallback : toLong(key, raw);
  }

  /**
   * Reads an optional boolean ({@code true}/{@code false}, also as text).
   *
   * @param key the key
   * @param fallback the value when absent
   * @return its value or the fallback
   * @throws IllegalArgumentException if present but not a boolean
   */
  public boolean optionalBoolean(String key, boolean fallback) {
    Object raw = optional(key);
    if (raw == null) {
      return fallback;
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw wrongType(key, raw, "true or false");
  }

  /**
   * Reads an optional choice among fixed words (matched case-insensitively).
   *
   * @param key the key
   * @param fallback the value when absent
   * @param allowed the allowed words, as they are returned
   * @return the allowed word the user chose, or the fallback
   * @throws IllegalArgumentException if present but not one of the allowed words
   */
  public String optionalChoice(String key, String fallback, String... allowed) {
    Object raw = optional(key);
    if (raw == null) {
      return fallback;
    }
    String given = String.valueOf(raw).trim();
    for (String word : allowed) {
      if (word.equalsIgnoreCase(given)) {
        return word;
      }
    }
    List<String> words = List.of(allowed);
    throw new IllegalArgumentException(
        path(key)
            + " must be one of "
            + words
            + ", got "
            + quoted(raw)
            + "."
            + Names.didYouMean(given, words));
  }

  /**
   * Reads a required list of numbers; a single number is taken as a list of one.
   *
   * @param key the key
   * @return the numbers, in order
   * @throws IllegalArgumentException if missing, empty or not numbers
   */
  public List<Double> requiredDoubleList(String key) {
    List<Object> items = list(key, required(key));
    List<Double> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(toDouble(key + "[" + i + "]", items.get(i)));
    }
    return out;
  }

  /**
   * Reads a required list of integers; a single integer is taken as a list of one.
   *
   * @param key the key
   * @return the integers, in order
   * @throws IllegalArgumentException if missing, empty or not integers
   */
  public List<Long> requiredLongList(String key) {
    List<Object> items = list(key, required(key));
    List<Long> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(toLong(key + "[" + i + "]", items.get(i)));
    }
    return out;
  }

  /**
   * Reads a required list of maps (nested {@code TYPE}/{@code PARAM} specs, for example).
   *
   * @param key the key
   * @return the maps, in order
   * @throws IllegalArgumentException if missing, empty or not a list of maps
   */
  public List<Map<?, ?>> requiredMapList(String key) {
    List<Object> items = list(key, required(key));
    List<Map<?, ?>> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> map)) {
        throw wrongType(key + "[" + i + "]", items.get(i), "a map");
      }
      out.add(map);
    }
    return out;
  }

  /**
   * Reads a required map (a nested {@code TYPE}/{@code PARAM} spec, for example).
   *
   * @param key the key
   * @return the map
   * @throws IllegalArgumentException if missing or not a map
   */
  public Map<?, ?> requiredMap(String key) {
    Object raw = required(key);
    if (!(raw instanceof Map<?, ?> map)) {
      throw wrongType(key, raw, "a map");
    }
    return map;
  }

  /**
   * Reads a required text value; numbers and booleans are accepted as their text.
   *
   * @param key the key
   * @return its value, trimmed
   * @throws IllegalArgumentException if missing, blank, or a list or map
   */
  public String requiredString(String key) {
    return toText(key, required(key));
  }

  /**
   * Reads an optional text value; numbers and booleans are accepted as their text.
   *
   * @param key the key
   * @param fallback the value when absent
   * @return its value, trimmed, or the fallback
   * @throws IllegalArgumentException if present but blank, or a list or map
   */
  public String optionalString(String key, String fallback) {
    Object raw = optional(key);
    return raw == null ? fallback : toText(key, raw);
  }

  /**
   * Reads a required nested map (a config section such as {@code TRAIN} or {@code TRAIN.OPTIM}),
   * whose keys are reported under {@code path.key}.
   *
   * @param key the key
   * @return the nested parameters
   * @throws IllegalArgumentException if missing or not a map
   */
  public Params section(String key) {
    Object raw = optional(key);
    if (raw == null) {
      throw new IllegalArgumentException(
          "Missing required section " + path(key) + "." + missingHint(key));
    }
    return nested(key, raw);
  }

  /**
   * Reads an optional nested map; absent, it reads as an empty one (so defaults apply).
   *
   * @param key the key
   * @return the nested parameters, empty when absent
   * @throws IllegalArgumentException if present but not a map
   */
  public Params optionalSection(String key) {
    Object raw = optional(key);
    return raw == null ? Params.of(path(key), Map.of()) : nested(key, raw);
  }

  /**
   * Declares every key this map may hold and rejects any other at once, before values are read, so
   * a misspelt key is reported as such rather than as a missing one.
   *
   * @param known the valid keys
   * @throws IllegalArgumentException naming the unknown key, the valid keys and the nearest one
   */
  public void requireOnly(String... known) {
    accepted.addAll(List.of(known));
    requireNoUnknown();
  }

  /**
   * Returns the keys the user gave, in order.
   *
   * @return the given keys
   */
  public Set<String> givenKeys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /**
   * Reads a raw value as given (for values whose type the caller interprets).
   *
   * @param key the key
   * @return the value, or null when absent
   */
  public Object optionalRaw(String key) {
    return optional(key);
  }

  /**
   * Throws when a value breaks a rule.
   *
   * @param key the key the value was read from
   * @param value the value, shown in the message
   * @param ok whether the rule holds
   * @param allowed what is allowed, completing "must be ..." (e.g. {@code "> 0"}, {@code "in [0,
   *     1)"})
   * @throws IllegalArgumentException {@code "<path>.<key> must be <allowed>, got <value>"} when not
   *     ok
   */
  public void check(String key, Object value, boolean ok, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(path(key) + " must be " + allowed + ", got " + value);
    }
  }

  /**
   * Rejects every key the factory did not read.
   *
   * @throws IllegalArgumentException naming the unknown key, the accepted keys and the nearest one
   */
  public void requireNoUnknown() {
    for (String key : values.keySet()) {
      if (!accepted.contains(key)) {
        throw unknownKey(key);
      }
    }
  }

  /**
   * Returns the keys read so far: after a factory has run, the keys it accepts.
   *
   * @return the accepted keys, in reading order
   */
  public Set<String> acceptedKeys() {
    return Collections.unmodifiableSet(accepted);
  }

  private IllegalArgumentException unknownKey(String key) {
    return new IllegalArgumentException(
        "Unknown parameter \""
            + key
            + "\" at "
            + path(key)
            + "; accepted are "
            + accepted
            + "."
            + Names.didYouMean(key, accepted));
  }

  private Object optional(String key) {
    accepted.add(key);
    return values.get(key);
  }

  private Object required(String key) {
    Object raw = optional(key);
    if (raw == null) {
      throw new IllegalArgumentException(
          "Missing required parameter " + path(key) + "." + missingHint(key));
    }
    return raw;
  }

  private Params nested(String key, Object raw) {
    if (!(raw instanceof Map<?, ?> map)) {
      throw wrongType(key, raw, "a map of keys to values");
    }
    return Params.of(path(key), map);
  }

  private String missingHint(String key) {
    for (String given : values.keySet()) {
      if (!given.equals(key) && Names.nearest(given, List.of(key)).isPresent()) {
        return " Did you mean \"" + key + "\" instead of \"" + given + "\"?";
      }
    }
    return "";
  }

  private String toText(String key, Object raw) {
    if (raw instanceof Map || raw instanceof List || raw.getClass().isArray()) {
      throw wrongType(key, raw, "a text value");
    }
    String text = String.valueOf(raw).trim();
    if (text.isEmpty()) {
      throw new IllegalArgumentException(path(key) + " must not be blank, got \"" + raw + "\"");
    }
    return text;
  }

  private List<Object> list(String key, Object raw) {
    List<Object> items = new ArrayList<>();
    if (raw instanceof List<?> list) {
      items.addAll(list);
    } else if (raw instanceof Object[] array) {
      items.addAll(List.of(array));
    } else if (raw instanceof double[] array) {
      for (double d : array) {
        items.add(d);
      }
    } else if (raw instanceof long[] array) {
      for (long l : array) {
        items.add(l);
      }
    } else if (raw instanceof int[] array) {
      for (int i : array) {
        items.add(i);
      }
    } else {
      items.add(raw);
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(path(key) + " must be a non-empty list, got []");
    }
    return items;
  }

  private double toDouble(String key, Object raw) {
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof String s) {
      try {
        // YAML 1.1 readers leave "1e-3" as text; accept numbers written as text
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw wrongType(key, raw, "a number");
      }
    }
    throw wrongType(key, raw, "a number");
  }

  private long toLong(String key, Object raw) {
    double d;
    try {
      d = toDouble(key, raw);
    } catch (IllegalArgumentException e) {
      throw wrongType(key, raw, "an integer");
    }
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    if (d != Math.rint(d) || Double.isInfinite(d)) {
      throw wrongType(key, raw, "an integer");
    }
    if (Math.abs(d) > 9.0e15) {
      // an integer all the same: "must be an integer, got 1e23 (an integer)" would contradict
      // itself
      throw new IllegalArgumentException(
          path(key) + " must be an integer between -9e15 and 9e15, got " + quoted(raw));
    }
    return (long) d;
  }

  private IllegalArgumentException wrongType(String key, Object raw, String expected) {
    return new IllegalArgumentException(
        path(key) + " must be " + expected + ", got " + quoted(raw) + " (" + kind(raw) + ")");
  }

  /**
   * Names the kind of a value read from YAML or JSON in the words of a config file ("text", "a
   * list"), for messages about a value of the wrong kind; Java's class names (ArrayList,
   * LinkedHashMap) mean nothing to someone writing YAML.
   *
   * @param value the value, or null
   * @return "nothing", "text", "true/false", "an integer", "a number", "a list" or "a map"
   */
  public static String kind(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof CharSequence) {
      return "text";
    }
    if (value instanceof Boolean) {
      return "true/false";
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof java.math.BigInteger) {
      return "an integer";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof java.util.Collection<?> || value.getClass().isArray()) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    return value.getClass().getSimpleName();
  }

  private static String quoted(Object raw) {
    return raw instanceof String ? "\"" + raw + "\"" : String.valueOf(raw);
  }
}
