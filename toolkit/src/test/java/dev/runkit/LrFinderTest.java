package dev.runkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.runkit.optim.Optimizers;
import dev.runkit.optim.ScheduledOptimizer;
import dev.runkit.run.DigitsSplit;
import dev.runkit.run.Fixtures;
import dev.runkit.run.LrFinder;
import dev.runkit.run.LrFinderResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The LR range test on real MXNet: the digits MLP, parameters restored bit for bit. */
class LrFinderTest {

  @RegisterExtension final DigitsSplit digits = new DigitsSplit(32);

  private Runner runner(Block block) {
    return Runner.with(block)
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train())
        .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9));
  }

  @Test
  void lrFinder_digitsMlp_curveFallsThenDivergesAndSuggestionsLieInside() {
    LrFinderResult r = runner(Fixtures.mlp(64, 10)).lrFinder(LrFinder.range(1e-4, 100).steps(100));

    double[] s = r.smoothed();
    double min = Double.POSITIVE_INFINITY;
    for (double v : s) {
      min = Math.min(min, Double.isFinite(v) ? v : min);
    }
    assertThat(min).as("the smoothed loss falls").isLessThan(0.7 * s[0]);
    assertThat(r.diverged()).as(r.message()).isTrue();
    assertThat(r.size()).isLessThan(100);
    assertThat(r.message()).startsWith("stopped at lr ").contains("x best");
    assertThat(r.valley()).isPresent();
    assertThat(r.steepest()).isPresent();
    assertThat(r.valley().getAsDouble()).isBetween(1e-4, 100.0);
    assertThat(r.steepest().getAsDouble()).isBetween(1e-4, 100.0);
    // the valley lies on the falling part: before the minimum of the smoothed loss
    int argmin = 0;
    for (int i = 0; i < s.length; i++) {
      if (Double.isFinite(s[i]) && s[i] < s[argmin]) {
        argmin = i;
      }
    }
    assertThat(r.valleyIndex().getAsInt()).isLessThanOrEqualTo(argmin);
    // the ramp is exponential: the first learning rate is the start
    assertThat(r.lrs()[0]).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.lrs()[1] / r.lrs()[0])
        .isCloseTo(Math.pow(1e6, 1 / 99.0), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void lrFinder_initializedModel_parametersBitwiseEqualAfterwards() {
    Block block = Fixtures.mlp(64, 10);
    Engine.getInstance().setRandomSeed(3);
    block.initialize(digits.manager(), DataType.FLOAT32, new Shape(1, 64));
    List<float[]> before = parameters(block);

    LrFinderResult r = runner(block).lrFinder(LrFinder.range(1e-3, 10).steps(30));

    assertThat(r.size()).isGreaterThan(5);
    List<float[]> after = parameters(block);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i)).as("parameter %d", i).containsExactly(before.get(i));
    }
  }

  @Test
  void lrFinder_thenFit_sameHistoryAsFitAlone() {
    Runner withFinder = runner(Fixtures.mlp(64, 10)).iterations(60).logEvery(20).quiet();
    withFinder.lrFinder(LrFinder.range(1e-3, 10).steps(20));
    RunResult a = withFinder.fit();
    RunResult b = runner(Fixtures.mlp(64, 10)).iterations(60).logEvery(20).quiet().fit();

    assertThat(a.history().doubleColumn("value").asDoubleArray())
        .containsExactly(b.history().doubleColumn("value").asDoubleArray());
  }

  @Test
  void lrFinder_runnersOptimizer_stateUntouched() {
    ScheduledOptimizer opt = Optimizers.adam().lr(1e-3).build();
    Runner r =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(opt);

    r.lrFinder(LrFinder.range(1e-4, 1).steps(10));

    assertThat(opt.exportState().params()).isEmpty();
  }

  @Test
  void lrFinder_djlOptimizer_throwsNamingTheFix() {
    Runner r =
        Runner.with(Fixtures.mlp(10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Fixtures.sgd(0.1f));
    assertThatThrownBy(r::lrFinder)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "lrFinder needs a RunKit optimizer (dev.runkit.optim.Optimizers) to ramp the learning"
                + " rate; ai.djl.training.optimizer.Sgd");
  }

  @Test
  void lrFinder_noLoss_throws() {
    assertThatThrownBy(() -> Runner.with(Fixtures.mlp(10)).data(digits.train()).lrFinder())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss is required: call loss(...), e.g. Loss.softmaxCrossEntropyLoss()");
  }

  @Test
  void range_startNotBelowEnd_throws() {
    assertThatThrownBy(() -> LrFinder.range(1, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lrFinder range start must be < end (the learning rate grows from start to end), got"
                + " start 1.0, end 0.1");
    assertThatThrownBy(() -> LrFinder.range(1e-3, 1e-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start 0.001, end 0.001");
  }

  @Test
  void range_startNotPositive_throws() {
    assertThatThrownBy(() -> LrFinder.range(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lrFinder range start must be a finite learning rate > 0, got 0.0");
  }

  @Test
  void steps_zero_throws() {
    assertThatThrownBy(() -> LrFinder.defaults().steps(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lrFinder steps must be >= 5, got 0");
  }

  @Test
  void smoothingAndDivergeFactor_outOfRange_throw() {
    assertThatThrownBy(() -> LrFinder.defaults().smoothing(1))
        .hasMessage("lrFinder smoothing must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> LrFinder.defaults().divergeFactor(1))
        .hasMessage("lrFinder divergeFactor must be > 1, got 1.0");
  }

  @Test
  void schedule_rampsExponentiallyFromStartToEnd() {
    LrFinder f = LrFinder.range(1e-6, 1).steps(7);
    assertThat(f.schedule().lr(0)).isCloseTo(1e-6, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(f.schedule().lr(3)).isCloseTo(1e-3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(f.schedule().lr(6)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
  }

  private static List<float[]> parameters(Block block) {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out;
  }
}
