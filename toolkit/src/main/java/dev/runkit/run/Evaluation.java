package dev.runkit.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import dev.runkit.schedule.MetricSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validation and test passes, and what follows from the monitored value: the best value and a copy
 * of its parameters, early stopping, and a plateau schedule.
 */
final class Evaluation {

  static final String VALIDATION = "validation";
  static final String TEST = "test";

  /**
   * What a validation found.
   *
   * @param values the value of the loss and of each metric
   * @param improved whether the monitored value became the best so far
   */
  record Validation(Map<String, Double> values, boolean improved) {}

  private final RunSettings s;
  private final Block block;
  private final ParameterStore parameterStore;
  private final Device device;
  private final NDManager manager;
  private final int batchSize;
  private final Monitor monitor;
  private final MetricSchedule plateau;
  private final List<NDArray> weights;
  private final RunLog log;
  private final Stopping stopping;

  private double bestValue = Double.NaN;
  private long bestIteration = -1;
  private List<NDArray> bestWeights;
  private double esBest = Double.NaN;
  private int esBad;
  private long lastValidated = -1;

  /**
   * Prepares the evaluation of a run.
   *
   * @param s the settings
   * @param parameterStore the run's parameter store
   * @param device the first device, where the model's parameters live
   * @param manager the run's manager
   * @param batchSize the batch size for datasets built without one
   * @param monitor the metric that decides the best parameters and early stopping
   * @param plateau a schedule shown the monitored value at each validation, or null
   * @param weights the trainable parameters, whose best values are kept
   * @param log where the values are recorded
   * @param stopping told when early stopping ends the run
   */
  Evaluation(
      RunSettings s,
      ParameterStore parameterStore,
      Device device,
      NDManager manager,
      int batchSize,
      Monitor monitor,
      MetricSchedule plateau,
      List<NDArray> weights,
      RunLog log,
      Stopping stopping) {
    this.s = s;
    this.block = s.model().getBlock();
    this.parameterStore = parameterStore;
    this.device = device;
    this.manager = manager;
    this.batchSize = batchSize;
    this.monitor = monitor;
    this.plateau = plateau;
    this.weights = weights;
    this.log = log;
    this.stopping = stopping;
  }

  /**
   * Validates on schedule: records the values, then updates the best value (and its parameters),
   * early stopping and the plateau schedule.
   */
  Validation validate(long iteration) {
    Map<String, Double> values = passOver(iteration);
    double value = values.get(monitor.metric());
    if (plateau != null) {
      plateau.observe(value);
    }
    boolean improved = monitor.improves(value, bestValue, 0);
    if (improved) {
      bestValue = value;
      bestIteration = iteration;
      if (bestWeights == null) {
        bestWeights = new ArrayList<>();
        for (NDArray w : weights) {
          NDArray copy = w.duplicate();
          copy.attach(manager);
          bestWeights.add(copy);
        }
      } else {
        copy(weights, bestWeights);
      }
    }
    EarlyStopping es = s.earlyStopping();
    if (es != null) {
      if (monitor.improves(value, esBest, es.minDelta())) {
        esBest = value;
        esBad = 0;
      } else if (++esBad >= es.patience()) {
        stopping.request(StopReason.EARLY_STOPPED, noImprovement());
      }
    }
    return new Validation(values, improved);
  }

  private String noImprovement() {
    EarlyStopping es = s.earlyStopping();
    return String.format(
        Locale.ROOT,
        "no improvement of validation %s%s for %d validations (best %.6g at iteration %d)",
        monitor.metric(),
        es.minDelta() > 0 ? " by more than " + es.minDelta() : "",
        es.patience(),
        bestValue,
        bestIteration);
  }

  /**
   * Says why a resumed run stopped early already (its early-stopping count has reached this run's
   * patience), or null when early stopping would let it train on.
   */
  String stoppedEarly() {
    EarlyStopping es = s.earlyStopping();
    if (es == null || esBad < es.patience()) {
      return null;
    }
    return "it stopped early already at iteration "
        + lastValidated
        + ": "
        + noImprovement()
        + "; to train on, resume with a larger patience or without early stopping";
  }

  /**
   * Validates off schedule (at a stop between scheduled points): only records the values, so that a
   * run resumed from the stop's checkpoint tracks what the uninterrupted run tracked.
   */
  Validation validateForReport(long iteration) {
    return new Validation(passOver(iteration), false);
  }

  private Map<String, Double> passOver(long iteration) {
    lastValidated = iteration;
    return evaluate(s.validation(), VALIDATION, iteration);
  }

