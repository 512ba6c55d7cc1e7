package dev.runkit.sweep;

import dev.runkit.registry.TypeAndParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Enumerates the cartesian product of the grid and choice dimensions, each point once, in an order
 * shuffled by the sweep's seed (as Optuna's {@code GridSampler} visits unvisited points at random),
 * so a sweep given fewer trials than points covers an even sample of the grid.
 */
public final class GridSampler implements Sampler {

  /** The most points a grid may have. */
  static final int MAX_POINTS = 1_000_000;

  @Override
  public void check(Space space) {
    for (Param p : space.params()) {
      if (RandomSampler.choices(p) == null) {
        throw new IllegalArgumentException(
            "the grid sampler enumerates grid and choice dimensions, but "
                + p.key()
                + " is "
                + p.type()
                + "; list its values ({TYPE: grid, VALUES: [...]}) or use sampler random or tpe");
      }
    }
    points(space);
  }

  @Override
  public OptionalInt size(Space space) {
    return OptionalInt.of(points(space));
  }

  private static int points(Space space) {
    long n = 1;
    for (Param p : space.params()) {
      List<Object> values = RandomSampler.choices(p);
      n *= values == null ? 1 : values.size();
      if (n > MAX_POINTS) {
        throw new IllegalArgumentException(
            "the grid has more than " + MAX_POINTS + " points; use sampler random or tpe");
      }
    }
    return (int) n;
  }

  @Override
  public Map<String, Object> sample(
      Space space, int trial, List<Observation> observations, long seed) {
    check(space);
    int n = points(space);
    if (trial < 0 || trial >= n) {
      throw new IllegalArgumentException(
          "the grid has " + n + " points; trial " + trial + " is past them");
    }
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(Seeds.mix(seed)));
    int index = order.get(trial);
    // mixed radix, the last dimension turning fastest
    List<Param> params = space.params();
    Object[] values = new Object[params.size()];
    for (int d = params.size() - 1; d >= 0; d--) {
      List<Object> choices = RandomSampler.choices(params.get(d));
      values[d] = choices.get(index % choices.size());
      index /= choices.size();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int d = 0; d < params.size(); d++) {
      out.put(params.get(d).key(), values[d]);
    }
    return out;
  }

  @Override
  public Map<String, Object> toConfig() {
    return TypeAndParams.toConfig("grid", Map.of());
  }

  @Override
  public String toString() {
    return "GridSampler";
  }
}
