package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.runkit.data.LabeledData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Small real models and data shared by the run tests. */
public final class Fixtures {

  private Fixtures() {}

  /** An MLP with ReLU between the given layer widths (the input width is inferred). */
  public static SequentialBlock mlp(int... units) {
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < units.length; i++) {
      block.add(Linear.builder().setUnits(units[i]).build());
      if (i < units.length - 1) {
        block.add(Activation::relu);
      }
    }
    return block;
  }

  /** The digits, shuffled once with a fixed seed, split 1,437 / 360. */
  public static ArrayDataset[] digits(NDManager manager, int batchSize) {
    LabeledData all = LabeledData.digits().shuffled(7);
    return new ArrayDataset[] {
      all.rows(0, 1437).toDataset(manager, batchSize),
      all.rows(1437, all.size()).toDataset(manager, batchSize)
    };
  }

  /**
   * The digits' training rows ({@link #digits}) in batches of 64, with one feature of rows 5, 500
   * and 1,000 set to NaN: a run on them meets a non-finite loss in some batches of every pass.
   */
  public static ArrayDataset digitsWithNaN(NDManager manager) {
    LabeledData train = LabeledData.digits().shuffled(7).rows(0, 1437);
    float[] x = train.features().clone();
    for (int row : new int[] {5, 500, 1000}) {
      x[row * 64 + 10] = Float.NaN;
    }
    return new LabeledData(x, train.labels(), 64).toDataset(manager, 64);
  }

  /**
   * Every DJL built-in optimizer, by its factory's name, each with all of its state in use (SGD and
   * NAG with momentum, RMSprop centered with momentum) and weight decay.
   */
  public static Map<String, Supplier<Optimizer>> djlOptimizers() {
    Map<String, Supplier<Optimizer>> all = new LinkedHashMap<>();
    all.put(
        "sgd",
        () ->
            Optimizer.sgd()
                .setLearningRateTracker(Tracker.fixed(0.05f))
                .optMomentum(0.9f)
                .optWeightDecays(1e-4f)
                .build());
    all.put(
        "nag",
        () ->
            Optimizer.nag()
                .setLearningRateTracker(Tracker.fixed(0.05f))
                .setMomentum(0.9f)
                .optWeightDecays(1e-4f)
                .build());
    all.put(
        "adam",
        () ->
            Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(0.003f))
                .optWeightDecays(1e-4f)
                .build());
    all.put(
        "adamW",
        () ->
            Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed(0.003f))
                .optWeightDecays(0.01f)
                .build());
    all.put(
        "adagrad", () -> Optimizer.adagrad().optLearningRateTracker(Tracker.fixed(0.05f)).build());
    all.put(
        "rmsprop",
        () ->
            Optimizer.rmsprop()
                .optLearningRateTracker(Tracker.fixed(0.002f))
                .optCentered(true)
                .optMomentum(0.5f)
                .build());
    all.put("adadelta", () -> Optimizer.adadelta().optRho(0.9f).build());
    return all;
  }

  /** DJL's built-in SGD with momentum and a fixed learning rate. */
  public static Optimizer sgd(float lr) {
    return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).optMomentum(0.9f).build();
  }

  /**
   * A callback that asks the run to stop after iteration {@code iteration}.
   *
   * @param iteration the last iteration to run
   * @param reason the reason the run reports
   * @return the callback
   */
  public static Callback stopAt(long iteration, String reason) {
    return new Callback() {
      @Override
      public void onIterationEnd(RunContext context) {
        if (context.iteration() == iteration) {
          context.requestStop(reason);
        }
      }
    };
  }

  /**
   * A JVM running {@code main} on this test run's classpath, offline, headless, with one OpenMP
   * thread, its output (both streams) going to {@code log}; not started.
   *
   * @param main the class whose {@code main} runs
   * @param log the file that gets the process's output
   * @param args the program's arguments
   * @return the process builder
   */
  public static ProcessBuilder javaProcess(Class<?> main, Path log, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    return builder;
  }
}
