package dev.runkit.sweep;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import dev.runkit.registry.TypeAndParams;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The trial schedulers by name, for {@code SWEEP.SCHEDULER {TYPE, PARAM}}: {@code fifo} (every
 * trial to the end), {@code asha} ({@code min_iterations}, {@code reduction_factor}), {@code
 * hyperband} ({@code min_iterations}, {@code reduction_factor}) and {@code median} ({@code
 * grace_iterations}, {@code interval}, {@code min_trials}). An absent {@code min_iterations} or
 * {@code interval} is the base config's validation interval.
 */
public final class TrialSchedulers {

  private static final Registry<Function<Params, TrialScheduler>> REGISTRY =
      new Registry<Function<Params, TrialScheduler>>("trial scheduler")
          .register("fifo", p -> new FifoScheduler())
          .register("asha", AshaScheduler::from)
          .register("hyperband", HyperbandScheduler::from)
          .register("median", MedianStoppingRule::from);

  private TrialSchedulers() {}

  /**
   * Returns the scheduler that runs every trial to the end.
   *
   * @return the scheduler
   */
  public static TrialScheduler fifo() {
    return new FifoScheduler();
  }

  /**
   * Returns ASHA with its defaults (see {@link AshaScheduler#create()}).
   *
   * @return the scheduler
   */
  public static AshaScheduler asha() {
    return AshaScheduler.create();
  }

  /**
   * Returns Hyperband with its defaults (see {@link HyperbandScheduler#create()}).
   *
   * @return the scheduler
   */
  public static HyperbandScheduler hyperband() {
    return HyperbandScheduler.create();
  }

  /**
   * Returns the median stopping rule with its defaults (see {@link MedianStoppingRule#create()}).
   *
   * @return the scheduler
   */
  public static MedianStoppingRule median() {
    return MedianStoppingRule.create();
  }

  /**
   * Builds a scheduler from a {@code {TYPE, PARAM}} map.
   *
   * @param spec the map
   * @param path where it sits in the config, for messages
   * @return a new scheduler
   * @throws IllegalArgumentException for an unknown type (with the nearest name) or parameter
   */
  public static TrialScheduler build(Map<?, ?> spec, String path) {
    TypeAndParams tp = TypeAndParams.read(spec, path, names());
    Function<Params, TrialScheduler> factory = REGISTRY.get(tp.type(), path + ".TYPE");
    Params p = Params.of(path + ".PARAM", tp.params());
    TrialScheduler s = factory.apply(p);
    p.requireNoUnknown();
    return s;
  }

  /**
   * Lists the scheduler names.
   *
   * @return the names
   */
  public static List<String> names() {
    return REGISTRY.names();
  }
}