  /** Tells whether the last validation was after this iteration. */
  boolean validatedAt(long iteration) {
    return lastValidated == iteration;
  }

  /**
   * Runs a test pass on schedule, on the current parameters.
   *
   * @return the values
   */
  Map<String, Double> test(long iteration) {
    return evaluate(s.test(), TEST, iteration);
  }

  /**
   * Runs the test pass at the end: on the best validated parameters when there are some (and the
   * run has not already restored them), the current ones otherwise; the current ones are put back
   * after.
   *
   * @return the values
   */
  Map<String, Double> testAtEnd(long iteration) {
    boolean swap = bestWeights != null && !restoresBest();
    List<NDArray> current = null;
    if (swap) {
      current = new ArrayList<>();
      for (NDArray w : weights) {
        current.add(w.duplicate());
      }
      copy(bestWeights, weights);
    }
    try {
      return evaluate(s.test(), TEST, iteration);
    } finally {
      if (current != null) {
        copy(current, weights);
        current.forEach(NDArray::close);
      }
    }
  }

  /** Puts the best validated parameters back into the model when early stopping asks for it. */
  void restoreBestIfAsked() {
    if (restoresBest() && bestWeights != null) {
      copy(bestWeights, weights);
    }
  }

  private boolean restoresBest() {
    return s.earlyStopping() != null && s.earlyStopping().restoresBest();
  }

  /** Runs a pass over a dataset in order; records and returns the loss and each metric. */
  private Map<String, Double> evaluate(Dataset dataset, String phase, long iteration) {
    Map<String, Double> values = new LinkedHashMap<>();
    try (NDManager pass = manager.newSubManager();
        Meter loss = new Meter("loss", pass)) {
      List<Meter> meters = new ArrayList<>();
      for (Metric m : s.metrics()) {
        meters.add(new Meter(m, pass));
      }
      Batch previous = null;
      for (Batch batch : OrderedBatches.of(dataset, pass, batchSize)) {
        NDList labels = Devices.onto(batch.getLabels(), device);
        NDList predictions =
            block.forward(parameterStore, Devices.onto(batch.getData(), device), false);
        loss.addMean(s.loss().evaluate(labels, predictions), batch.getSize());
        for (Meter m : meters) {
          m.add(m.metric().contribution(labels, predictions), batch.getSize());
        }
        // closed one batch late, so that the host never waits for the pass in progress
        if (previous != null) {
          previous.close();
        }
        previous = batch;
      }
      values.put("loss", record(loss, phase, iteration));
      for (Meter m : meters) {
        values.put(m.name(), record(m, phase, iteration));
      }
      if (previous != null) {
        previous.close();
      }
    }
    log.evaluated(iteration, phase, values);
    return values;
  }

  private double record(Meter meter, String phase, long iteration) {
    double value = meter.value(meter.read());
    log.add(phase, meter.name(), value, iteration);
    return value;
  }

  double bestValue() {
    return bestValue;
  }

  /** Returns the iteration of the best validation, or -1 before the first. */
  long bestIteration() {
    return bestIteration;
  }

  /** Adds the best value, early-stopping counters and last validation to a checkpoint's values. */
  void save(Map<String, Double> scalars) {
    scalars.put("best.value", bestValue);
    scalars.put("best.iteration", (double) bestIteration);
    scalars.put("es.best", esBest);
    scalars.put("es.bad", (double) esBad);
    scalars.put("lastValidated", (double) lastValidated);
  }

  /** Takes up what {@link #save} wrote into a checkpoint. */
  void restore(Map<String, Double> scalars) {
    bestValue = scalars.getOrDefault("best.value", Double.NaN);
    bestIteration = scalars.getOrDefault("best.iteration", -1.0).longValue();
    esBest = scalars.getOrDefault("es.best", Double.NaN);
    esBad = scalars.getOrDefault("es.bad", 0.0).intValue();
    lastValidated = scalars.getOrDefault("lastValidated", -1.0).longValue();
  }

  /**
   * Takes the best parameters from a checkpoint of the best validation's iteration (resume).
   *
   * @param best that checkpoint
   * @param names the names of {@code weights}, in order
   */
  void restoreBestWeights(Checkpoint best, List<String> names) {
    bestWeights = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      NDArray copy = weights.get(i).duplicate();
      copy.attach(manager);
      ParameterValues.set(copy, best.parameters().get(names.get(i)));
      bestWeights.add(copy);
    }
  }

  private static void copy(List<NDArray> from, List<NDArray> to) {
    for (int i = 0; i < from.size(); i++) {
      from.get(i).copyTo(to.get(i));
    }
  }
}
