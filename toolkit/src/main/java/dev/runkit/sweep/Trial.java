package dev.runkit.sweep;

import dev.runkit.config.ConfigFiles;
import dev.runkit.config.RunConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One trial of a sweep as an executor receives it: plain, serialisable data, so the same trial runs
 * in this process, in a worker process or on a cluster. Its config is the base config's text with
 * the trial's values set at their key paths and {@code RUN_DIR} set to the trial's run directory;
 * the run length stays the base config's, so a trial stopped at a rung has trained exactly the
 * first iterations of the full run.
 *
 * @param id the trial number
 * @param baseConfig the base config, as resolved YAML (paths absolute); empty for a trial built in
 *     code by a {@link RunnerFactory}, which only the sweep's own in-process executor can run
 * @param params the trial's values, config key path to value (plain names for a factory's trial)
 * @param seed the trial's {@code ENV.SEED} (0 for a factory's trial: its runner sets its own)
 * @param stopAt the iteration to stop at; the run length (or more) runs to the end
 * @param runDir the trial's run directory (absolute): config, history and checkpoints
 * @param objective what the trial's result is judged by
 */
public record Trial(
    int id,
    String baseConfig,
    Map<String, Object> params,
    long seed,
    long stopAt,
    String runDir,
    Objective objective)
    implements Serializable {

  /**
   * Copies the values, keeping their order.
   *
   * @throws IllegalArgumentException for a negative id or a stop point below 1
   */
  public Trial {
    Objects.requireNonNull(baseConfig, "baseConfig");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(objective, "objective");
    if (id < 0) {
      throw new IllegalArgumentException("trial id must be >= 0, got " + id);
    }
    if (stopAt < 1) {
      throw new IllegalArgumentException("trial stopAt must be >= 1, got " + stopAt);
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Returns the trial's name, also its run directory's name.
   *
   * @return {@code trial-000}, {@code trial-001}, ...
   */
  public String name() {
    return name(id);
  }

  /**
   * Returns the name of trial n.
   *
   * @param id the trial number
   * @return {@code trial-000}, ...
   */
  public static String name(int id) {
    return String.format("trial-%03d", id);
  }

  /**
   * Returns this trial with another stop point (a promotion).
   *
   * @param iteration the new stop point
   * @return the trial
   */
  public Trial stopAt(long iteration) {
    return new Trial(id, baseConfig, params, seed, iteration, runDir, objective);
  }

  /**
   * Tells whether a {@link RunnerFactory} builds this trial in code (it then has no config).
   *
   * @return true for a factory's trial
   */
  public boolean codeBuilt() {
    return baseConfig.isEmpty();
  }

  /**
   * Returns the trial's config as a map: the base config with the trial's values and run directory
   * set, as {@code --set} sets them.
   *
   * @return a new map
   * @throws IllegalArgumentException if a key path runs through a value that is not a map
   * @throws IllegalStateException for a trial a {@link RunnerFactory} builds in code
   */
  public Map<String, Object> configMap() {
    if (codeBuilt()) {
      throw new IllegalStateException(
          name()
              + " is built in code by a Runner factory and has no config; its values are params()");
    }
    Map<String, Object> raw = ConfigFiles.parse(baseConfig, name() + " base config");
    params.forEach((k, v) -> ConfigFiles.put(raw, k, v));
    raw.put("RUN_DIR", runDir);
    return raw;
  }

  /**
   * Returns the trial's config, checked.
   *
   * @return the config
   * @throws IllegalArgumentException for any problem the config's checks find with these values
   */
  public RunConfig config() {
    return RunConfig.from(configMap(), Path.of(runDir), name());
  }
}
