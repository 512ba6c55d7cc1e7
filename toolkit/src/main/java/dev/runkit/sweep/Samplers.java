package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import dev.runkit.registry.TypeAndParams;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The samplers by name, for {@code SWEEP.SAMPLER {TYPE, PARAM}}: {@code grid}, {@code random} and
 * {@code tpe}.
 *
 * <pre>{@code
 * Sampler s = Samplers.build(Map.of("TYPE", "tpe", "PARAM", Map.of("n_startup_trials", 5)), "SWEEP.SAMPLER");
 * }</pre>
 */
public final class Samplers {

  private static final Registry<Function<Params, Sampler>> REGISTRY =
      new Registry<Function<Params, Sampler>>("sampler")
          .register("grid", p -> new GridSampler())
          .register("random", p -> new RandomSampler())
          .register("tpe", TpeSampler::from);

  private Samplers() {}

  /**
   * Returns the grid sampler.
   *
   * @return the sampler
   */
  public static Sampler grid() {
    return new GridSampler();
  }

  /**
   * Returns the random sampler.
   *
   * @return the sampler
   */
  public static Sampler random() {
    return new RandomSampler();
  }

  /**
   * Returns TPE with Optuna's defaults.
   *
   * @return the sampler
   */
  public static TpeSampler tpe() {
    return TpeSampler.defaults();
  }

  /**
   * Builds a sampler from a {@code {TYPE, PARAM}} map.
   *
   * @param spec the map
   * @param path where it sits in the config, for messages
   * @return the sampler
   * @throws IllegalArgumentException for an unknown type (with the nearest name) or parameter
   */
  public static Sampler build(Map<?, ?> spec, String path) {
    TypeAndParams tp = TypeAndParams.read(spec, path, names());
    Function<Params, Sampler> factory = REGISTRY.get(tp.type(), path + ".TYPE");
    Params p = Params.of(path + ".PARAM", tp.params());
    Sampler s = factory.apply(p);
    p.requireNoUnknown();
    return s;
  }

  /**
   * Lists the sampler names.
   *
   * @return the names
   */
  public static List<String> names() {
    return REGISTRY.names();
  }
}
