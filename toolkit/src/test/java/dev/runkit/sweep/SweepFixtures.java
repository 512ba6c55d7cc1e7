package dev.runkit.sweep;

import dev.runkit.config.RunConfig;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The small digits run the sweep tests train. */
final class SweepFixtures {

  private SweepFixtures() {}

  /** The config file: 90 iterations, validation every 10, dropout 0.2. */
  static Path configFile() {
    try {
      return Path.of(SweepFixtures.class.getResource("/configs/sweep-digits.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The config, its run directory in a temporary folder. */
  static RunConfig base(Path tmp, String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of("RUN_DIR=" + tmp.resolve("base")));
    all.addAll(List.of(overrides));
    return RunConfig.load(configFile(), all);
  }

  /** The objective of the tests. */
  static final Objective ACCURACY = new Objective("validation", "accuracy", true);
}
