package dev.runkit;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Dataset;
import dev.runkit.data.DataInfo;
import dev.runkit.data.Examples;
import dev.runkit.data.Normalizer;
import dev.runkit.data.SplitData;
import dev.runkit.run.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A trained model ready for predictions: what a fit leaves ({@link RunResult#trained()}), or what a
 * checkpoint holds ({@link #load(Path, Block)}, as Lightning's {@code load_from_checkpoint} and
 * Keras's {@code load_model}). It keeps what the model was trained on (task, class names, feature
 * normaliser), so predictions take rows in the data's units and name their classes.
 *
 * <pre>{@code
 * TrainedModel m = TrainedModel.load(Path.of("runs/iris/checkpoints/best.rkc"),
 *     Mlp.outputs(3).hidden(16).build());
 * String[] kinds = m.predict(new float[][] {{5.1f, 3.5f, 21.4f, 0.2f}}).names();
 * m.export(Path.of("export/iris"));   // DJL's own format, for a plain DJL Predictor
 * m.close();
 * }</pre>
 */
public final class TrainedModel implements AutoCloseable {

  private final Model model;

  TrainedModel(Model model) {
    this.model = model;
  }

  /**
   * Loads a checkpoint into a block of the architecture that wrote it; the shape of one example is
   * the one the checkpoint kept (runs on {@link Runner#data(SplitData, int)} or a config keep it).
   *
   * @param checkpoint a {@code .rkc} file ({@code best.rkc} or {@code ckpt-N.rkc})
   * @param block a new block of the same architecture (uninitialized)
   * @return the model, open until {@link #close()}
   * @throws IllegalArgumentException if the file is not a readable checkpoint, does not say the
   *     shape of one example, or its parameters are not the block's
   */
  public static TrainedModel load(Path checkpoint, Block block) {
    long[] example =
        DataInfo.fromProperties(Checkpoints.properties(checkpoint))
            .map(DataInfo::exampleShape)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "checkpoint "
                            + checkpoint
                            + " does not say the shape of one example (its run was given DJL"
                            + " datasets without Runner.describe(split)); give it:"
                            + " TrainedModel.load(file, block, 4) for rows of 4 features"));
    return load(checkpoint, block, example);
  }

  /**
   * Loads a checkpoint into a block of the architecture that wrote it, initialized for examples of
   * a given shape.
   *
   * @param checkpoint a {@code .rkc} file
   * @param block a new block of the same architecture (uninitialized)
   * @param exampleShape the shape of one example without the batch axis (e.g. {@code 4} for rows of
   *     4 features, {@code 1, 28, 28} for images)
   * @return the model, open until {@link #close()}
   * @throws IllegalArgumentException if the file is not a readable checkpoint or its parameters are
   *     not the block's
   */
  public static TrainedModel load(Path checkpoint, Block block, long... exampleShape) {
    if (!Files.isRegularFile(checkpoint)) {
      throw new IllegalArgumentException(
          "checkpoint " + checkpoint + " is not a file (a run's are in RUN_DIR/checkpoints)");
    }
    if (block.isInitialized()) {
      throw new IllegalArgumentException(
          "load needs a new, uninitialized block of the architecture that wrote " + checkpoint);
    }
    Model model = Model.newInstance("runkit");
    try {
      model.setBlock(block);
      block.initialize(
          model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(new Shape(exampleShape)));
      Checkpoints.loadParameters(checkpoint, block).forEach(model::setProperty);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new TrainedModel(model);
  }

  /**
   * Returns the DJL model (its block holds the parameters; its properties what it was trained on).
   *
   * @return the model
   */
  public Model model() {
    return model;
  }

  /**
   * Returns what the model was trained on, as the model keeps it in its properties ({@link
   * Runner#data(SplitData, int)} writes them): the task, the example shape, the outputs and the
   * class names.
   *
   * @return the info, or empty when the run was given DJL datasets without {@link
   *     Runner#describe(SplitData)}
   */
  public Optional<DataInfo> dataInfo() {
    return DataInfo.fromProperties(model.getProperties());
  }

  /**
   * Returns the feature normaliser the model keeps ({@link SplitData#normalized()}), which {@link
   * #predict(float[][])} applies to raw rows.
   *
   * @return the normaliser, or empty when the training features were not normalised
   */
  public Optional<Normalizer> normalizer() {
    return Normalizer.fromProperties(model.getProperties());
  }

  /**
   * Returns the standardisation of regression targets the model keeps ({@link
   * SplitData#normalized()} on regression rows): its raw outputs are standardised, and every {@code
   * predict} turns them back into the targets' units with it.
   *
   * @return the target normaliser, or empty when the targets were in their units
   */
  public Optional<Normalizer> targetNormalizer() {
    return Normalizer.fromProperties(model.getProperties(), Normalizer.TARGETS);
  }

  /**
   * Predicts rows of features in the data's units, in inference mode (dropout off), without a DJL
   * {@code Predictor} or {@code Translator}: when the model was trained on normalised features
   * ({@link SplitData#normalized()}, the default of a config's {@code csv} data) the rows are
   * normalised with the training statistics first, and the classes of the result have the data's
   * names.
   *
   * <pre>{@code
   * int[] digits = model.predict(new float[][] {pixels}).classes();
   * String[] kinds = model.predict(new float[][] {{5.1f, 3.5f, 21.4f, 0.2f}}).names();
   * }</pre>
   *
   * @param inputs one row per example, each holding the values of one example in row-major order
   *     (64 pixels for the digits, {@code window} values for a forecaster), in the data's units
   * @return the outputs, classes and probabilities
   * @throws IllegalArgumentException if there are no rows, a row does not hold one example of the
   *     shape the model was trained on, the model was never initialized, or it was closed
   */
  public Predictions predict(float[][] inputs) {
    return Predictions.of(model, inputs);
  }

  /**
   * Predicts a batch of inputs in inference mode; the inputs are taken as the model takes them
   * (normalised when its training data was: see {@link #normalizer()}).
   *
   * @param inputs the inputs, batch axis first, on any device; left open and unchanged
   * @return the outputs, classes and probabilities
   * @throws IllegalArgumentException if the input is null or of a shape the model cannot take, the
   *     model was never initialized, or it was closed
   */
  public Predictions predict(NDArray inputs) {
    if (inputs == null) {
      throw new IllegalArgumentException("predict needs an input array, got null");
    }
    return Predictions.of(model, new NDList(inputs));
  }

  /**
   * Predicts examples held on the heap, such as a part of a split, in their order; they are taken
   * as the model takes them (a split's parts are normalised already when the split is).
   *
   * <pre>{@code
   * Predictions p = result.predict(data.test());
   * double accuracy = p.accuracy();   // labelled examples keep their classes
   * }</pre>
   *
   * @param examples the examples (their labels are kept for {@link Predictions#accuracy()}, not fed
   *     to the model)
   * @return one prediction per example
   * @throws IllegalArgumentException if the examples are null or of a shape the model cannot take,
   *     the model was never initialized, or it was closed
   */
  public Predictions predict(Examples examples) {
    return Predictions.of(model, examples);
  }

  /**
   * Predicts every example of a DJL dataset, in the order its batches come (a shuffling sampler
   * gives a shuffled order).
   *
   * @param dataset the data (labels are ignored)
   * @return one prediction per example
   * @throws IllegalArgumentException if the dataset is null, empty or of a shape the model cannot
   *     take, the model was never initialized, or it was closed
   */
  public Predictions predict(Dataset dataset) {
    return Predictions.of(model, dataset);
  }

  /**
   * Saves the model in DJL's own format ({@code Model.save}: {@code runkit-0000.params}, with the
   * properties), which a plain DJL program loads into a block of the same architecture and serves
   * with a {@code Predictor}:
   *
   * <pre>{@code
   * Model m = Model.newInstance("runkit");
   * m.setBlock(Mlp.outputs(3).hidden(16).build());   // the same architecture
   * m.load(Path.of("export/iris"));
   * Predictor<NDList, NDList> p = m.newPredictor(new NoopTranslator());
   * }</pre>
   *
   * The inputs of such a predictor are taken as the model takes them: normalise raw rows with
   * {@link #normalizer()} first, and turn regression outputs back with {@link #targetNormalizer()}
   * (their statistics are among the saved properties).
   *
   * @param directory the folder to write into (made when missing)
   * @return the parameter file written
   * @throws UncheckedIOException if it cannot be written
   */
  public Path export(Path directory) {
    ClosedModels.requireOpen(model, "export");
    try {
      Files.createDirectories(directory);
      model.save(directory, model.getName());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the model to " + directory, e);
    }
    return directory.resolve(model.getName() + "-0000.params");
  }

  /** Frees the model's parameters; predictions after it fail with a message that says so. */
  @Override
  public void close() {
    model.close();
  }
}
