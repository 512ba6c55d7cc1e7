package dev.runkit.sweep;

import dev.runkit.registry.TypeAndParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws every dimension independently and uniformly (in log space for log scales; a whole number
 * from {@code [low - 0.5, high + 0.5]}, rounded; a choice with equal chances), as Optuna's {@code
 * RandomSampler} does.
 */
public final class RandomSampler implements Sampler {

  @Override
  public Map<String, Object> sample(
      Space space, int trial, List<Observation> observations, long seed) {
    Random random = Seeds.forTrial(seed, trial);
    Map<String, Object> out = new LinkedHashMap<>();
    for (Param p : space.params()) {
      out.put(p.key(), draw(p, random));
    }
    return out;
  }

  /**
   * Draws one value of a dimension uniformly.
   *
   * @param param the dimension
   * @param random the generator
   * @return the value: a Double, a Long, or one of the choices
   */
  static Object draw(Param param, Random random) {
    double u = random.nextDouble();
    if (param instanceof Param.Uniform p) {
      double x =
          p.log()
              ? Math.exp(Math.log(p.low()) + u * (Math.log(p.high()) - Math.log(p.low())))
              : p.low() + u * (p.high() - p.low());
      // the upper bound is open; exp and rounding may land on or past it
      return Math.max(p.low(), Math.min(x, Math.nextDown(p.high())));
    }
    if (param instanceof Param.Int p) {
      double lo = p.low() - 0.5;
      double hi = p.high() + 0.5;
      double x =
          p.log() ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
      return Math.max(p.low(), Math.min(p.high(), Math.round(x)));
    }
    List<Object> values = choices(param);
    return values.get(Math.min((int) (u * values.size()), values.size() - 1));
  }

  /**
   * Returns the values of a categorical dimension (a choice or a grid).
   *
   * @param param the dimension
   * @return its values, or null for a numeric one
   */
  static List<Object> choices(Param param) {
    if (param instanceof Param.Choice c) {
      return c.values();
    }
    if (param instanceof Param.Grid g) {
      return g.values();
    }
    return null;
  }

  @Override
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig("random", Map.of());
  }

  @Override
  public String toString() {
    return "RandomSampler";
  }
}
