package dev.runkit.run;

import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import dev.runkit.schedule.MetricSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a checkpoint holds, saved and restored in one place: the parameters, the optimizer and
 * schedule state, the data-stream position, the meters, the best value and early-stopping counters,
 * the callbacks' state and the history; and the files: writing, pruning, finding the checkpoint to
 * resume from and the one of the best validation. It also seeds MXNet's generator at the points a
 * resume can replay from ({@link GeneratorReplay}).
 */
final class RunState {

  private static final Logger LOG = LoggerFactory.getLogger(RunState.class);
  // the prefix of dev.runkit.data.DataInfo.PROPERTY_PREFIX, which run does not import
  private static final String DATA_PROPERTIES = "runkit.data.";

  private final RunSettings s;
  private final RunContext context;
  private final Block block;
  private final Optimizer optimizer;
  private final MetricSchedule plateau;
  private final int batchSize;
  private final BatchStream stream;
  private final Timetable timetable;
  private final TrainingStep step;
  private final TrainMeters meters;
  private final Evaluation evaluation;
  private final RunLog log;
  private final Callbacks callbacks;
  private final Stopping stopping;
  private final GeneratorReplay generator;

  private long lastCheckpoint = -1;
  private Path bestCheckpoint;
  private Path resumedFrom;
  private Runnable pendingReplay;

  RunState(
      RunSettings s,
      RunContext context,
      MetricSchedule plateau,
      int batchSize,
      BatchStream stream,
      Timetable timetable,
      TrainingStep step,
      TrainMeters meters,
      Evaluation evaluation,
      RunLog log,
      Callbacks callbacks,
      Stopping stopping) {
    this.s = s;
    this.context = context;
    this.block = s.model().getBlock();
    this.optimizer = s.optimizer();
    this.plateau = plateau;
    this.batchSize = batchSize;
    this.stream = stream;
    this.timetable = timetable;
    this.step = step;
    this.meters = meters;
    this.evaluation = evaluation;
    this.log = log;
    this.callbacks = callbacks;
    this.stopping = stopping;
    this.generator = new GeneratorReplay(s.model().getNDManager().getEngine(), s.seed(), block);
  }

  // ---------------------------------------------------------------- before the first step

  /**
   * Loads the fine-tuning source's parameters, when the run has one: all of them when fine-tuning
   * is strict, those whose name, shape and type match otherwise.
   */
  void fineTune() {
    if (s.fineTuneFrom() == null) {
      return;
    }
    checkFineTuneSourceOutsideCheckpoints();
    ParameterValues.load(
        block, Checkpoint.read(s.fineTuneFrom()), s.fineTuneStrict(), s.fineTuneFrom());
  }

  /**
   * A fine-tuning source named like one of the run's own checkpoints, in its folder, would outrank
   * them when pruning, be taken for the latest by {@code resume()}, and be overwritten at its
   * iteration (or by a new best).
   */
  private void checkFineTuneSourceOutsideCheckpoints() {
    if (s.checkpoints() == null) {
      return;
    }
    Path source = s.fineTuneFrom().toAbsolutePath().normalize();
    Path folder = s.checkpoints().directory().toAbsolutePath().normalize();
    if (folder.equals(source.getParent())
        && Checkpoints.isRunFileName(source.getFileName().toString())) {
      throw new IllegalArgumentException(
          "fineTune source "
              + s.fineTuneFrom()
              + " lies among the checkpoints of this run's folder "
              + s.checkpoints().directory()
              + ", which the run prunes, overwrites and moves aside; copy it to another folder or"
              + " write this run's checkpoints elsewhere");
    }
  }

  /** Returns the checkpoint to resume from: the one named, or the newest one asked for. */
  Optional<Path> resumeFile() {
    if (s.resumeFrom() != null) {
      return Optional.of(s.resumeFrom());
    }
    if (s.resumeLatest() && s.checkpoints() != null) {
      List<Long> saved = Checkpoints.periodic(s.checkpoints().directory());
      if (!saved.isEmpty()) {
        return Optional.of(s.checkpoints().fileAt(saved.get(saved.size() - 1)));
      }
    }
    return Optional.empty();
  }

