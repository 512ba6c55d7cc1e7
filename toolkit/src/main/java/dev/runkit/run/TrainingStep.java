package dev.runkit.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import dev.runkit.optim.ScheduledOptimizer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iteration's work on the model: for each micro-batch a forward and backward pass (on one
 * device, or split over {@link Replicas}), then the accumulated gradients averaged, the non-finite
 * guard, clipping, and one optimizer update.
 *
 * <p>Why it does not use DJL's {@code Trainer.step()}: that closes every gradient handle after each
 * update, and closing an MXNet array waits for it to be computed, so the Java thread can never run
 * ahead of the engine. Here gradient handles are fetched once and reused, each iteration's batches
 * (and the intermediate arrays attached to them) are closed one iteration late, and the loss is
 * summed on the device by the {@link TrainMeters}.
 */
final class TrainingStep {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingStep.class);

  private final RunSettings s;
  private final Block block;
  private final Engine engine;
  private final ParameterStore parameterStore;
  private final Device device;
  private final NDManager manager;
  private final Optimizer optimizer;
  private final BatchStream stream;
  private final TrainMeters meters;

  private final List<String> names = new ArrayList<>();
  private final List<NDArray> weights = new ArrayList<>();
  private final List<NDArray> gradients = new ArrayList<>();
  private final List<NDArray> accumulated = new ArrayList<>();
  private final List<Batch> inFlight = new ArrayList<>();
  private Replicas replicas;
  private long skipped;

  /**
   * Prepares the step of an initialized model: caches its weights and gradient handles once
   * (fetching a gradient makes a handle to close).
   *
   * @throws IllegalArgumentException if the model has no trainable parameters
   */
  TrainingStep(
      RunSettings s,
      ParameterStore parameterStore,
      Device device,
      NDManager manager,
      BatchStream stream,
      TrainMeters meters) {
    this.s = s;
    this.block = s.model().getBlock();
    this.engine = s.model().getNDManager().getEngine();
    this.parameterStore = parameterStore;
    this.device = device;
    this.manager = manager;
    this.optimizer = s.optimizer();
    this.stream = stream;
    this.meters = meters;
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      if (!p.requiresGradient()) {
        continue;
      }
      NDArray w = p.getArray();
      if (!w.hasGradient()) {
        w.setRequiresGradient(true);
      }
      names.add(pair.getKey());
      weights.add(w);
      NDArray g = w.getGradient();
      g.attach(manager);
      gradients.add(g);
      if (s.accumulate() > 1) {
        accumulated.add(manager.zeros(w.getShape(), w.getDataType()));
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("the model has no trainable parameters");
    }
  }

  /**
   * Copies the model to the other devices: each batch is then split over them. Called last in the
   * preparation, so that the replicas start from fine-tuned or resumed parameters.
   */
  void spreadOver(List<Device> devices) {
    replicas = new Replicas(block, parameterStore, gradients, devices, manager);
  }

  /**
   * Runs one iteration: {@code accumulate} micro-batches, then one update (skipped, under {@link
   * NonFinitePolicy#SKIP}, when the loss or the gradients are not finite).
   *
   * @param iteration the iterations completed before this one
   */
  void run(long iteration) {
    List<Batch> current = new ArrayList<>(s.accumulate());
    boolean finite = true;
    for (int k = 0; k < s.accumulate(); k++) {
      Batch batch = stream.next();
      current.add(batch);
      NDList labels = null;
      NDList predictions = null;
      NDArray loss;
      List<Replicas.Slice> slices = null;
      if (replicas == null) {
        NDList data = Devices.onto(batch.getData(), device);
        labels = Devices.onto(batch.getLabels(), device);
        try (GradientCollector collector = engine.newGradientCollector()) {
          predictions = block.forward(parameterStore, data, true);
          loss = s.loss().evaluate(labels, predictions);
          collector.backward(loss);
        }
      } else {
        // replica 0's gradients then hold the whole batch's, as if one device had run it
        slices = new ArrayList<>(replicas.size());
        loss = replicas.forwardBackward(batch, block, s.loss(), engine, slices);
      }
      if (s.nonFinite() == NonFinitePolicy.SKIP) {
        // the one per-step host read, asked for by choosing SKIP; gradients too, since a NaN
        // input can leave the loss finite (ReLU maps NaN to 0) while poisoning the gradients
        if (!Float.isFinite(loss.getFloat()) || !finite(gradients)) {
          finite = false;
        }
      }
      if (finite) {
        meters.addLoss(loss);
        if (slices == null) {
          meters.addMetrics(labels, predictions, batch.getSize());
        } else {
          for (Replicas.Slice slice : slices) {
            meters.addMetrics(
                slice.labels(),
                slice.predictions(),
                slice.rows(),
                c -> replicas.toFirst(c, batch.getManager()));
          }
        }
      }
      if (s.accumulate() > 1) {
        for (int i = 0; i < gradients.size(); i++) {
          if (k == 0) {
            gradients.get(i).copyTo(accumulated.get(i));
          } else {
            accumulated.get(i).addi(gradients.get(i));
          }
        }
      }
    }
    if (finite) {
      update(current.get(0).getManager());
    } else {
      skipped++;
      LOG.warn(
          "iteration {}: loss is not finite; update skipped ({} so far)", iteration + 1, skipped);
    }
    // closing waits for an array to be computed, so the previous iteration's batches are closed
    // only now, after this iteration's work has been queued behind them
    closeInFlight();
    inFlight.addAll(current);
  }

  /** Averages accumulated gradients, clips them, updates, and copies the result to the replicas. */
  private void update(NDManager batchManager) {
    List<NDArray> grads = s.accumulate() > 1 ? accumulated : gradients;
    if (s.accumulate() > 1) {
      // each micro-batch loss is a mean, so the big-batch gradient is the mean of theirs
      for (NDArray g : accumulated) {
        g.divi(s.accumulate());
      }
    }
    if (s.gradientClip() != null) {
      NDArray norm = s.gradientClip().apply(grads);
      // the norm is averaged like a metric and closed with this iteration's batches
      norm.attach(batchManager);
      meters.addGradNorm(norm);
    }
    if (optimizer instanceof ScheduledOptimizer so) {
      so.beginStep(grads);
    }
    for (int i = 0; i < weights.size(); i++) {
      optimizer.update(names.get(i), weights.get(i), grads.get(i));
    }
    if (replicas != null) {
      replicas.broadcast();
    }
  }

  /** One training-mode forward pass whose results are dropped: replays the generator's draws. */
  void replayForward(Batch batch) {
    if (replicas != null) {
      replicas.replayForward(batch, block, s.loss(), engine);
      return;
    }
    NDList data = Devices.onto(batch.getData(), device);
    NDList labels = Devices.onto(batch.getLabels(), device);
    // MXNet's dropout draws only in training mode, which a gradient collector switches on
    try (GradientCollector collector = engine.newGradientCollector()) {
      s.loss().evaluate(labels, block.forward(parameterStore, data, true));
    }
  }

  /** Closes the batches of the last iteration (which waits for its work to be computed). */
  void closeInFlight() {
    for (Batch b : inFlight) {
      b.close();
    }
    inFlight.clear();
  }

  /** Says whether every trainable parameter is finite (one host read). */
  boolean parametersFinite() {
    return finite(weights);
  }

  /** Returns the names of the trainable parameters, in the block's order. */
  List<String> names() {
    return names;
  }

  /** Returns the trainable parameters (replica 0's), in the order of {@link #names()}. */
  List<NDArray> weights() {
    return weights;
  }

  /** Returns the updates skipped because the loss or the gradients were not finite. */
  long skipped() {
    return skipped;
  }

  void restoreSkipped(long n) {
    skipped = n;
  }

  /** Says whether all arrays are finite, with one host read: NaN and infinity survive a sum. */
  private static boolean finite(List<NDArray> arrays) {
    NDList sums = new NDList(arrays.size());
    for (NDArray a : arrays) {
      sums.add(a.sum().toType(DataType.FLOAT64, false));
    }
    try (NDArray total = NDArrays.stack(sums).sum()) {
      return Double.isFinite(total.getDouble());
    } finally {
      sums.close();
    }
  }
}
