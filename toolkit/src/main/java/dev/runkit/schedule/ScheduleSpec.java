package dev.runkit.schedule;

import dev.runkit.registry.TypeAndParams;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A schedule described by its type name and parameters, not yet bound to a base learning rate: what
 * the fluent factories of {@link Schedules} return, and exactly what a config's {@code
 * LR_SCHEDULER: {TYPE, PARAM}} says, so code and config cannot drift apart.
 *
 * <pre>{@code
 * ScheduleSpec spec = Schedules.cosineWithWarmup(100, 2_000);
 * Schedule schedule = spec.build(1e-3); // bound to the optimizer's learning rate
 * }</pre>
 *
 * <p>Specs are validated when made (against a base learning rate of 1), so a bad value fails where
 * it is written rather than when training starts.
 */
public final class ScheduleSpec {

  private final String type;
  private final Map<String, Object> params;

  private ScheduleSpec(String type, Map<String, Object> params) {
    this.type = type;
    this.params = Collections.unmodifiableMap(params);
  }

  /**
   * Makes a spec from a type name and parameters, checking both at once.
   *
   * @param type a registered schedule name, any case
   * @param params the parameters, with the names of the family's origin
   * @return the spec
   * @throws IllegalArgumentException as {@link Schedules#build(String, Map, double)}
   */
  public static ScheduleSpec of(String type, Map<String, ?> params) {
    Objects.requireNonNull(type, "type");
    Map<String, Object> copy = new LinkedHashMap<>();
    if (params != null) {
      copy.putAll(params);
    }
    Schedules.build(type, copy, 1.0);
    return new ScheduleSpec(type, copy);
  }

  /**
   * Returns a copy with one parameter set (or replaced), checked at once.
   *
   * @param key the parameter name, as in the family's origin (e.g. {@code eta_min})
   * @param value its value
   * @return the new spec
   * @throws IllegalArgumentException for an unknown key or a bad value
   */
  public ScheduleSpec with(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(params);
    copy.put(key, value);
    return of(type, copy);
  }

  /**
   * Binds the spec to the optimizer's learning rate.
   *
   * @param baseLr the base learning rate, {@code >= 0}
   * @return the schedule
   * @throws IllegalArgumentException if baseLr is negative or not finite
   */
  public Schedule build(double baseLr) {
    return Schedules.build(type, params, baseLr);
  }

  /**
   * Returns the type name as written.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Returns the parameters.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> params() {
    return params;
  }

  /**
   * Returns the spec as a config map {@code {TYPE: ..., PARAM: {...}}}.
   *
   * @return a new map
   */
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig(type, params);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScheduleSpec other
        && type.equals(other.type)
        && params.equals(other.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, params);
  }

  @Override
  public String toString() {
    return type + params;
  }
}