  /** Starts a new run: seeds the generator and moves checkpoints of earlier runs aside. */
  void startFresh() {
    generator.reseed(0, stream.epoch(), stream.batchInEpoch());
    if (s.checkpoints() != null) {
      LaterCheckpoints.setAside(s.checkpoints(), 0, s.fineTuneFrom());
    }
  }

  /**
   * Takes up a checkpoint: checks that it belongs to this run, then restores every part. The
   * generator's replay waits for {@link #replayGenerator()}, once the replicas exist.
   *
   * @param file the checkpoint
   * @return the iteration it was written at
   * @throws IllegalArgumentException if it is unreadable or was written by another run
   */
  long restore(Path file) {
    Checkpoint c = readResumed(file);
    checkSameRun(c, file);
    OptimizerStates.check(optimizer, c.optimizerType(), file);
    ParameterValues.load(block, c, true, file);
    restoreDataProperties(c, file);
    OptimizerStates.restore(optimizer, c.optimizer(), file);
    long iteration = c.iteration();
    stream.seek(c.epoch(), c.batchInEpoch());
    Map<String, Double> sc = c.scalars();
    evaluation.restore(sc);
    step.restoreSkipped(sc.getOrDefault("skipped", 0.0).longValue());
    if (plateau != null) {
      Map<String, Double> state = new LinkedHashMap<>();
      sc.forEach(
          (k, v) -> {
            if (k.startsWith("schedule.")) {
              state.put(k.substring("schedule.".length()), v);
            }
          });
      plateau.restore(state);
    }
    meters.restore(c.meters());
    callbacks.restore(c.callbacks());
    log.restore(c);
    pendingReplay =
        () ->
            generator.resume(
                sc,
                timetable.seedingRule(),
                iteration,
                timetable.seeds(iteration),
                stream,
                step::replayForward);
    if (s.checkpoints() != null) {
      // first, so that a best.rkc of another timeline is not taken for this run's best
      LaterCheckpoints.setAside(s.checkpoints(), iteration, file);
    }
    long bestIteration = evaluation.bestIteration();
    Optional<Path> best = bestIteration >= 0 ? bestFile(file, bestIteration) : Optional.empty();
    if (best.isPresent()) {
      evaluation.restoreBestWeights(Checkpoint.read(best.get()), step.names());
      bestCheckpoint = best.get();
    } else if (bestIteration >= 0) {
      LOG.warn(
          "the parameters of the best validation (iteration {}) are in no checkpoint next to {};"
              + " the test at the end and restoreBest use later ones unless validation improves",
          bestIteration,
          file);
    }
    // said through the progress listener, which quiet() silences, not on stderr
    LOG.debug("resumed from {} at iteration {}", file, iteration);
    resumedFrom = file;
    return iteration;
  }

  /**
   * Replays the forward passes since the resumed checkpoint's seeding point (see {@link
   * GeneratorReplay}); nothing when the run did not resume.
   */
  void replayGenerator() {
    if (pendingReplay != null) {
      pendingReplay.run();
      pendingReplay = null;
    }
  }

