package dev.runkit.run;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.dataset.Batch;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the draws of MXNet's random generator (dropout masks) resume exactly although its state
 * cannot be read: the loop seeds it from (seed, iteration) at fixed points of the run (the start,
 * every scheduled checkpoint and every scheduled validation, which wait for the engine anyway), a
 * checkpoint records the last such point and the batch position there, and resuming seeds at that
 * point and replays the training forward passes made since.
 *
 * <p>The replay is exact because MXNet's random operators draw a count of numbers that depends only
 * on the shapes (dropout draws in its forward pass; its backward pass reuses the mask and draws
 * nothing), so the same batches through the same blocks in training mode move the generator exactly
 * as far as the run did, whatever the parameter values. Its cost is bounded: at most one forward
 * pass per micro-batch of the iterations since the last seeding point, that is fewer than the
 * shorter of the checkpoint and the validation interval (from the start of the run when it has
 * neither), paid once per resume. A model with no {@link Dropout}, no recurrent block with dropout
 * and no block class from outside DJL's {@code ai.djl.nn} packages (which could draw in its own
 * code) draws nothing, and is not replayed; a {@code LambdaBlock} is assumed not to draw. A
 * recurrent block with a drop rate counts as drawing, although MXNet 1.9.1's CPU operator (the
 * {@code mxnet-native-mkl} build) ignores that rate: its training output equals its inference
 * output, so such a model resumes exactly anyway and its replay is wasted work (a GPU build may
 * apply the rate). The forward pass and the loss are replayed; a callback or metric that draws from
 * MXNet's generator during training is not.
 */
final class GeneratorReplay {

  private static final Logger LOG = LoggerFactory.getLogger(GeneratorReplay.class);
  private static final String ITERATION = "rng.iteration";
  private static final String EPOCH = "rng.epoch";
  private static final String BATCH = "rng.batch";

  private final Engine engine;
  private final long seed;
  private final boolean draws;
  private long iteration = -1;
  private long epoch;
  private long batchInEpoch;

  /**
   * Prepares the replay for a model.
   *
   * @param engine the engine whose generator is seeded
   * @param seed the run's seed
   * @param block the model, inspected once for blocks that draw
   */
  GeneratorReplay(Engine engine, long seed, Block block) {
    this.engine = engine;
    this.seed = seed;
    this.draws = draws(block);
  }

  /** Says whether a block (or one inside it) may draw from the generator in training mode. */
  static boolean draws(Block block) {
    if (block instanceof Dropout) {
      return true;
    }
    if (block instanceof RecurrentBlock r) {
      return dropRate(r) != 0;
    }
    String pkg = block.getClass().getPackageName();
    if (!pkg.equals("ai.djl.nn") && !pkg.startsWith("ai.djl.nn.")) {
      return true;
    }
    return block.getChildren().values().stream().anyMatch(GeneratorReplay::draws);
  }

  private static float dropRate(RecurrentBlock block) {
    // DJL keeps the rate protected and offers no getter; unknown counts as drawing
    try {
      Field field = RecurrentBlock.class.getDeclaredField("dropRate");
      field.setAccessible(true);
      return field.getFloat(block);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Float.NaN;
    }
  }

  /**
   * Seeds the generator at a point every run with this seed and schedule reaches.
   *
   * @param at the iteration just completed
   * @param epoch the batch stream's epoch (position of the next batch)
   * @param batchInEpoch the batch stream's batch within the epoch
   */
  void reseed(long at, long epoch, long batchInEpoch) {
    long z = seed * 0x9E3779B97F4A7C15L + at;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    engine.setRandomSeed((int) ((z ^ (z >>> 31)) & 0x7FFFFFFF));
    this.iteration = at;
    this.epoch = epoch;
    this.batchInEpoch = batchInEpoch;
  }

  /**
   * Records the seeding point a checkpoint written now resumes from.
   *
   * @param scalars the checkpoint's scalars, added to
   * @param at the iteration of the checkpoint
   * @param seedsHere whether the run seeds after this iteration (then resuming seeds here too)
   * @param epoch the batch stream's epoch now
   * @param batchInEpoch the batch stream's batch within the epoch now
   */
  void save(
      Map<String, Double> scalars, long at, boolean seedsHere, long epoch, long batchInEpoch) {
    scalars.put(ITERATION, (double) (seedsHere ? at : iteration));
    scalars.put(EPOCH, (double) (seedsHere ? epoch : this.epoch));
    scalars.put(BATCH, (double) (seedsHere ? batchInEpoch : this.batchInEpoch));
  }

  /**
   * Seeds the generator at the point a checkpoint recorded and replays the forward passes made
   * since, leaving the stream where it was.
   *
   * @param scalars the checkpoint's scalars
   * @param rule this run's settings that decide its seeding points; when the checkpoint's differ,
   *     the masks drawn after the next seeding point differ from the uninterrupted run's (warned)
   * @param at the checkpoint's iteration
   * @param seedsHere whether this run's schedule seeds after that iteration (then it seeds there
   *     and replays nothing, whatever point the checkpoint recorded)
   * @param stream the batch stream, positioned at the checkpoint
   * @param forward runs one training-mode forward pass on a batch, without backward or update
   * @return the number of batches replayed
   */
  long resume(
      Map<String, Double> scalars,
      Map<String, Double> rule,
      long at,
      boolean seedsHere,
      BatchStream stream,
      Consumer<Batch> forward) {
    long endEpoch = stream.epoch();
    long endBatch = stream.batchInEpoch();
    Double from = scalars.get(ITERATION);
    if (from == null) {
      reseed(at, endEpoch, endBatch);
      if (draws && !seedsHere) {
        LOG.warn(
            "checkpoint at iteration {} predates recorded generator state: dropout masks after"
                + " resuming differ from the uninterrupted run's",
            at);
      }
      return 0;
    }
    if (draws
        && rule.entrySet().stream().anyMatch(e -> !e.getValue().equals(scalars.get(e.getKey())))) {
      LOG.warn(
          "this run checkpoints or validates on another schedule than the run that wrote the"
              + " checkpoint at iteration {}: MXNet's generator is seeded at other iterations, so"
              + " dropout masks differ from the uninterrupted run's after the next seeding point",
          at);
    }
    if (seedsHere) {
      // this run seeds after the checkpoint's iteration, as its uninterrupted run does there; the
      // checkpoint may record an earlier point when that iteration was the end of a shorter run
      reseed(at, endEpoch, endBatch);
      return 0;
    }
    long since = from.longValue();
    reseed(since, scalars.get(EPOCH).longValue(), scalars.get(BATCH).longValue());
    if (!draws || since == at) {
      return 0;
    }
    // counted from the two stream positions, so the count holds whatever the accumulation was
    long perEpoch = stream.batchesPerEpoch();
    long batches = (endEpoch - epoch) * perEpoch + endBatch - batchInEpoch;
    long start = System.nanoTime();
    stream.seek(epoch, batchInEpoch);
    // each batch is closed one pass late: closing waits for its arrays, and the engine should
    // not run dry while the next batch is read
    Batch previous = null;
    try {
      for (long b = 0; b < batches; b++) {
        Batch batch = stream.next();
        forward.accept(batch);
        if (previous != null) {
          previous.close();
        }
        previous = batch;
      }
    } finally {
      if (previous != null) {
        previous.close();
      }
    }
    stream.seek(endEpoch, endBatch);
    LOG.info(
        "replayed {} forward passes (iterations {}..{}) in {} ms to restore the random generator",
        batches,
        since + 1,
        at,
        (System.nanoTime() - start) / 1_000_000);
    return batches;
  }
}
