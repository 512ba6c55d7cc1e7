package dev.runkit.run;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.runkit.optim.GradientClipping;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a fit needs, as gathered by {@code dev.runkit.Runner}; the loop reads it and never
 * changes it. Zero means "not set" for the intervals and sizes; null means "none" for the optional
 * parts.
 *
 * @param model the model (its block is initialized from the first batch when needed)
 * @param loss the training loss
 * @param train the training data
 * @param validation validation data, or null
 * @param test test data, or null
 * @param optimizer the optimizer
 * @param iterations optimizer updates to make (0 when epochs is set)
 * @param epochs passes over the training data (0 when iterations is set)
 * @param batchSize the training batch size (0: the one the dataset was built with)
 * @param validateEvery validate every this many iterations (0: ten times per run when there is
 *     validation data)
 * @param testEvery test every this many iterations (0: only at the end)
 * @param logEvery report training meters every this many iterations (0: about 20 times per run)
 * @param metrics metrics measured besides the loss
 * @param seed the seed of initialisation and data order
 * @param monitor the metric deciding the best model, or null for validation loss
 * @param earlyStopping early stopping, or null
 * @param checkpoints checkpoint settings, or null for none
 * @param resumeFrom a checkpoint to resume from, or null
 * @param resumeLatest resume from the newest checkpoint in the checkpoint folder, if any
 * @param fineTuneFrom a checkpoint whose parameters start a new run, or null
 * @param fineTuneStrict whether fine-tuning requires the same parameter names and shapes
 * @param reinitialize draw the parameters afresh from the seed even when the model already has
 *     weights (else a fit continues from them)
 * @param accumulate micro-batches per update
 * @param nonFinite what to do when the loss becomes NaN or infinite
 * @param gradientClip clips the gradients before each update, or null
 * @param devices the devices to train on, one replica each (the first holds the model's own
 *     parameters); empty for {@link Devices#defaults the default}
 * @param callbacks the callbacks, in call order
 * @param name the run's name, shown by its progress, or null for none
 * @param progress the progress listener, or null for quiet
 */
public record RunSettings(
    Model model,
    Loss loss,
    RandomAccessDataset train,
    Dataset validation,
    Dataset test,
    Optimizer optimizer,
    long iterations,
    int epochs,
    int batchSize,
    long validateEvery,
    long testEvery,
    long logEvery,
    List<Metric> metrics,
    long seed,
    Monitor monitor,
    EarlyStopping earlyStopping,
    Checkpoints checkpoints,
    Path resumeFrom,
    boolean resumeLatest,
    Path fineTuneFrom,
    boolean fineTuneStrict,
    boolean reinitialize,
    int accumulate,
    NonFinitePolicy nonFinite,
    GradientClipping gradientClip,
    List<Device> devices,
    List<Callback> callbacks,
    String name,
    ProgressListener progress) {}
