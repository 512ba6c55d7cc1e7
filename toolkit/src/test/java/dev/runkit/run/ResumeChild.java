package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run that {@link ResumeTest} kills and resumes: a small MLP on the digits with RunKit's SGD
 * (or DJL's built-in Adam, by reflection-read state), checkpoints every 20 iterations, resuming
 * from the newest checkpoint when there is one. As a main class it runs in a child JVM, slowed down
 * by a sleep per iteration so that it can be killed mid-run.
 */
public final class ResumeChild {

  static final long ITERATIONS = 300;

  private ResumeChild() {}

  /**
   * Runs the fit in a child JVM.
   *
   * @param args the checkpoint folder and the optimizer ({@code runkit} or {@code djl})
   */
  public static void main(String[] args) {
    Callback slow =
        new Callback() {
          @Override
          public void onIterationEnd(RunContext context) {
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult r = fit(Path.of(args[0]), args[1], manager, slow);
      System.out.println("finished " + r.stopReason());
    }
  }

  /** Runs (or resumes) the fit and returns its result; the model stays open. */
  static RunResult fit(Path dir, String optimizer, NDManager manager, Callback... extra) {
    ArrayDataset[] split = Fixtures.digits(manager, 64);
    Block block = Fixtures.mlp(32, 10);
    Runner runner = Runner.with(block);
    if (optimizer.equals("djl")) {
      runner.optimizer(Fixtures.djlOptimizers().get("adam").get());
    } else {
      runner.optimizer(Optimizers.sgd().lr(0.05).momentum(0.9).weightDecay(1e-4));
    }
    return runner
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(split[0], split[1])
        .metrics(Metrics.accuracy())
        // patience beyond the run's six validations: its state is checkpointed, never triggered
        .earlyStopping(EarlyStopping.on(Monitor.max("accuracy")).patience(10).minDelta(1e-3))
        .iterations(ITERATIONS)
        .validateEvery(50)
        .logEvery(10)
        .seed(3)
        .checkpoints(Checkpoints.to(dir).every(20).keepLast(2))
        .resume()
        .callbacks(extra)
        .quiet()
        .fit();
  }

  /** Copies a model's parameters to the heap, by name. */
  static Map<String, float[]> parameters(Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    block.getParameters().forEach(p -> out.put(p.getKey(), p.getValue().getArray().toFloatArray()));
    return out;
  }
}
