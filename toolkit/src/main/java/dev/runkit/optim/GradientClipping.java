package dev.runkit.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import dev.runkit.registry.Params;
import java.util.List;
import java.util.Map;

/**
 * Gradient clipping over all parameters together, as PyTorch's {@code clip_grad_norm_} (global
 * p-norm, including the inf-norm; scale {@code max_norm / (norm + 1e-6)} capped at 1) and {@code
 * clip_grad_value_}. Gradients are changed in place on the device; the norm before clipping comes
 * back as a device scalar, so reporting it costs a host sync only when it is read.
 *
 * <pre>{@code
 * GradientClipping clip = GradientClipping.byNorm(5.0);
 * try (NDArray norm = clip.apply(gradients)) { ... }
 * }</pre>
 */
public final class GradientClipping {

  private final boolean byValue;
  private final double limit;
  private final double normType;

  private GradientClipping(boolean byValue, double limit, double normType) {
    this.byValue = byValue;
    this.limit = limit;
    this.normType = normType;
  }

  /**
   * Clips by the global L2 norm.
   *
   * @param maxNorm the largest norm allowed, {@code > 0}
   * @return the clipping
   * @throws IllegalArgumentException if maxNorm is not positive
   */
  public static GradientClipping byNorm(double maxNorm) {
    return byNorm(maxNorm, 2.0);
  }

  /**
   * Clips by the global p-norm ({@code Double.POSITIVE_INFINITY} for the inf-norm).
   *
   * @param maxNorm the largest norm allowed, {@code > 0}
   * @param normType p, {@code > 0} or infinite
   * @return the clipping
   * @throws IllegalArgumentException if a value is out of range
   */
  public static GradientClipping byNorm(double maxNorm, double normType) {
    check("max_norm", maxNorm, maxNorm > 0 && !Double.isInfinite(maxNorm), "> 0");
    check("norm_type", normType, normType > 0, "> 0 or inf");
    return new GradientClipping(false, maxNorm, normType);
  }

  /**
   * Clips by the global inf-norm (the largest absolute gradient element).
   *
   * @param maxNorm the largest norm allowed, {@code > 0}
   * @return the clipping
   * @throws IllegalArgumentException if maxNorm is not positive
   */
  public static GradientClipping byInfNorm(double maxNorm) {
    return byNorm(maxNorm, Double.POSITIVE_INFINITY);
  }

  /**
   * Clamps every gradient element to {@code [-clipValue, clipValue]}.
   *
   * @param clipValue the bound, {@code > 0}
   * @return the clipping
   * @throws IllegalArgumentException if clipValue is not positive
   */
  public static GradientClipping byValue(double clipValue) {
    check("clip_value", clipValue, clipValue > 0 && !Double.isInfinite(clipValue), "> 0");
    return new GradientClipping(true, clipValue, 2.0);
  }

  /**
   * Reads clipping from config, with PyTorch's argument names: {@code {max_norm: 5.0, norm_type:
   * 2}} ({@code norm_type} may be {@code inf}) or {@code {clip_value: 0.1}}.
   *
   * @param params the map (BasicTS's {@code TRAIN.CLIP_GRAD_PARAM})
   * @param path its key path, for messages
   * @return the clipping
   * @throws IllegalArgumentException for unknown keys, both or neither of max_norm and clip_value,
   *     or bad values
   */
  public static GradientClipping from(Map<?, ?> params, String path) {
    Params p = Params.of(path, params);
    // first, so that a misspelt max_norm is named with its nearest key, not as a missing limit
    p.requireOnly("max_norm", "clip_value", "norm_type");
    boolean hasNorm = p.has("max_norm");
    boolean hasValue = p.has("clip_value");
    Object rawType = p.optionalRaw("norm_type");
    double normType = 2.0;
    if (rawType != null) {
      String text = String.valueOf(rawType).trim();
      if (text.equalsIgnoreCase("inf") || text.equalsIgnoreCase("infinity")) {
        normType = Double.POSITIVE_INFINITY;
      } else {
        normType = p.optionalDouble("norm_type", 2.0);
      }
    }
    if (hasNorm == hasValue) {
      throw new IllegalArgumentException(
          path + " must give exactly one of max_norm and clip_value, got " + params);
    }
    double limit = hasNorm ? p.requiredDouble("max_norm") : p.requiredDouble("clip_value");
    p.requireNoUnknown();
    String key = hasNorm ? "max_norm" : "clip_value";
    p.check(key, limit, limit > 0 && !Double.isInfinite(limit), "> 0");
    p.check("norm_type", normType, normType > 0, "> 0 or inf");
    return hasNorm ? byNorm(limit, normType) : byValue(limit);
  }

  /**
   * Computes the global norm of the gradients (before clipping) and clips them in place.
   *
   * @param gradients every parameter's gradient (one dtype and device)
   * @return the global norm before clipping as a scalar array on the gradients' device (the L2 norm
   *     for clipping by value); the caller closes it
   * @throws IllegalArgumentException if the list is empty
   */
  public NDArray apply(List<NDArray> gradients) {
    if (gradients.isEmpty()) {
      throw new IllegalArgumentException("gradients must not be empty");
    }
    NDArray total;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      total = norm(gradients);
      if (byValue) {
        for (NDArray g : gradients) {
          // clip() takes float32 bounds; scalar minimum/maximum keep float64 exact
          g.minimum(limit).maximum(-limit).copyTo(g);
        }
      } else {
        NDArray coef = total.add(1e-6).getNDArrayInternal().rdiv(limit).minimum(1.0);
        for (NDArray g : gradients) {
          g.muli(coef);
        }
      }
      NDScope.unregister(total);
    }
    return total;
  }

  /**
   * Computes the global norm of the gradients without changing them.
   *
   * @param gradients every parameter's gradient
   * @return the norm as a scalar array; the caller closes it
   */
  public NDArray norm(List<NDArray> gradients) {
    double p = byValue ? 2.0 : normType;
    NDList parts = new NDList(gradients.size());
    for (NDArray g : gradients) {
      if (Double.isInfinite(p)) {
        parts.add(g.abs().max());
      } else if (p == 2.0) {
        parts.add(g.square().sum());
      } else {
        parts.add(g.abs().pow(p).sum());
      }
    }
    NDArray stacked = parts.size() == 1 ? parts.get(0) : NDArrays.stack(parts);
    if (Double.isInfinite(p)) {
      return stacked.max();
    }
    NDArray sum = stacked.sum();
    return p == 2.0 ? sum.sqrt() : sum.pow(1.0 / p);
  }

  @Override
  public String toString() {
    if (byValue) {
      return "GradientClipping[clip_value=" + limit + "]";
    }
    return "GradientClipping[max_norm=" + limit + ", norm_type=" + normType + "]";
  }

  private static void check(String key, double value, boolean ok, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(
          "clipping." + key + " must be " + allowed + ", got " + value);
    }
  }
}
