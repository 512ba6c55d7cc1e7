package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

  /** Same values and histories, trial by trial, over the iterations both trained. */
  static void assertSameTrials(SweepResult a, SweepResult b) {
    assertThat(b.trials()).hasSameSizeAs(a.trials());
    for (int i = 0; i < a.trials().size(); i++) {
      Trial ta = a.trials().get(i);
      Trial tb = b.trials().get(i);
      assertThat(tb.params()).as("trial %d params", i).isEqualTo(ta.params());
      assertThat(tb.seed()).isEqualTo(ta.seed());
      TrialResult ra = a.results().get(i);
      TrialResult rb = b.results().get(i);
      assertThat(rb.status()).as("trial %d: %s", i, rb.message()).isNotEqualTo(TrialStatus.FAILED);
      long common = Math.min(ra.iterations(), rb.iterations());
      List<TrialResult.Row> ha = upTo(ra.history(), common);
      List<TrialResult.Row> hb = upTo(rb.history(), common);
      assertThat(hb).as("trial %d rows to %d", i, common).hasSameSizeAs(ha).isNotEmpty();
      for (int k = 0; k < ha.size(); k++) {
        TrialResult.Row x = ha.get(k);
        TrialResult.Row y = hb.get(k);
        assertThat(List.of(y.iteration(), y.phase(), y.metric()))
            .as("trial %d row %d", i, k)
            .isEqualTo(List.of(x.iteration(), x.phase(), x.metric()));
        assertThat(y.value()).as("trial %d row %d %s", i, k, x).isCloseTo(x.value(), within(1e-6));
        assertThat(y.lr()).isCloseTo(x.lr(), within(1e-12));
      }
      if (ra.iterations() == rb.iterations()) {
        assertThat(rb.objective()).as("trial %d", i).isCloseTo(ra.objective(), within(1e-6));
        assertThat(rb.bestIteration()).isEqualTo(ra.bestIteration());
      }
    }
  }

  private static List<TrialResult.Row> upTo(List<TrialResult.Row> rows, long iteration) {
    return rows.stream().filter(r -> r.iteration() <= iteration).toList();
  }
}