  private void checkSameRun(Checkpoint c, Path file) {
    if (c.seed() != s.seed() || c.batchSize() != batchSize) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " was written by a run with seed "
              + c.seed()
              + " and batch size "
              + c.batchSize()
              + "; this run has seed "
              + s.seed()
              + " and batch size "
              + batchSize
              + ". Resume needs the same (use fineTune(...) to start a new run from its weights)");
    }
    // the data position and the replay of the generator hold only for the same data and grouping
    long rows = c.scalars().getOrDefault("train.rows", (double) s.train().size()).longValue();
    int acc = c.scalars().getOrDefault("accumulate", (double) s.accumulate()).intValue();
    if (rows != s.train().size() || acc != s.accumulate()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " was written by a run with "
              + rows
              + " training rows and accumulate "
              + acc
              + "; this run has "
              + s.train().size()
              + " and "
              + s.accumulate()
              + ". Resume needs the same (use fineTune(...) to start a new run from its weights)");
    }
    if (c.iteration() > timetable.total()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " is at iteration "
              + c.iteration()
              + ", past this run's "
              + timetable.total()
              + " iterations");
    }
  }

  /**
   * Reads the checkpoint to resume from. resume() takes the newest one unasked, so when that one is
   * unreadable the message names the one before it: the run can go on from there once the newest is
   * moved out of the folder.
   */
  private Checkpoint readResumed(Path file) {
    try {
      return Checkpoint.read(file);
    } catch (IllegalArgumentException e) {
      if (s.resumeFrom() != null) {
        throw e;
      }
      List<Long> saved = Checkpoints.periodic(s.checkpoints().directory());
      String hint =
          saved.size() < 2
              ? "; it is the only checkpoint in "
                  + s.checkpoints().directory()
                  + ", so there is none older to resume from"
              : "; it is the newest in "
                  + s.checkpoints().directory()
                  + ", which resume takes: move it out of that folder to resume from the one"
                  + " before, "
                  + s.checkpoints().fileAt(saved.get(saved.size() - 2)).getFileName();
      throw new IllegalArgumentException(e.getMessage() + hint, e);
    }
  }

  /**
   * Finds a checkpoint holding the best validation's parameters: {@code best.rkc} or the periodic
   * checkpoint of that iteration, in this run's folder or next to the resumed file. Each is checked
   * for that iteration, since a {@code best.rkc} written after the resumed checkpoint (by the run
   * that went on from it) holds other parameters.
   */
  private Optional<Path> bestFile(Path resumed, long bestIteration) {
    List<Path> folders = new ArrayList<>();
    if (s.checkpoints() != null) {
      folders.add(s.checkpoints().directory().toAbsolutePath().normalize());
    }
    Path own = resumed.toAbsolutePath().normalize().getParent();
    if (own != null && !folders.contains(own)) {
      folders.add(own);
    }
    for (Path folder : folders) {
      Path periodic = Checkpoints.to(folder).fileAt(bestIteration);
      for (Path f : List.of(folder.resolve(Checkpoints.BEST), periodic)) {
        try {
          if (Files.exists(f) && Checkpoint.read(f).iteration() == bestIteration) {
            return Optional.of(f);
          }
        } catch (RuntimeException e) {
          LOG.warn("cannot read {} while looking for the best parameters: {}", f, e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- while training

  /**
   * Seeds MXNet's generator after an iteration the timetable marks (see {@link Timetable#seeds}).
   */
  void seedGenerator(long iteration) {
    generator.reseed(iteration, stream.epoch(), stream.batchInEpoch());
  }

  /**
   * Writes the checkpoint of an iteration, tells the callbacks, and prunes older ones; writes
   * nothing, and stops the run, when the parameters are no longer finite.
   */
  void write(long iteration, CheckpointKind kind) {
    lastCheckpoint = iteration;
    if (!step.parametersFinite()) {
      stopping.request(
          StopReason.NON_FINITE,
          "model parameters became NaN or infinite by iteration "
              + iteration
              + "; no checkpoint written, the last good one is kept");
      return;
    }
    Checkpoints c = s.checkpoints();
    Path file = c.fileAt(iteration);
    snapshot(iteration).write(file);
    callbacks.onCheckpoint(context, file, kind);
    prune(c);
  }

  /** Writes {@code best.rkc} after a validation that improved. */
  void writeBest(long iteration) {
    Path file = s.checkpoints().directory().resolve(Checkpoints.BEST);
    snapshot(iteration).write(file);
    bestCheckpoint = file;
    callbacks.onCheckpoint(context, file, CheckpointKind.BEST);
  }

  /** Tells whether the last checkpoint was written after this iteration. */
  boolean wroteAt(long iteration) {
    return lastCheckpoint == iteration;
  }

  /** Returns the checkpoint of the best validation, or null when none was written or found. */
  Path bestCheckpoint() {
    return bestCheckpoint;
  }

  /** Returns the checkpoint the run resumed from, or null for a fresh run. */
  Path resumedFrom() {
    return resumedFrom;
  }

  private void prune(Checkpoints c) {
    // listed checkpoints are kept besides the newest keepLast, not counted among them
    List<Long> saved = new ArrayList<>(Checkpoints.periodic(c.directory()));
    saved.removeIf(timetable.savePoints()::contains);
    for (int i = 0; i < saved.size() - c.keepLast(); i++) {
      long it = saved.get(i);
      if (c.keepEvery() > 0 && it % c.keepEvery() == 0) {
        continue;
      }
      if (bestCheckpoint != null
          && c.fileAt(it)
              .toAbsolutePath()
              .normalize()
              .equals(bestCheckpoint.toAbsolutePath().normalize())) {
        // a resumed run's best found in a periodic checkpoint (no best.rkc of its iteration)
        continue;
      }
      try {
        Files.deleteIfExists(c.fileAt(it));
      } catch (IOException e) {
        LOG.warn("cannot delete old checkpoint {}: {}", c.fileAt(it), e.getMessage());
      }
    }
  }

  private Checkpoint snapshot(long iteration) {
    Map<String, Double> scalars = new LinkedHashMap<>();
    evaluation.save(scalars);
    scalars.put("skipped", (double) step.skipped());
    log.save(scalars);
    scalars.put("train.rows", (double) s.train().size());
    scalars.put("accumulate", (double) s.accumulate());
    generator.save(
        scalars, iteration, timetable.seeds(iteration), stream.epoch(), stream.batchInEpoch());
    scalars.putAll(timetable.seedingRule());
    if (plateau != null) {
      plateau.state().forEach((k, v) -> scalars.put("schedule." + k, v));
    }
    OptimizerStates.Encoded opt = OptimizerStates.export(optimizer);
    return new Checkpoint(
        iteration,
        log.elapsed(),
        s.seed(),
        batchSize,
        stream.epoch(),
        stream.batchInEpoch(),
        ParameterValues.of(block),
        opt.type(),
        opt.bytes(),
        scalars,
        meters.save(),
        callbacks.save(),
        log.rows(),
        dataProperties(s.model().getProperties()));
  }

  /**
   * Returns what RunKit keeps of the data among a model's properties (its task, class names and
   * normalisers of features and regression targets, which predictions from a checkpoint need).
   */
  private static Map<String, String> dataProperties(Map<String, String> all) {
    Map<String, String> kept = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith(DATA_PROPERTIES)) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  /**
   * Gives the model the data properties a checkpoint kept when it has none (plain DJL datasets); a
   * run that describes its data must describe the same (other classes or another normaliser cannot
   * resume).
   */
  private void restoreDataProperties(Checkpoint c, Path file) {
    Map<String, String> own = dataProperties(s.model().getProperties());
    if (own.isEmpty()) {
      c.properties().forEach(s.model()::setProperty);
      return;
    }
    Map<String, String> saved = dataProperties(c.properties());
    if (saved.isEmpty()) {
      // written before checkpoints kept them, or by a run given plain DJL datasets
      return;
    }
    Set<String> keys = new TreeSet<>(own.keySet());
    keys.addAll(saved.keySet());
    for (String key : keys) {
      String there = saved.get(key);
      String here = own.get(key);
      if (!Objects.equals(there, here)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + file
                + " was written by a run on other data: its "
                + key
                + " is "
                + (there == null ? "not set" : there)
                + ", this run's "
                + (here == null ? "not set" : here)
                + ". Resume needs the same (use fineTune(...) to start a new run from its"
                + " weights)");
      }
    }
  }
}
