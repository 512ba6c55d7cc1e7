package dev.runkit.sweep;

import dev.runkit.registry.Names;
import dev.runkit.registry.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of one trial as a {@link RunnerFactory} reads them: by the names the search space
 * gives ({@code lr}, {@code hidden}), each read as the kind of value the factory needs. A name the
 * space does not have is an error naming the space's names and the nearest one; the sweep also
 * checks that the factory read every name, since a value never read would make trials that differ
 * only in name.
 */
public final class TrialParams {

  private final int trial;
  private final Map<String, Object> values;
  private final long iterations;
  private final Set<String> read = new LinkedHashSet<>();

  /**
   * Makes the values of one trial.
   *
   * @param trial the trial number
   * @param values name to value, in the space's order
   * @param iterations the run length every trial trains (a scheduler may stop it earlier)
   */
  public TrialParams(int trial, Map<String, Object> values, long iterations) {
    this.trial = trial;
    this.values = new LinkedHashMap<>(values);
    this.iterations = iterations;
  }

  /**
   * Returns the trial number.
   *
   * @return 0, 1, ...
   */
  public int trial() {
    return trial;
  }

  /**
   * Returns the run length every trial trains, for schedules that span the run ({@code
   * Schedules.cosineWithWarmup(10, p.iterations())}); a scheduler stops trials earlier without
   * changing it.
   *
   * @return iterations
   */
  public long iterations() {
    return iterations;
  }

  /**
   * Returns the names of the values, in the space's order.
   *
   * @return the names
   */
  public Set<String> names() {
    return java.util.Collections.unmodifiableSet(values.keySet());
  }

  /**
   * Returns a value as the sampler drew it: a {@link Long} for whole numbers, a {@link Double} for
   * others, text, true/false or a list.
   *
   * @param name the name in the space
   * @return the value
   * @throws IllegalArgumentException for a name the space does not have (with the nearest)
   */
  public Object get(String name) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown parameter \""
              + name
              + "\"; the search space has "
              + List.copyOf(values.keySet())
              + "."
              + Names.didYouMean(name, values.keySet()));
    }
    read.add(name);
    return values.get(name);
  }

  /**
   * Returns a number ({@code loguniform}, {@code uniform}, or a choice of numbers).
   *
   * @param name the name in the space
   * @return the value
   * @throws IllegalArgumentException for an unknown name or a value that is not a number
   */
  public double number(String name) {
    Object v = get(name);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw wrongKind(name, v, "a number");
  }

  /**
   * Returns a whole number ({@code int}, or a choice of whole numbers).
   *
   * @param name the name in the space
   * @return the value
   * @throws IllegalArgumentException for an unknown name, a value that is not a whole number, or
   *     one past the range of {@code int}
   */
  public int integer(String name) {
    Object v = get(name);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      long l = n.longValue();
      if (l == (int) l) {
        return (int) l;
      }
    }
    throw wrongKind(name, v, "a whole number (int)");
  }

  /**
   * Returns a text ({@code choice} of names, such as optimizers or activations).
   *
   * @param name the name in the space
   * @return the value
   * @throws IllegalArgumentException for an unknown name or a value that is not text
   */
  public String text(String name) {
    Object v = get(name);
    if (v instanceof String s) {
      return s;
    }
    throw wrongKind(name, v, "text");
  }

  /**
   * Returns whole numbers: a list of them (a choice of layer sizes, {@code [128, 64]}), or one
   * whole number as a list of one.
   *
   * @param name the name in the space
   * @return the numbers
   * @throws IllegalArgumentException for an unknown name or a value that is not whole numbers
   */
  public int[] ints(String name) {
    Object v = get(name);
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(items.get(i) instanceof Number n)
          || n.doubleValue() != Math.rint(n.doubleValue())
          || n.longValue() != (int) n.longValue()) {
        throw wrongKind(name, v, "whole numbers (int[])");
      }
      out[i] = n.intValue();
    }
    return out;
  }

  /**
   * Returns true or false ({@code choice(name, true, false)}).
   *
   * @param name the name in the space
   * @return the value
   * @throws IllegalArgumentException for an unknown name or a value that is not true/false
   */
  public boolean flag(String name) {
    Object v = get(name);
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongKind(name, v, "true/false");
  }

  private IllegalArgumentException wrongKind(String name, Object v, String wanted) {
    String how =
        v instanceof List<?>
            ? "ints(\"" + name + "\") or get"
            : v instanceof String
                ? "text(\"" + name + "\")"
                : v instanceof Boolean
                    ? "flag(\"" + name + "\")"
                    : v instanceof Long l && l == (int) (long) l
                        ? "integer(\"" + name + "\")"
                        : "number(\"" + name + "\")";
    return new IllegalArgumentException(
        "parameter \""
            + name
            + "\" of trial "
            + trial
            + " is "
            + Values.text(v)
            + " ("
            + Params.kind(v)
            + "), not "
            + wanted
            + "; read it with "
            + how);
  }

  /**
   * Returns the names not read so far, in the space's order.
   *
   * @return the names
   */
  List<String> unread() {
    List<String> out = new ArrayList<>();
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "TrialParams[trial " + trial + ": " + values + "]";
  }
}
