package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search space: config key paths and the values each trial may give them. Immutable; each method
 * returns a new space and checks its dimension at once.
 *
 * <pre>{@code
 * Space space = Space.of()
 *     .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-4, 1e-1)
 *     .choice("MODEL.PARAM.hidden", List.of(64), List.of(128))
 *     .integer("DATA.BATCH_SIZE", 16, 128, true)
 *     .grid("ENV.SEED", 1, 2, 3);
 * }</pre>
 *
 * <p>In a config, {@code SWEEP.SPACE} maps each key path to one of: a map {@code {TYPE: choice |
 * grid, VALUES: [...]}}, {@code {TYPE: uniform | loguniform, LOW: .., HIGH: ..}}, {@code {TYPE:
 * int, LOW: .., HIGH: .., LOG: false}}; a list (a {@code choice} of its items); or a text {@code
 * loguniform(1e-4, 0.1)}, {@code uniform(0, 0.5)}, {@code int(16, 256)}, {@code int(16, 256, log)}.
 */
public final class Space {

  private static final Pattern CALL = Pattern.compile("\\s*([A-Za-z_]+)\\s*\\((.*)\\)\\s*");

  private static final Registry<BiFunction<Params, String, Param>> TYPES =
      new Registry<BiFunction<Params, String, Param>>("search-space type")
          .register("choice", (p, key) -> new Param.Choice(key, values(p)))
          .register("grid", (p, key) -> new Param.Grid(key, values(p)))
          .register(
              "uniform",
              (p, key) -> {
                boolean log = p.optionalBoolean("LOG", false);
                return new Param.Uniform(
                    key, p.requiredDouble("LOW"), p.requiredDouble("HIGH"), log);
              })
          .register(
              "loguniform",
              (p, key) ->
                  new Param.Uniform(key, p.requiredDouble("LOW"), p.requiredDouble("HIGH"), true))
          .register(
              "int",
              (p, key) ->
                  new Param.Int(
                      key,
                      p.requiredLong("LOW"),
                      p.requiredLong("HIGH"),
                      p.optionalBoolean("LOG", false)));

  private final List<Param> params;

  private Space(List<Param> params) {
    this.params = List.copyOf(params);
  }

  /**
   * Returns an empty space, to add dimensions to.
   *
   * @return the empty space
   */
  public static Space of() {
    return new Space(List.of());
  }

  /**
   * Returns a space of the given dimensions.
   *
   * @param params the dimensions, each key once
   * @return the space
   * @throws IllegalArgumentException for a key given twice
   */
  public static Space of(List<Param> params) {
    Space s = of();
    for (Param p : params) {
      s = s.with(p);
    }
    return s;
  }

  /**
   * Adds a dimension.
   *
   * @param param the dimension
   * @return the new space
   * @throws IllegalArgumentException if its key is already in the space
   */
  public Space with(Param param) {
    Objects.requireNonNull(param, "param");
    if (param(param.key()).isPresent()) {
      throw new IllegalArgumentException(
          "the search space has " + param.key() + " twice; give each key path once");
    }
    List<Param> out = new ArrayList<>(params);
    out.add(param);
    return new Space(out);
  }

  /**
   * Adds a categorical dimension: each argument is one value (a list argument is one list value).
   *
   * @param key the config key path
   * @param values the values, at least one, none twice
   * @return the new space
   * @throws IllegalArgumentException for no values, a value twice or a key already in the space
   */
  public Space choice(String key, Object... values) {
    return with(new Param.Choice(key, Arrays.asList(values)));
  }

  /**
   * Adds a dimension the grid sampler enumerates (the other samplers draw it like a choice).
   *
   * @param key the config key path
   * @param values the values, at least one, none twice
   * @return the new space
   * @throws IllegalArgumentException for no values, a value twice or a key already in the space
   */
  public Space grid(String key, Object... values) {
    return with(new Param.Grid(key, Arrays.asList(values)));
  }

  /**
   * Adds a real dimension drawn uniformly from {@code [low, high)}.
   *
   * @param key the config key path
   * @param low the lower bound
   * @param high the upper bound, {@code > low}
   * @return the new space
   * @throws IllegalArgumentException for {@code low >= high} or a key already in the space
   */
  public Space uniform(String key, double low, double high) {
    return with(new Param.Uniform(key, low, high, false));
  }

  /**
   * Adds a real dimension drawn uniformly in log space from {@code [low, high)}.
   *
   * @param key the config key path
   * @param low the lower bound, {@code > 0}
   * @param high the upper bound, {@code > low}
   * @return the new space
   * @throws IllegalArgumentException for {@code low <= 0}, {@code low >= high} or a key already in
   *     the space
   */
  public Space loguniform(String key, double low, double high) {
    return with(new Param.Uniform(key, low, high, true));
  }

  /**
   * Adds a whole-number dimension drawn uniformly from {@code [low, high]}.
   *
   * @param key the config key path
   * @param low the lower bound
   * @param high the upper bound, {@code > low}
   * @return the new space
   * @throws IllegalArgumentException for {@code low >= high} or a key already in the space
   */
  public Space integer(String key, long low, long high) {
    return with(new Param.Int(key, low, high, false));
  }

  /**
   * Adds a whole-number dimension drawn from {@code [low, high]}, uniformly in log space when
   * {@code log}.
   *
   * @param key the config key path
   * @param low the lower bound, {@code >= 1} when log
   * @param high the upper bound, {@code > low}
   * @param log whether the scale is logarithmic
   * @return the new space
   * @throws IllegalArgumentException for bad bounds or a key already in the space
   */
  public Space integer(String key, long low, long high, boolean log) {
    return with(new Param.Int(key, low, high, log));
  }

