package dev.runkit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.training.dataset.Dataset;
import dev.runkit.data.DataInfo;
import dev.runkit.data.Examples;
import dev.runkit.data.Normalizer;
import dev.runkit.data.SplitData;
import dev.runkit.registry.Names;
import dev.runkit.run.Monitor;
import dev.runkit.run.RunOutcome;
import dev.runkit.run.StopReason;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * The result of {@link Runner#fit()}: the history table, why the run stopped, the best validation
 * value and checkpoint, the final test metrics and the trained model.
 */
public final class RunResult {

  /** The name of a run not given one ({@link Runner#name(String)}). */
  public static final String UNNAMED = "run";

  private final String name;
  private final RunOutcome outcome;
  private final TrainedModel trained;

  RunResult(String name, RunOutcome outcome, Model model) {
    this.name = name;
    this.outcome = outcome;
    this.trained = new TrainedModel(model);
  }

  /**
   * Returns the run's name ({@link Runner#name(String)}; a config run's is its run folder's).
   *
   * @return the name, {@value #UNNAMED} when none was given
   */
  public String name() {
    return name;
  }

  /**
   * Returns the history: one row per reported value, columns {@code iteration}, {@code phase}
   * (train, validation, test), {@code metric}, {@code value}, {@code lr}, {@code elapsed}
   * (seconds).
   *
   * @return the table
   */
  public Table history() {
    return outcome.history();
  }

  /**
   * Returns why the run ended.
   *
   * @return the reason
   */
  public StopReason stopReason() {
    return outcome.reason();
  }

  /**
   * Returns why the run ended, in words.
   *
   * @return the message
   */
  public String message() {
    return outcome.message();
  }

  /**
   * Returns the exception that ended the run, when one did.
   *
   * @return the error, or empty
   */
  public Optional<Throwable> error() {
    return Optional.ofNullable(outcome.error());
  }

  /**
   * Returns the number of iterations (optimizer updates, skipped ones included) completed.
   *
   * @return the iteration count
   */
  public long iterations() {
    return outcome.iterations();
  }

  /**
   * Returns the metric that decided the best model.
   *
   * @return the monitor
   */
  public Monitor monitor() {
    return outcome.monitor();
  }

  /**
   * Returns the best validation value of the monitored metric.
   *
   * @return the value, or empty when the run never validated
   */
  public OptionalDouble best() {
    return Double.isNaN(outcome.bestValue())
        ? OptionalDouble.empty()
        : OptionalDouble.of(outcome.bestValue());
  }

  /**
   * Returns the iteration of the best validation.
   *
   * @return the iteration, or -1 when the run never validated
   */
  public long bestIteration() {
    return outcome.bestIteration();
  }

  /**
   * Returns the best checkpoint file.
   *
   * @return the file, or empty when no checkpoints were written
   */
  public Optional<Path> bestCheckpoint() {
    return Optional.ofNullable(outcome.bestCheckpoint());
  }

  /**
   * Returns the test metrics measured at the end (on the best parameters when the run validated).
   *
   * @return metric name to value; empty without test data
   */
  public Map<String, Double> test() {
    return outcome.test();
  }

  /**
   * Returns the latest value of a metric in a phase.
   *
   * @param phase {@code train}, {@code validation} or {@code test}
   * @param metric the metric name
   * @return the value
   * @throws IllegalArgumentException if the history holds no such value (naming what it holds and
   *     the nearest phase or metric)
   */
  public double last(String phase, String metric) {
    Table h = outcome.history();
    for (int i = h.rowCount() - 1; i >= 0; i--) {
      if (h.stringColumn("phase").get(i).equals(phase)
          && h.stringColumn("metric").get(i).equals(metric)) {
        return h.doubleColumn("value").get(i);
      }
    }
    // every phase/metric pair the history has, so that a misspelt phase ("val") is named too
    Set<String> held = new LinkedHashSet<>();
    Set<String> phases = new LinkedHashSet<>();
    Set<String> metrics = new LinkedHashSet<>();
    for (int i = 0; i < h.rowCount(); i++) {
      String p = h.stringColumn("phase").get(i);
      String m = h.stringColumn("metric").get(i);
      held.add(p + "/" + m);
      phases.add(p);
      if (p.equals(phase)) {
        metrics.add(m);
      }
    }
    throw new IllegalArgumentException(
        "history holds no "
            + phase
            + "/"
            + metric
            + "; it holds "
            + held
            + "."
            + (phases.contains(phase)
                ? Names.didYouMean(metric, metrics)
                : Names.didYouMean(phase, phases)));
  }

  /**
   * Returns the number of updates skipped because the loss was not finite.
   *
   * @return the count
   */
  public long skippedSteps() {
    return outcome.skippedSteps();
  }

  /**
   * Returns the devices the run trained on, one data-parallel replica each (the first held the
   * model's own parameters).
   *
   * @return the devices, e.g. {@code [cpu()]} or {@code [gpu(0), gpu(1)]}
   */
  public List<Device> devices() {
    return outcome.devices();
  }

  /**
   * Returns the trained model (with the best parameters when early stopping restores them).
   *
   * @return the model
   */
  public Model model() {
    return trained.model();
  }

  /**
   * Returns the trained model for predictions and export; the same as {@link
   * TrainedModel#load(Path, ai.djl.nn.Block)} gives from a checkpoint.
   *
   * @return the trained model (closing it closes {@link #model()})
   */
  public TrainedModel trained() {
    return trained;
  }

  /**
   * Returns what the model was trained on; see {@link TrainedModel#dataInfo()}.
   *
   * @return the info, or empty when the run was given DJL datasets without {@link
   *     Runner#describe(SplitData)}
   */
  public Optional<DataInfo> dataInfo() {
    return trained.dataInfo();
  }

  /**
   * Returns the feature normaliser the model keeps; see {@link TrainedModel#normalizer()}.
   *
   * @return the normaliser, or empty when the training features were not normalised
   */
  public Optional<Normalizer> normalizer() {
    return trained.normalizer();
  }

  /**
   * Returns the regression target normaliser the model keeps; see {@link
   * TrainedModel#targetNormalizer()}.
   *
   * @return the target normaliser, or empty when the targets were in their units
   */
  public Optional<Normalizer> targetNormalizer() {
    return trained.targetNormalizer();
  }

  /**
   * Predicts rows of features in the data's units; see {@link TrainedModel#predict(float[][])}.
   *
   * @param inputs one row per example, in the data's units
   * @return the outputs, classes (with their names) and probabilities
   * @throws IllegalArgumentException if there are no rows, a row does not hold one example of the
   *     shape the model was trained on, the run never initialized the model, or it was closed
   */
  public Predictions predict(float[][] inputs) {
    return trained.predict(inputs);
  }

  /**
   * Predicts a batch of inputs as the model takes them; see {@link TrainedModel#predict(NDArray)}.
   *
   * @param inputs the inputs, batch axis first, on any device; left open and unchanged
   * @return the outputs, classes and probabilities
   * @throws IllegalArgumentException if the input is null or of a shape the model cannot take, the
   *     run never initialized the model, or it was closed
   */
  public Predictions predict(NDArray inputs) {
    return trained.predict(inputs);
  }

  /**
   * Predicts examples held on the heap, such as a part of a split; see {@link
   * TrainedModel#predict(Examples)}.
   *
   * @param examples the examples (their labels are kept for {@link Predictions#accuracy()})
   * @return one prediction per example
   * @throws IllegalArgumentException if the examples are null or of a shape the model cannot take,
   *     the run never initialized the model, or it was closed
   */
  public Predictions predict(Examples examples) {
    return trained.predict(examples);
  }

  /**
   * Predicts every example of a DJL dataset; see {@link TrainedModel#predict(Dataset)}.
   *
   * @param dataset the data (labels are ignored)
   * @return one prediction per example
   * @throws IllegalArgumentException if the dataset is null, empty or of a shape the model cannot
   *     take, the run never initialized the model, or it was closed
   */
  public Predictions predict(Dataset dataset) {
    return trained.predict(dataset);
  }

  @Override
  public String toString() {
    return "RunResult[" + name + ", " + outcome.reason() + ": " + outcome.message() + "]";
  }
}
