package dev.runkit.optim;

import dev.runkit.registry.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * A parameter group: which parameters it holds (by name pattern and/or number of dimensions), and
 * the learning-rate multiplier and weight decay they get. Groups are tried in order; the first that
 * matches a parameter wins; parameters no group matches use the optimizer's own settings.
 *
 * <pre>{@code
 * ParamGroup noDecayOnBias = ParamGroup.glob("*bias").weightDecay(0);
 * ParamGroup vectors = ParamGroup.maxDims(1).weightDecay(0);        // nanoGPT style
 * }</pre>
 *
 * <p>In config: {@code param_groups: [{pattern: "*bias", weight_decay: 0}, {max_ndim: 1, lr_mult:
 * 0.1}]} with keys {@code pattern} (glob), {@code regex}, {@code min_ndim}, {@code max_ndim},
 * {@code lr_mult} and {@code weight_decay}.
 */
public final class ParamGroup {

  private final String description;
  private final Pattern pattern;
  private final int minDims;
  private final int maxDims;
  private final double lrMult;
  private final OptionalDouble weightDecay;

  private ParamGroup(
      String description,
      Pattern pattern,
      int minDims,
      int maxDims,
      double lrMult,
      OptionalDouble weightDecay) {
    this.description = description;
    this.pattern = pattern;
    this.minDims = minDims;
    this.maxDims = maxDims;
    this.lrMult = lrMult;
    this.weightDecay = weightDecay;
  }

  /**
   * A group of the parameters whose full name matches a glob ({@code *} any run of characters,
   * {@code ?} one character).
   *
   * @param glob the glob
   * @return the group, with multiplier 1 and the optimizer's weight decay
   */
  public static ParamGroup glob(String glob) {
    Objects.requireNonNull(glob, "glob");
    return new ParamGroup(
        "pattern " + glob, globToRegex(glob), 0, Integer.MAX_VALUE, 1.0, OptionalDouble.empty());
  }

