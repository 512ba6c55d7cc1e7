package dev.runkit.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The training meters of the report interval in progress: the loss, each metric of the run, and the
 * gradient norm when gradients are clipped. They add on the device; a report holds them and reads
 * them an iteration later.
 */
final class TrainMeters {

  /** One value read from a meter. */
  record Reading(String name, double value) {}

  private final Meter loss;
  private final List<Meter> metrics = new ArrayList<>();
  private final Meter gradNorm;

  TrainMeters(List<Metric> metrics, boolean clipping, NDManager manager) {
    this.loss = new Meter("loss", manager);
    for (Metric m : metrics) {
      this.metrics.add(new Meter(m, manager));
    }
    this.gradNorm = clipping ? new Meter("grad_norm", manager) : null;
  }

  /** Adds a micro-batch's mean loss. */
  void addLoss(NDArray mean) {
    loss.addMean(mean, 1);
  }

  /** Adds every metric's contribution of a batch (or a slice of one) of {@code rows} rows. */
  void addMetrics(NDList labels, NDList predictions, long rows) {
    addMetrics(labels, predictions, rows, UnaryOperator.identity());
  }

  /** Adds every metric's contribution of a slice, moved by {@code gather} to the meters' device. */
  void addMetrics(NDList labels, NDList predictions, long rows, UnaryOperator<NDList> gather) {
    for (Meter m : metrics) {
      m.add(gather.apply(m.metric().contribution(labels, predictions)), rows);
    }
  }

  /** Adds an update's gradient norm (only when clipping). */
  void addGradNorm(NDArray norm) {
    gradNorm.addMean(norm, 1);
  }

  /** Tells whether nothing has been added since the last report. */
  boolean isEmpty() {
    return loss.isEmpty();
  }

  /** Moves the interval's sums aside without waiting, and starts the next interval. */
  void hold() {
    for (Meter m : all()) {
      m.hold();
    }
  }

  /** Reads what {@link #hold()} moved aside: the loss first, then the metrics, then the norm. */
  List<Reading> readHeld() {
    List<Reading> out = new ArrayList<>();
    for (Meter m : all()) {
      out.add(new Reading(m.name(), m.value(m.readHeld())));
    }
    return out;
  }

  /** Returns each meter's {@code [sum, count, counts on device ? 1 : 0]}, for a checkpoint. */
  Map<String, double[]> save() {
    Map<String, double[]> saved = new LinkedHashMap<>();
    for (Meter m : all()) {
      double[] sc = m.read();
      saved.put(m.name(), new double[] {sc[0], sc[1], m.countsOnDevice() ? 1 : 0});
    }
    return saved;
  }

  /** Restores what {@link #save()} returned; a meter the checkpoint lacks starts empty. */
  void restore(Map<String, double[]> saved) {
    for (Meter m : all()) {
      double[] state = saved.get(m.name());
      if (state != null) {
        m.restoreCountsOnDevice(state[2] != 0);
        m.restore(state);
      }
    }
  }

  private List<Meter> all() {
    List<Meter> all = new ArrayList<>();
    all.add(loss);
    all.addAll(metrics);
    if (gradNorm != null) {
      all.add(gradNorm);
    }
    return all;
  }
}
