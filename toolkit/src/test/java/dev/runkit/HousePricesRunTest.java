package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.runkit.config.RunConfig;
import dev.runkit.data.OwnCsv;
import dev.runkit.data.RegressionData;
import dev.runkit.data.SplitData;
import dev.runkit.run.StopReason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression whose target is in the hundreds of thousands (house prices) from a user's CSV, as
 * the README's {@code task: regression} line suggests: with the targets left in their units a fresh
 * network never gets near them (R² below zero after hundreds of steps); standardised by default,
 * the same run fits, its metrics and predictions in prices. Real runs on MXNet.
 */
class HousePricesRunTest {

  @TempDir static Path tmp;

  static RunConfig standardised;
  static RunConfig inPrices;
  static RunResult fitted;
  static RunResult unscaled;

  private static String config(Path csv) {
    return """
        MODEL: {NAME: MLP, PARAM: {hidden: [32]}}
        DATA:
          NAME: csv
          PARAM: {path: %s, label: price, task: regression}
          BATCH_SIZE: 32
        TRAIN: {NUM_ITERATIONS: 400, OPTIM: {TYPE: Adam, PARAM: {lr: 0.01}}, CKPT_SAVE_STRATEGY: 400}
        VAL: {INTERVAL: 100}
        """
        .formatted(csv);
  }

  @BeforeAll
  static void fit() {
    Path csv = OwnCsv.houses(tmp.resolve("houses.csv"), 800, 1);
    standardised = RunConfig.parse(config(csv), List.of("RUN_DIR=" + tmp.resolve("standardised")));
    inPrices =
        RunConfig.parse(
            config(csv), List.of("RUN_DIR=" + tmp.resolve("prices"), "DATA.PARAM.normalize=false"));
    fitted = standardised.runner().quiet().fit();
    unscaled = inPrices.runner().quiet().fit();
  }

  @AfterAll
  static void close() {
    for (RunResult r : List.of(fitted, unscaled)) {
      r.model().close();
    }
  }

  @Test
  void standardisedTargets_fit_whereTargetsInPricesStayBelowTheMean() {
    assertThat(fitted.stopReason()).as(fitted.message()).isEqualTo(StopReason.COMPLETED);
    assertThat(fitted.last("validation", "r2")).isGreaterThan(0.95);
    assertThat(unscaled.last("validation", "r2")).isLessThan(0);
    // the loss is in standardised units: a fraction of the targets' variance
    assertThat(fitted.last("validation", "loss")).isLessThan(0.1);
  }

  @Test
  void metricsAndPredictions_areInPrices() {
    SplitData d = standardised.data();
    RegressionData val = (RegressionData) d.validation();
    float[] prices = d.targetNormalizer().denormalize(val.targets());
    float[][] out = fitted.predict(val).outputs();
    double absolute = 0;
    for (int i = 0; i < out.length; i++) {
      absolute += Math.abs(out[i][0] - prices[i]);
    }
    double mae = absolute / out.length;
    // the noise has a deviation of 20000: an error of that order, in prices, not in deviations
    assertThat(mae).isBetween(10_000.0, 40_000.0);
    assertThat(fitted.last("validation", "mae")).isCloseTo(mae, within(1e-3 * mae));

    // a raw row in, a price out: 50000 + 2500 * 150 + 15000 * 3 - 800 * 20 = 454000
    float price = fitted.predict(new float[][] {{150f, 3f, 20f}}).outputs()[0][0];
    assertThat(price).isCloseTo(454_000f, within(40_000f));
  }

  @Test
  void checkpoint_keepsTheTargetNormaliser_andALoadedModelAnswersInPrices() throws Exception {
    assertThat(fitted.targetNormalizer()).contains(standardised.data().targetNormalizer());
    assertThat(unscaled.targetNormalizer()).isEmpty();
    // the best checkpoint, loaded as a user serves it
    Path best = standardised.checkpointDir().resolve("best.rkc");
    try (TrainedModel loaded = standardised.trainedModel(best)) {
      assertThat(loaded.targetNormalizer()).contains(standardised.data().targetNormalizer());
      float[][] row = {{150f, 3f, 20f}};
      assertThat(loaded.predict(row).outputs()[0][0])
          .isCloseTo(fitted.predict(row).outputs()[0][0], within(1f));
    }
  }
}