  /**
   * A group of the parameters whose full name matches a regular expression (anywhere in the name).
   *
   * @param regex the regular expression
   * @return the group
   * @throws IllegalArgumentException if the expression does not compile
   */
  public static ParamGroup regex(String regex) {
    Objects.requireNonNull(regex, "regex");
    Pattern compiled;
    try {
      compiled = Pattern.compile(".*(?:" + regex + ").*");
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "param group regex must be a valid regular expression, got \"" + regex + "\"", e);
    }
    return new ParamGroup(
        "regex " + regex, compiled, 0, Integer.MAX_VALUE, 1.0, OptionalDouble.empty());
  }

  /**
   * A group of the parameters with at most {@code dims} dimensions (biases and norms: 1).
   *
   * @param dims the largest number of dimensions, {@code >= 0}
   * @return the group
   * @throws IllegalArgumentException if dims is negative
   */
  public static ParamGroup maxDims(int dims) {
    requireDims("max_ndim", dims);
    return new ParamGroup("ndim <= " + dims, null, 0, dims, 1.0, OptionalDouble.empty());
  }

  /**
   * A group of the parameters with at least {@code dims} dimensions (matrices and kernels: 2).
   *
   * @param dims the smallest number of dimensions, {@code >= 0}
   * @return the group
   * @throws IllegalArgumentException if dims is negative
   */
  public static ParamGroup minDims(int dims) {
    requireDims("min_ndim", dims);
    return new ParamGroup(
        "ndim >= " + dims, null, dims, Integer.MAX_VALUE, 1.0, OptionalDouble.empty());
  }

  /**
   * Returns a copy with a learning-rate multiplier.
   *
   * @param multiplier the factor applied to the scheduled learning rate, {@code >= 0}
   * @return the new group
   * @throws IllegalArgumentException if the multiplier is negative or not finite
   */
  public ParamGroup lrMult(double multiplier) {
    if (!(multiplier >= 0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "param group lr_mult must be >= 0 and finite, got " + multiplier);
    }
    return new ParamGroup(description, pattern, minDims, maxDims, multiplier, weightDecay);
  }

  /**
   * Returns a copy with its own weight decay.
   *
   * @param decay the weight decay for this group, {@code >= 0}
   * @return the new group
   * @throws IllegalArgumentException if decay is negative or not finite
   */
  public ParamGroup weightDecay(double decay) {
    if (!(decay >= 0) || Double.isInfinite(decay)) {
      throw new IllegalArgumentException(
          "param group weight_decay must be >= 0 and finite, got " + decay);
    }
    return new ParamGroup(description, pattern, minDims, maxDims, lrMult, OptionalDouble.of(decay));
  }

  /**
   * Returns a copy that additionally requires at least {@code dims} dimensions.
   *
   * @param dims the smallest number of dimensions
   * @return the new group
   */
  public ParamGroup andMinDims(int dims) {
    requireDims("min_ndim", dims);
    return new ParamGroup(
        description + ", ndim >= " + dims, pattern, dims, maxDims, lrMult, weightDecay);
  }

  /**
   * Returns a copy that additionally requires at most {@code dims} dimensions.
   *
   * @param dims the largest number of dimensions
   * @return the new group
   */
  public ParamGroup andMaxDims(int dims) {
    requireDims("max_ndim", dims);
    return new ParamGroup(
        description + ", ndim <= " + dims, pattern, minDims, dims, lrMult, weightDecay);
  }

  /**
   * Tells whether a parameter belongs to this group.
   *
   * @param name the parameter's name
   * @param dims its number of dimensions
   * @return true when name and dimensionality match
   */
  public boolean matches(String name, int dims) {
    return dims >= minDims
        && dims <= maxDims
        && (pattern == null || pattern.matcher(name).matches());
  }

  /**
   * Returns the learning-rate multiplier.
   *
   * @return the multiplier (1 unless set)
   */
  public double lrMult() {
    return lrMult;
  }

  /**
   * Returns the group's own weight decay, if it has one.
   *
   * @return the weight decay, or empty to use the optimizer's
   */
  public OptionalDouble weightDecay() {
    return weightDecay;
  }

  /**
   * Reads groups from config: a list of maps with keys {@code pattern}, {@code regex}, {@code
   * min_ndim}, {@code max_ndim}, {@code lr_mult}, {@code weight_decay}.
   *
   * @param params the optimizer's parameters
   * @param key the key holding the list (usually {@code param_groups})
   * @return the groups, in order (empty when the key is absent)
   * @throws IllegalArgumentException for unknown keys or bad values, naming the key path
   */
  public static List<ParamGroup> read(Params params, String key) {
    List<ParamGroup> groups = new ArrayList<>();
    if (!params.has(key)) {
      return groups;
    }
    List<Map<?, ?>> maps = params.requiredMapList(key);
    for (int i = 0; i < maps.size(); i++) {
      Params p = Params.of(params.path(key) + "[" + i + "]", maps.get(i));
      Object glob = p.optionalRaw("pattern");
      Object regex = p.optionalRaw("regex");
      long minDims = p.optionalLong("min_ndim", 0);
      long maxDims = p.optionalLong("max_ndim", Integer.MAX_VALUE);
      double lrMult = p.optionalDouble("lr_mult", 1.0);
      boolean hasDecay = p.has("weight_decay");
      double decay = p.optionalDouble("weight_decay", 0.0);
      p.requireNoUnknown();
      p.check("min_ndim", minDims, minDims >= 0, ">= 0");
      p.check("max_ndim", maxDims, maxDims >= minDims, ">= min_ndim (" + minDims + ")");
      p.check("lr_mult", lrMult, lrMult >= 0 && !Double.isInfinite(lrMult), ">= 0");
      p.check("weight_decay", decay, decay >= 0 && !Double.isInfinite(decay), ">= 0");
      if (glob != null && regex != null) {
        throw new IllegalArgumentException(
            p.path()
                + " must give either pattern or regex, not both; got pattern \""
                + glob
                + "\" and regex \""
                + regex
                + "\"");
      }
      ParamGroup group =
          glob != null
              ? glob(String.valueOf(glob))
              : regex != null ? regex(String.valueOf(regex)) : minDims((int) minDims);
      if (minDims > 0 && (glob != null || regex != null)) {
        group = group.andMinDims((int) minDims);
      }
      if (maxDims != Integer.MAX_VALUE) {
        group = group.andMaxDims((int) maxDims);
      }
      group = group.lrMult(lrMult);
      if (hasDecay) {
        group = group.weightDecay(decay);
      }
      groups.add(group);
    }
    return groups;
  }

  @Override
  public String toString() {
    return "ParamGroup["
        + description
        + ", lr_mult="
        + lrMult
        + (weightDecay.isPresent() ? ", weight_decay=" + weightDecay.getAsDouble() : "")
        + "]";
  }

  private static void requireDims(String key, int dims) {
    if (dims < 0) {
      throw new IllegalArgumentException("param group " + key + " must be >= 0, got " + dims);
    }
  }

  private static Pattern globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
