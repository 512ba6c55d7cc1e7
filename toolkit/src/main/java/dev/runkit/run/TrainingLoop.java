package dev.runkit.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.runkit.optim.ScheduledOptimizer;
import dev.runkit.schedule.MetricSchedule;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.tablesaw.api.Table;

/**
 * The iteration loop: draws batches from an endless seeded stream, makes one optimizer update per
 * iteration, and validates, tests, logs and checkpoints when its {@link Timetable} says. It is the
 * skeleton of a run and calls its parts by name:
 *
 * <ul>
 *   <li>{@link Preflight}: the checks of model, data and devices before the first step;
 *   <li>{@link TrainingStep}: one iteration's forward, backward, accumulation, guard, clipping and
 *       update, on one device or several ({@link Replicas});
 *   <li>{@link Evaluation}: validation and test passes, the best value, early stopping;
 *   <li>{@link RunState}: what a checkpoint holds, written, pruned, found and restored in one
 *       place;
 *   <li>{@link RunLog}: the history, the clock and the progress events.
 * </ul>
 *
 * <p>Bad input found before the first step is thrown ({@link IllegalArgumentException}); once the
 * first step has run, nothing is thrown: a failure ends the run with {@link StopReason#FAILED}.
 */
public final class TrainingLoop implements RunContext {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  private final RunSettings s;
  private final Monitor monitor;
  private final MetricSchedule plateau;
  private final Callbacks callbacks;
  private final Stopping stopping = new Stopping();

  private NDManager manager;
  private List<Device> devices;
  private BatchStream stream;
  private Timetable timetable;
  private TrainingStep step;
  private Evaluation evaluation;
  private RunLog log;
  private RunState state;

  /** The fits each block has begun, to say what a fit continues from. */
  private static final Map<Block, Integer> FITS = Collections.synchronizedMap(new WeakHashMap<>());

  private String continuing;
  // a resumed run that had finished or stopped early already
  private boolean endedBefore;
  private long iteration;
  // the last iteration whose scheduled work (validate, test, checkpoint, seed) has been done
  private long scheduledDone = -1;

  private TrainingLoop(RunSettings settings) {
    this.s = settings;
    this.monitor =
        settings.earlyStopping() != null
            ? settings.earlyStopping().monitor()
            : settings.monitor() != null ? settings.monitor() : Monitor.min("loss");
    this.plateau =
        settings.optimizer() instanceof ScheduledOptimizer so
                && so.schedule() instanceof MetricSchedule ms
            ? ms
            : null;
    this.callbacks = new Callbacks(settings.callbacks());
  }

  /**
   * Runs a fit to its end.
   *
   * @param settings what to run
   * @return how it ended, with the history
   * @throws IllegalArgumentException for bad input found before the first step
   */
  public static RunOutcome run(RunSettings settings) {
    TrainingLoop loop = new TrainingLoop(settings);
    try {
      loop.prepare();
    } catch (RuntimeException e) {
      loop.release();
      throw e;
    }
    return loop.execute();
  }

  // ---------------------------------------------------------------- preparation (may throw)

  /** Checks everything, builds the parts, and starts afresh or takes up a checkpoint. */
  private void prepare() {
    if (s.model().getBlock() == null) {
      throw new IllegalArgumentException("the model has no block; call model.setBlock(...) first");
    }
    Engine engine = s.model().getNDManager().getEngine();
    Device modelDevice = s.model().getNDManager().getDevice();
    devices = s.devices().isEmpty() ? Devices.defaults(modelDevice, engine) : s.devices();
    Device device = devices.get(0);
    manager = s.model().getNDManager().newSubManager(device);
    ParameterStore parameterStore = new ParameterStore(manager, false);
    int batchSize = Preflight.batchSize(s);
    stream = new BatchStream(s.train(), batchSize, s.seed(), manager);
    timetable = new Timetable(s, stream.batchesPerEpoch());
    boolean hadWeights = Preflight.modelFitsData(s, devices, manager, parameterStore, batchSize);

    TrainMeters meters = new TrainMeters(s.metrics(), s.gradientClip() != null, manager);
    step = new TrainingStep(s, parameterStore, device, manager, stream, meters);
    Preflight.monitorMeasured(monitor, s.metrics());
    log = new RunLog(meters, s.progress(), timetable.total(), this::lr, stopping);
    evaluation =
        new Evaluation(
            s,
            parameterStore,
            device,
            manager,
            batchSize,
            monitor,
            plateau,
            step.weights(),
            log,
            stopping);
    state =
        new RunState(
            s,
            this,
            plateau,
            batchSize,
            stream,
            timetable,
            step,
            meters,
            evaluation,
            log,
            callbacks,
            stopping);

    state.fineTune();
    Optional<Path> resume = state.resumeFile();
    if (hadWeights && resume.isEmpty() && s.fineTuneFrom() == null) {
      continuing = continuingFrom(FITS.getOrDefault(s.model().getBlock(), 0));
    }
    if (resume.isPresent()) {
      iteration = state.restore(resume.get());
      // every checkpoint is written after its iteration's scheduled work
      scheduledDone = iteration;
      endedBefore = nothingLeftToDo();
    } else {
      state.startFresh();
    }
    if (devices.size() > 1) {
      // copied last, so that the replicas start from fine-tuned or resumed parameters
      step.spreadOver(devices);
      LOG.info(
          "training on {} ({} replicas, data parallel)", Devices.names(devices), devices.size());
    } else {
      // the logger writes to stderr, which a notebook shows in every cell: one device is the
      // ordinary case and is said by RunResult.devices() and the command line's summary
      LOG.debug("training on {}", Devices.names(devices));
    }
    state.replayGenerator();
  }

