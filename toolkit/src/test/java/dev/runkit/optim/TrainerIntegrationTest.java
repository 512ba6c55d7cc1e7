package dev.runkit.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plugs every RunKit optimizer into a real DJL {@link Trainer} and its {@code step()}. */
class TrainerIntegrationTest {

  static List<String> names() {
    return Optimizers.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void trainerStep_withNamedParameters_updatesInPlace_andExportsByName(String name) {
    Block block = Linear.builder().setUnits(2).build();
    try (Model model = Model.newInstance("linear")) {
      model.setBlock(block);
      // Lamb reads every gradient itself at the first update of a step: no beginStep here
      ScheduledOptimizer opt =
          Optimizers.build(name, name.equals("Adadelta") ? Map.of() : Map.of("lr", 0.05));
      try (Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(opt))) {
        trainer.initialize(new Shape(4, 3));
        opt.nameParameters(block.getParameters());
        NDManager manager = trainer.getManager();
        NDArray x = manager.arange(12f).reshape(4, 3).div(10f);
        NDArray y = x.sum(new int[] {1}, true).concat(x.sum(new int[] {1}, true).neg(), 1);
        float first = 0;
        float last = 0;
        for (int i = 0; i < 30; i++) {
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(pred));
            collector.backward(loss);
            if (i == 0) {
              first = loss.getFloat();
            }
            last = loss.getFloat();
          }
          trainer.step();
        }
        OptimizerState state = opt.exportState();
        assertThat(state.params()).containsOnlyKeys("weight", "bias");
        assertThat(state.params().get("weight").step()).isEqualTo(30);
        assertThat(last).isLessThan(first * 0.9f);
      }
    }
  }
}
