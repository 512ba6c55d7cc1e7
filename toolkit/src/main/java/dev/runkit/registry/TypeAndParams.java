package dev.runkit.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config map {@code {TYPE: name, PARAM: {...}}}, the form BasicTS gives optimizers and
 * learning-rate schedules: read with checked keys, or written back from a type and its parameters.
 *
 * @param type the type name as written
 * @param params the parameters, or {@code null} when the map has no {@code PARAM}
 */
public record TypeAndParams(String type, Map<?, ?> params) {

  /**
   * Reads a {@code {TYPE, PARAM}} map.
   *
   * @param spec the map
   * @param path where the map sits in the config, for messages
   * @param names the valid type names, listed when {@code TYPE} is missing
   * @return the type and its parameters
   * @throws IllegalArgumentException for a missing {@code TYPE}, a {@code TYPE} that is a list or
   *     map, another key, or a {@code PARAM} that is not a map
   */
  public static TypeAndParams read(Map<?, ?> spec, String path, List<String> names) {
    Params p = Params.of(path, spec);
    Object type = p.optionalRaw("TYPE");
    Object params = p.optionalRaw("PARAM");
    p.requireNoUnknown();
    if (type == null) {
      throw new IllegalArgumentException(
          "Missing required parameter " + p.path("TYPE") + "; expected one of " + names);
    }
    if (type instanceof List<?> || type instanceof Map<?, ?>) {
      // it read as 'Unknown schedule "[cosine]"', as if the name were misspelt
      throw new IllegalArgumentException(
          p.path("TYPE")
              + " must be one name, got "
              + type
              + " ("
              + Params.kind(type)
              + "); expected one of "
              + names);
    }
    if (params != null && !(params instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(
          p.path("PARAM") + " must be a map, got " + params + " (" + Params.kind(params) + ")");
    }
    return new TypeAndParams(String.valueOf(type), (Map<?, ?>) params);
  }

  /**
   * Writes a type and its parameters as a new config map {@code {TYPE: ..., PARAM: {...}}}.
   *
   * @param type the type name
   * @param params the parameters (copied)
   * @return a new map
   */
  public static Map<String, Object> toConfig(String type, Map<String, ?> params) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("TYPE", type);
    config.put("PARAM", new LinkedHashMap<>(params));
    return config;
  }
}