  /**
   * Tells whether a resumed run has nothing left to do (it had done all its iterations, or stopped
   * early), and asks to stop saying why. Such a run trains no more and writes no checkpoint: it
   * only tests, on the best parameters, as it did when it ended.
   */
  private boolean nothingLeftToDo() {
    if (iteration == timetable.total()) {
      stopping.request(
          StopReason.COMPLETED,
          "it had finished already: all "
              + iteration
              + " iterations were done; to train on, resume with more iterations (iterations(n),"
              + " or --set TRAIN.NUM_ITERATIONS=n on the command line)");
      return true;
    }
    String early = evaluation.stoppedEarly();
    if (early != null) {
      stopping.request(StopReason.EARLY_STOPPED, early);
      return true;
    }
    return false;
  }

  /** Says where the weights of a fit that continues from the model's own come from. */
  private static String continuingFrom(int earlierFits) {
    String from =
        earlierFits == 0
            ? "the weights the model had before this fit"
            : earlierFits == 1
                ? "the weights its earlier fit left"
                : "the weights its " + earlierFits + " earlier fits left";
    return "continues from " + from + "; reinitialize() starts afresh";
  }

  // ---------------------------------------------------------------- the run (never throws)

  private RunOutcome execute() {
    Throwable error = null;
    Map<String, Double> test = Map.of();
    log.startClock(iteration);
    try {
      FITS.merge(s.model().getBlock(), 1, Integer::sum);
      callbacks.onStart(this);
      log.started(s.name(), state.resumedFrom(), iteration, continuing);
      if (!endedBefore) {
        while (iteration < timetable.total() && !stopping.requested()) {
          callbacks.onIterationStart(this);
          step.run(iteration);
          iteration++;
          callbacks.onIterationEnd(this);
          noticeInterrupt();
          afterIteration();
        }
        step.closeInFlight();
        finish();
      } else {
        evaluation.restoreBestIfAsked();
      }
      if (s.test() != null && stopping.reason() != StopReason.NON_FINITE) {
        test = evaluation.testAtEnd(iteration);
      }
    } catch (Throwable t) {
      error = t;
      stopping.request(StopReason.FAILED, t.toString());
      LOG.error("run failed at iteration {}", iteration, t);
      callbacks.onException(this, t);
    }
    if (!stopping.requested()) {
      stopping.request(StopReason.COMPLETED, iteration + " iterations done");
    }
    callbacks.onEnd(this, stopping.reason());
    // an interrupt that came while the run was stopping (a second Kernel ▸ Interrupt) is the same
    // request, consumed with it
    Thread.interrupted();
    log.ended(stopping.reason(), stopping.message());
    RunOutcome outcome =
        new RunOutcome(
            log.table(),
            stopping.reason(),
            stopping.message(),
            error,
            iteration,
            monitor,
            evaluation.bestValue(),
            evaluation.bestIteration(),
            state.bestCheckpoint(),
            test,
            step.skipped(),
            devices);
    release();
    return outcome;
  }

