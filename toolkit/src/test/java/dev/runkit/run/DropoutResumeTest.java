package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.model.Mlp;
import dev.runkit.optim.Optimizers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact resume of a model with dropout, whose masks come from MXNet's generator: the runner seeds
 * it from (seed, iteration) at every scheduled checkpoint and on resuming from one.
 */
class DropoutResumeTest {

  @TempDir Path uninterrupted;
  @TempDir Path interrupted;

  @Test
  void resume_dropoutModelStoppedAtACheckpoint_endsLikeUninterruptedRun() {
    Callback stopAt50 =
        new Callback() {
          @Override
          public void onIterationEnd(RunContext context) {
            if (context.iteration() == 50) {
              context.requestStop("interrupted for the test");
            }
          }
        };
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult whole = fit(uninterrupted, manager);
      RunResult stopped = fit(interrupted, manager, stopAt50);
      assertThat(stopped.iterations()).isEqualTo(50);
      stopped.model().close();
      RunResult resumed = fit(interrupted, manager);

      assertThat(resumed.iterations()).isEqualTo(100);
      Map<String, float[]> a = ResumeChild.parameters(whole.model().getBlock());
      Map<String, float[]> b = ResumeChild.parameters(resumed.model().getBlock());
      assertThat(b.keySet()).isEqualTo(a.keySet());
      for (String name : a.keySet()) {
        float[] x = a.get(name);
        float[] y = b.get(name);
        for (int i = 0; i < x.length; i++) {
          assertThat(y[i]).as(name + "[" + i + "]").isCloseTo(x[i], within(1e-6f));
        }
      }
      whole.model().close();
      resumed.model().close();
    }
  }

  private static RunResult fit(Path dir, NDManager manager, Callback... extra) {
    ArrayDataset[] split = Fixtures.digits(manager, 64);
    return Runner.with(Mlp.outputs(10).hidden(64).dropout(0.5).build())
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(split[0], split[1])
        .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9))
        .iterations(100)
        .validateEvery(50)
        .seed(5)
        .checkpoints(Checkpoints.to(dir).every(25))
        .resume()
        .callbacks(extra)
        .quiet()
        .fit();
  }
}
