package dev.runkit.sweep;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import dev.runkit.registry.Params;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a sweep from config: a run config with a {@code SWEEP} section, or a sweep file {@code
 * {BASE, SWEEP}}; the keys go to the same {@link Sweep} methods code calls.
 */
final class SweepConfig {

  /** The keys of the SWEEP section. */
  static final List<String> KEYS =
      List.of(
          "METRIC", "MODE", "TRIALS", "SEED", "SAMPLER", "SCHEDULER", "EXECUTOR", "SPACE", "DIR");

  /** The key a sweep over a Runner factory writes in place of BASE in its resolved sweep file. */
  static final String RUNNER_FACTORY = "RUNNER_FACTORY";

  private SweepConfig() {}

  static Sweep load(Path file, List<String> overrides) {
    Map<String, Object> raw = ConfigFiles.read(file);
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    return read(raw, overrides, file.toAbsolutePath().getParent(), stem, file.toString());
  }

  static Sweep parse(String yaml, List<String> overrides) {
    Map<String, Object> raw = ConfigFiles.parse(yaml, "sweep text");
    return read(raw, overrides, Path.of("").toAbsolutePath(), "sweep", "sweep text");
  }

  private static Sweep read(
      Map<String, Object> raw, List<String> overrides, Path dir, String stem, String source) {
    Map<String, Object> baseRaw;
    Path baseDir = dir;
    String baseName = stem;
    Object section;
    if (raw.containsKey("BASE")) {
      List<String> toBase = new ArrayList<>();
      for (String o : overrides) {
        String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
        if (key.equals("SWEEP") || key.startsWith("SWEEP.") || key.startsWith("BASE")) {
          ConfigFiles.override(raw, o);
        } else {
          toBase.add(o);
        }
      }
      Params top = Params.of("", raw);
      top.requireOnly("BASE", "SWEEP");
      Object given = raw.get("BASE");
      if (given instanceof Map<?, ?> inline) {
        baseRaw = ConfigFiles.copy(inline);
      } else if (given instanceof String path && !path.isBlank()) {
        Path file = dir.resolve(path).normalize();
        baseRaw = ConfigFiles.read(file);
        baseDir = file.getParent();
        baseName = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      } else {
        throw new IllegalArgumentException(
            "BASE must name the run config (a path relative to "
                + source
                + ") or hold it as a map, got "
                + given
                + " ("
                + Params.kind(given)
                + ")");
      }
      for (String o : toBase) {
        ConfigFiles.override(baseRaw, o);
      }
      section = raw.get("SWEEP");
    } else {
      for (String o : overrides) {
        ConfigFiles.override(raw, o);
      }
      section = raw.remove("SWEEP");
      baseRaw = raw;
    }
    if (section == null) {
      throw new IllegalArgumentException(
          source
              + " has no SWEEP section; add SWEEP {METRIC, SPACE, TRIALS, ...} to the run config, or"
              + " write a sweep file {BASE: config.yaml, SWEEP: {...}}");
    }
    Params p = Params.of("SWEEP", asMap(section, "SWEEP"));
    p.requireOnly(KEYS.toArray(String[]::new));
    RunConfig base = RunConfig.from(baseRaw, baseDir, baseName);
    return apply(p, new Sweep(base, true));
  }

  /** Whether a resolved sweep file ({@code sweep.yaml}) is of a sweep over a Runner factory. */
  static boolean overFactory(Path sweepFile) {
    return ConfigFiles.read(sweepFile).containsKey(RUNNER_FACTORY);
  }

  /**
   * Reads a resolved sweep file of a sweep over a Runner factory ({@code RUNNER_FACTORY} in place
   * of {@code BASE}) with the factory given again.
   */
  static Sweep loadOverFactory(Path sweepFile, RunnerFactory factory) {
    Map<String, Object> raw = ConfigFiles.read(sweepFile);
    if (!(raw.get(RUNNER_FACTORY) instanceof Map<?, ?> code)) {
      throw new IllegalArgumentException(
          sweepFile
              + " is of a sweep over a run config, which its directory holds: continue it with"
              + " Sweep.resume(dir), without a factory");
    }
    Params c = Params.of(RUNNER_FACTORY, code);
    long iterations = c.requiredLong("NUM_ITERATIONS");
    Map<Object, Object> section = new LinkedHashMap<>(asMap(raw.get("SWEEP"), "SWEEP"));
    section.remove("EXECUTOR"); // in this process: the only place a factory's trials run
    Params p = Params.of("SWEEP", section);
    p.requireOnly(KEYS.toArray(String[]::new));
    return apply(p, Sweep.of(factory, iterations));
  }

  /** Sets what a SWEEP section says on a sweep, checking each key. */
  private static Sweep apply(Params p, Sweep sweep) {
    sweep.space(Space.fromConfig(asMap(p.optionalRaw("SPACE"), "SWEEP.SPACE"), "SWEEP.SPACE"));
    if (p.has("METRIC")) {
      String metric = p.requiredString("METRIC");
      try {
        Objective.parse(metric, false);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SWEEP.METRIC: " + e.getMessage(), e);
      }
      String mode = p.optionalChoice("MODE", null, "max", "min");
      if (mode == null) {
        sweep.objective(metric);
      } else if (mode.equals("max")) {
        sweep.maximize(metric);
      } else {
        sweep.minimize(metric);
      }
    } else if (p.has("MODE")) {
      throw new IllegalArgumentException(
          "SWEEP.MODE needs SWEEP.METRIC, the metric it says the direction of");
    }
    if (p.has("TRIALS")) {
      long n = p.requiredLong("TRIALS");
      p.check("TRIALS", n, n >= 1 && n <= 1_000_000, "in [1, 1000000]");
      sweep.trials((int) n);
    }
    if (p.has("SEED")) {
      long s = p.requiredLong("SEED");
      p.check("SEED", s, s >= 0, ">= 0");
      sweep.seed(s);
    }
    if (p.has("SAMPLER")) {
      sweep.sampler(Samplers.build(p.requiredMap("SAMPLER"), "SWEEP.SAMPLER"));
    }
    if (p.has("SCHEDULER")) {
      sweep.scheduler(TrialSchedulers.build(p.requiredMap("SCHEDULER"), "SWEEP.SCHEDULER"));
    }
    if (p.has("EXECUTOR")) {
      sweep.ownExecutor(TrialExecutors.build(p.requiredMap("EXECUTOR"), "SWEEP.EXECUTOR"));
    }
    if (p.has("DIR")) {
      sweep.directory(Path.of(p.requiredString("DIR")));
    }
    return sweep;
  }

  private static Map<?, ?> asMap(Object raw, String key) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          key + " must be a map of keys to values, got " + raw + " (" + Params.kind(raw) + ")");
    }
    return m;
  }
}