  /**
   * Turns an interrupt of the training thread into a stop after this iteration, like a callback's
   * request (checkpoint, report, validation). The interrupt is consumed: the run's result says it
   * ({@link StopReason#INTERRUPTED}), and the flag is not set again, since code that runs after
   * {@code fit()} in the same notebook cell (a table, a chart) would find the kernel's
   * interruptible channels closed under it.
   */
  private void noticeInterrupt() {
    if (Thread.interrupted()) {
      stopping.request(
          StopReason.INTERRUPTED,
          "interrupted after iteration "
              + iteration
              + "; Runner.lastResult() gives this result"
              + (s.checkpoints() != null ? ", resume() continues the run" : ""));
    }
  }

  /** Reports, then does the iteration's scheduled work, unless the run is to stop. */
  private void afterIteration() {
    // this iteration is queued now, so the report held one iteration ago can be read without
    // leaving the engine idle
    log.complete();
    if (timetable.logs(iteration)) {
      log.hold(iteration);
    }
    if (timetable.waits(iteration) || stopping.requested()) {
      // these wait for the device anyway; the report comes first so the history keeps its order
      log.complete();
    }
    if (stopping.requested()) {
      // finish() does this iteration's scheduled work
      return;
    }
    scheduledWork();
  }

  /** Validates, tests, checkpoints and seeds the generator where the timetable says. */
  private void scheduledWork() {
    scheduledDone = iteration;
    if (timetable.validates(iteration)) {
      validate(true);
    }
    if (timetable.tests(iteration)) {
      evaluation.test(iteration);
    }
    if (timetable.checkpoints(iteration)) {
      checkpoint(CheckpointKind.PERIODIC);
    }
    if (timetable.seeds(iteration)) {
      state.seedGenerator(iteration);
    }
  }

  /**
   * Validates; a scheduled validation that improved writes {@code best.rkc}. An unscheduled one (at
   * a stop between scheduled points) is only reported (see {@link Evaluation#validateForReport}).
   */
  private void validate(boolean scheduled) {
    Evaluation.Validation v =
        scheduled ? evaluation.validate(iteration) : evaluation.validateForReport(iteration);
    callbacks.onValidationEnd(this, v.values());
    if (v.improved()
        && s.checkpoints() != null
        && s.checkpoints().keepBest()
        && step.parametersFinite()) {
      state.writeBest(iteration);
    }
  }

  private void checkpoint(CheckpointKind kind) {
    log.complete();
    state.write(iteration, kind);
  }

  /**
   * Ends the run. A run stopped between its scheduled points writes its last checkpoint before the
   * extra training report and validation it makes for the user: the checkpoint then holds what the
   * uninterrupted run held there (meters, best value, early-stopping count, history), so resuming
   * from it is exact, and the extra validation is only reported (it moves neither the best
   * parameters nor early stopping nor a plateau schedule).
   */
  private void finish() {
    log.complete();
    if (stopping.reason() == StopReason.NON_FINITE) {
      return;
    }
    boolean finite = step.parametersFinite();
    if (finite) {
      if (scheduledDone != iteration) {
        // a stop in this iteration cut its scheduled work short
        scheduledWork();
      }
      if (s.checkpoints() != null && !state.wroteAt(iteration)) {
        checkpoint(CheckpointKind.FINAL);
      }
    }
    if (!log.reportedThrough(iteration)) {
      log.hold(iteration);
      log.complete();
    }
    if (!finite) {
      stopping.request(
          StopReason.NON_FINITE,
          "model parameters became NaN or infinite by iteration " + iteration + " (loss finite)");
    }
    if (stopping.reason() == StopReason.NON_FINITE) {
      return;
    }
    if (finite && s.validation() != null && !evaluation.validatedAt(iteration)) {
      validate(false);
    }
    evaluation.restoreBestIfAsked();
  }

  private void release() {
    if (step != null) {
      step.closeInFlight();
    }
    if (stream != null) {
      stream.close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  // ---------------------------------------------------------------- RunContext

  @Override
  public long iteration() {
    return iteration;
  }

  @Override
  public long totalIterations() {
    return timetable.total();
  }

  @Override
  public double lr() {
    if (s.optimizer() instanceof ScheduledOptimizer so) {
      return so.schedule().lr(Math.max(0, iteration - step.skipped() - 1));
    }
    return Double.NaN;
  }

  @Override
  public Map<String, Double> latest() {
    return log.latest();
  }

  @Override
  public Table history() {
    return log.table();
  }

  @Override
  public void requestStop(String reason) {
    stopping.request(StopReason.REQUESTED, reason);
  }
}
