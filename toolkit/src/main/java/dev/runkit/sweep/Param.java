package dev.runkit.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One dimension of a search space: a config key path ({@code TRAIN.OPTIM.PARAM.lr}) and the values
 * a trial may give it. Each kind checks its values when it is made.
 */
public sealed interface Param permits Param.Choice, Param.Grid, Param.Uniform, Param.Int {

  /**
   * Returns the dotted config key path the values go to.
   *
   * @return the key path
   */
  String key();

  /**
   * Returns the kind, as written in a {@code SPACE} entry's {@code TYPE}.
   *
   * @return {@code choice}, {@code grid}, {@code uniform}, {@code loguniform} or {@code int}
   */
  String type();

  /**
   * Returns the values whose acceptance by the base config stands for all of this dimension's: the
   * bounds of a range, every value of a choice or grid.
   *
   * @return the values to check before the first trial
   */
  List<Object> probes();

  /**
   * Returns this dimension as a {@code SPACE} entry ({@code {TYPE: loguniform, LOW: .., HIGH:
   * ..}}).
   *
   * @return a new map
   */
  Map<String, Object> toConfig();

  /**
   * A value picked from a list, each equally likely a priori (a categorical parameter).
   *
   * @param key the config key path
   * @param values the values (numbers, text, booleans, lists or maps), at least one, none twice
   */
  record Choice(String key, List<Object> values) implements Param {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a blank key, no values or a value listed twice
     */
    public Choice {
      key = checkKey(key);
      values = distinct(key, "choice", values);
    }

    @Override
    public String type() {
      return "choice";
    }

    @Override
    public List<Object> probes() {
      return values;
    }

    @Override
    public Map<String, Object> toConfig() {
      return listed("choice", values);
    }
  }

  /**
   * A value from a list that the grid sampler enumerates (the other samplers draw it as a {@link
   * Choice}).
   *
   * @param key the config key path
   * @param values the values, at least one, none twice
   */
  record Grid(String key, List<Object> values) implements Param {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a blank key, no values or a value listed twice
     */
    public Grid {
      key = checkKey(key);
      values = distinct(key, "grid", values);
    }

    @Override
    public String type() {
      return "grid";
    }

    @Override
    public List<Object> probes() {
      return values;
    }

    @Override
    public Map<String, Object> toConfig() {
      return listed("grid", values);
    }
  }

  /**
   * A real number in {@code [low, high)}, drawn uniformly, or uniformly in log space when {@code
   * log} (a {@code loguniform}).
   *
   * @param key the config key path
   * @param low the lower bound, {@code > 0} when log
   * @param high the upper bound, {@code > low}
   * @param log whether the scale is logarithmic
   */
  record Uniform(String key, double low, double high, boolean log) implements Param {

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException for a blank key, a bound that is not finite, {@code low >=
     *     high}, or {@code low <= 0} on a log scale
     */
    public Uniform {
      key = checkKey(key);
      String type = log ? "loguniform" : "uniform";
      if (!Double.isFinite(low) || !Double.isFinite(high)) {
        throw new IllegalArgumentException(
            key + ": " + type + " needs finite LOW and HIGH, got LOW " + low + ", HIGH " + high);
      }
      if (low >= high) {
        throw new IllegalArgumentException(
            key + ": " + type + " needs LOW < HIGH, got LOW " + low + ", HIGH " + high);
      }
      if (log && low <= 0) {
        throw new IllegalArgumentException(
            key + ": loguniform needs LOW > 0 (it draws log(value)), got LOW " + low);
      }
    }

    @Override
    public String type() {
      return log ? "loguniform" : "uniform";
    }

    @Override
    public List<Object> probes() {
      return List.of(low, high);
    }

    @Override
    public Map<String, Object> toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("TYPE", type());
      m.put("LOW", low);
      m.put("HIGH", high);
      return m;
    }
  }

  /**
   * A whole number in {@code [low, high]}, drawn uniformly, or uniformly in log space when {@code
   * log}, and rounded.
   *
   * @param key the config key path
   * @param low the lower bound, {@code >= 1} when log
   * @param high the upper bound, {@code > low}
   * @param log whether the scale is logarithmic
   */
  record Int(String key, long low, long high, boolean log) implements Param {

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException for a blank key, {@code low >= high}, or {@code low < 1} on
     *     a log scale
     */
    public Int {
      key = checkKey(key);
      if (low >= high) {
        throw new IllegalArgumentException(
            key + ": int needs LOW < HIGH, got LOW " + low + ", HIGH " + high);
      }
      if (log && low < 1) {
        throw new IllegalArgumentException(
            key + ": int with LOG needs LOW >= 1 (it draws log(value)), got LOW " + low);
      }
    }

    @Override
    public String type() {
      return "int";
    }

    @Override
    public List<Object> probes() {
      return List.of(low, high);
    }

    @Override
    public Map<String, Object> toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("TYPE", "int");
      m.put("LOW", low);
      m.put("HIGH", high);
      if (log) {
        m.put("LOG", true);
      }
      return m;
    }
  }

  private static String checkKey(String key) {
    Objects.requireNonNull(key, "key");
    String k = key.trim();
    if (k.isEmpty() || k.startsWith(".") || k.endsWith(".") || k.contains("..")) {
      throw new IllegalArgumentException(
          "a search-space key must be a dotted config key path (e.g. TRAIN.OPTIM.PARAM.lr), got \""
              + key
              + "\"");
    }
    return k;
  }

  private static List<Object> distinct(String key, String type, List<?> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      throw new IllegalArgumentException(key + ": " + type + " needs at least one value, got []");
    }
    LinkedHashSet<Object> seen = new LinkedHashSet<>();
    List<Object> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object v = Values.canonical(values.get(i), key + " " + type + " value [" + i + "]");
      if (!seen.add(v)) {
        throw new IllegalArgumentException(
            key + ": " + type + " lists " + Values.text(v) + " twice, got " + values);
      }
      out.add(v);
    }
    return List.copyOf(out);
  }

  private static Map<String, Object> listed(String type, List<Object> values) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("TYPE", type);
    m.put("VALUES", new ArrayList<>(values));
    return m;
  }
}