  /**
   * Returns the dimensions in the order they were added.
   *
   * @return an unmodifiable list
   */
  public List<Param> params() {
    return params;
  }

  /**
   * Returns the key paths in order.
   *
   * @return the keys
   */
  public List<String> keys() {
    return params.stream().map(Param::key).toList();
  }

  /**
   * Finds a dimension by its key path.
   *
   * @param key the key path
   * @return the dimension, or empty
   */
  public Optional<Param> param(String key) {
    return params.stream().filter(p -> p.key().equals(key)).findFirst();
  }

  /**
   * Tells whether the space has no dimensions.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return params.isEmpty();
  }

  /**
   * Returns the space as a {@code SWEEP.SPACE} section, each entry in its full map form.
   *
   * @return a new map, key path to entry
   */
  public Map<String, Object> toConfig() {
    Map<String, Object> out = new LinkedHashMap<>();
    params.forEach(p -> out.put(p.key(), p.toConfig()));
    return out;
  }

  /**
   * Reads a {@code SPACE} section (see the class comment for the forms an entry takes).
   *
   * @param section the section: key path to entry
   * @param path where the section sits, for messages (e.g. {@code SWEEP.SPACE})
   * @return the space
   * @throws IllegalArgumentException for an empty section, an unknown {@code TYPE} (with the
   *     nearest), a missing or unknown key in an entry, or bad values (each with its key path)
   */
  public static Space fromConfig(Map<?, ?> section, String path) {
    if (section == null || section.isEmpty()) {
      throw new IllegalArgumentException(
          path
              + " must map config key paths to their values, e.g. {TRAIN.OPTIM.PARAM.lr:"
              + " loguniform(1e-4, 0.1)}, got "
              + (section == null ? "nothing" : "{}"));
    }
    Space space = of();
    for (Map.Entry<?, ?> e : section.entrySet()) {
      String key = String.valueOf(e.getKey());
      String at = path + "." + key;
      try {
        space = space.with(entry(key, e.getValue(), at));
      } catch (IllegalArgumentException ex) {
        String m = ex.getMessage();
        // the records' messages start with the key; say where in the file it is
        throw m != null && m.startsWith(key + ":")
            ? new IllegalArgumentException(path + "." + m, ex)
            : ex;
      }
    }
    return space;
  }

  private static Param entry(String key, Object raw, String at) {
    if (raw instanceof List<?> list) {
      return new Param.Choice(key, new ArrayList<>(list));
    }
    if (raw instanceof Map<?, ?> map) {
      Params p = Params.of(at, map);
      String type = p.requiredString("TYPE");
      Param param = TYPES.get(type, p.path("TYPE")).apply(p, key);
      p.requireNoUnknown();
      return param;
    }
    if (raw instanceof String text) {
      Matcher m = CALL.matcher(text);
      if (m.matches()) {
        return call(key, m.group(1), m.group(2), at);
      }
    }
    throw new IllegalArgumentException(
        at
            + " must be a list of choices, a map {TYPE: loguniform, LOW: .., HIGH: ..} or a text"
            + " such as loguniform(1e-4, 0.1) or int(16, 256, log), got "
            + raw
            + " ("
            + Params.kind(raw)
            + ")");
  }

  /** Reads the text form {@code loguniform(1e-4, 0.1)}, {@code int(16, 256, log)}. */
  private static Param call(String key, String name, String args, String at) {
    List<String> numeric = List.of("uniform", "loguniform", "int");
    String type = TYPES.canonicalName(name, at);
    if (!numeric.contains(type)) {
      throw new IllegalArgumentException(
          at
              + ": "
              + type
              + "(...) is not a text form; write the values as a list, e.g. ["
              + args.trim()
              + "]");
    }
    List<String> parts = new ArrayList<>();
    for (String s : args.split(",", -1)) {
      parts.add(s.trim());
    }
    boolean log = type.equals("loguniform");
    if (parts.size() == 3 && parts.get(2).equalsIgnoreCase("log") && !type.equals("loguniform")) {
      log = true;
      parts.remove(2);
    }
    if (parts.size() != 2) {
      throw new IllegalArgumentException(
          at
              + ": "
              + type
              + "(...) takes LOW, HIGH"
              + (type.equals("loguniform") ? "" : " and an optional log")
              + ", got ("
              + args.trim()
              + ")");
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("LOW", parts.get(0));
    entry.put("HIGH", parts.get(1));
    Params p = Params.of(at, entry);
    if (type.equals("int")) {
      return new Param.Int(key, p.requiredLong("LOW"), p.requiredLong("HIGH"), log);
    }
    return new Param.Uniform(key, p.requiredDouble("LOW"), p.requiredDouble("HIGH"), log);
  }

  private static List<Object> values(Params p) {
    Object raw = p.optionalRaw("VALUES");
    if (raw == null) {
      throw new IllegalArgumentException(
          "Missing required parameter " + p.path("VALUES") + "; e.g. VALUES: [64, 128]");
    }
    if (!(raw instanceof List<?> list)) {
      throw new IllegalArgumentException(
          p.path("VALUES") + " must be a list, got " + raw + " (" + Params.kind(raw) + ")");
    }
    return new ArrayList<>(list);
  }

  @Override
  public String toString() {
    return "Space" + toConfig();
  }
}
