package dev.runkit.bench;

import dev.runkit.config.RunConfig;
import dev.runkit.sweep.Observation;
import dev.runkit.sweep.Sampler;
import dev.runkit.sweep.Samplers;
import dev.runkit.sweep.Space;
import dev.runkit.sweep.Sweep;
import dev.runkit.sweep.SweepResult;
import dev.runkit.sweep.TrialExecutor;
import dev.runkit.sweep.TrialExecutors;
import dev.runkit.sweep.TrialResult;
import dev.runkit.sweep.TrialSchedulers;
import dev.runkit.sweep.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * What sweeps gain, on the bundled digits (MLP, AdamW, cosine schedule, 70/30 split), three parts:
 *
 * <ul>
 *   <li>{@code workers [trials] [rounds] [iterations] [workers]} (defaults 12, 3, 200, 2): trials
 *       per hour of a random sweep of short trials run one after another in this process and on
 *       local worker processes (one pool, started and warmed before the rounds), the two alternated
 *       round by round, beside the ceiling the machine allows: {@code min(workers, cores / c)}, c
 *       the CPU seconds one trial uses per second of its own work while this process trains one
 *       trial after another: its CPU time ({@code ProcessHandle.info().totalCpuDuration()}, from
 *       {@code /proc/self/stat}) over that of its busiest thread (from {@code
 *       /proc/self/task/TID/stat}), which is the CPU time over the wall time on a quiet machine and
 *       stays right on a busy one (both are printed); also the CPU the workers used per wall
 *       second;
 *   <li>{@code asha [seeds] [iterations] [first-rungs]} (defaults 1, 600, 1/27 of the run rounded
 *       up): a 27-trial random sweep with and without ASHA (eta 3, each first rung of the
 *       comma-separated list), per sweep seed: the best validation accuracy of each and the
 *       training iterations each used;
 *   <li>{@code tpe [seeds] [trials] [digits-trials] [iterations]} (defaults 10, 30, 20, 100): TPE
 *       (Optuna's defaults) against random sampling, best-after-N averaged over the seeds, on a
 *       synthetic objective (Branin, no training) and on short digits trials.
 * </ul>
 *
 * <p>Run as in BENCHMARKS.md, section Sweeps: {@code java -cp CLASSPATH
 * dev.runkit.bench.SweepBenchmark PART [ARGS...]}.
 */
public final class SweepBenchmark {

  private SweepBenchmark() {}

  /**
   * Runs one part.
   *
   * @param args the part and its sizes
   * @throws IOException if a temporary folder cannot be made
   */
  public static void main(String[] args) throws IOException {
    String part = args.length > 0 ? args[0] : "workers";
    switch (part) {
      case "workers" ->
          workers(arg(args, 1, 12), arg(args, 2, 3), arg(args, 3, 200), arg(args, 4, 2));
      case "asha" -> {
        int iterations = arg(args, 2, 600);
        // rounded up: rounded down, 22 * 27 = 594 is a rung of its own just below 600, so a
        // fourth rung stands between the trials and the end
        String rungs = args.length > 3 ? args[3] : Integer.toString((iterations + 26) / 27);
        asha(
            arg(args, 1, 1), iterations, Stream.of(rungs.split(",")).map(Long::parseLong).toList());
      }
      case "tpe" -> tpe(arg(args, 1, 10), arg(args, 2, 30), arg(args, 3, 20), arg(args, 4, 100));
      default -> throw new IllegalArgumentException("part: workers, asha or tpe, got " + part);
    }
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  /**
   * The digits run of every part: MLP, AdamW, cosine, validation ten times, no checkpoints but the
   * end.
   */
  static RunConfig digits(Path runDir, int iterations) {
    int every = Math.max(1, iterations / 10);
    return RunConfig.parse(
        String.format(
            Locale.ROOT,
            """
            ENV: {SEED: 42}
            MODEL: {NAME: MLP, PARAM: {hidden: [64], activation: relu}}
            DATA: {NAME: digits, PARAM: {train_val_test_ratio: [0.7, 0.3, 0.0]}, BATCH_SIZE: 32}
            METRICS: [accuracy]
            TRAIN:
              NUM_ITERATIONS: %d
              OPTIM: {TYPE: AdamW, PARAM: {lr: 0.003, weight_decay: 0.01}}
              LR_SCHEDULER: {TYPE: cosine, PARAM: {num_warmup_steps: %d, num_training_steps: %d}}
              LOG_INTERVAL: %d
              CKPT_SAVE_STRATEGY: %d
            VAL: {INTERVAL: %d, MONITOR: accuracy}
            RUN_DIR: %s
            """,
            iterations,
            every,
            iterations,
            every,
            iterations,
            every,
            runDir));
  }

  private static Path temp() throws IOException {
    return Files.createTempDirectory("sweep-bench");
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }

  private static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
  }

  private static double childrenCpuSeconds() {
    return ProcessHandle.current().children().mapToDouble(SweepBenchmark::cpuSeconds).sum();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The best trial's objective; a sweep without one is a broken benchmark, shown whole. */
  private static double best(SweepResult r) {
    return r.bestIfAny()
        .orElseThrow(
            () -> new IllegalStateException("no trial completed:\n" + r.table().printAll()))
        .result()
        .objective();
  }

  // ------------------------------------------------------------------------------ workers

  private static Sweep throughputSweep(RunConfig base, Path dir, int trials, long seed) {
    return Sweep.of(base)
        .space(
            Space.of()
                .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-3, 3e-2)
                .choice("MODEL.PARAM.hidden", List.of(32), List.of(64)))
        .maximize("validation/accuracy")
        .trials(trials)
        .seed(seed)
        .sampler(Samplers.random())
        .scheduler(TrialSchedulers.fifo())
        .directory(dir);
  }

  /**
   * One timed sweep: wall seconds, this process's CPU seconds, its busiest thread's CPU seconds
   * (NaN where {@code /proc/self/task} is missing), its children's CPU seconds.
   */
  private record Timed(double wall, double cpu, double busiestThread, double childrenCpu) {}

  private static Timed timed(Sweep sweep) {
    double cpu0 = cpuSeconds(ProcessHandle.current());
    double child0 = childrenCpuSeconds();
    Map<String, Long> threads0 = threadTicks();
    long t0 = System.nanoTime();
    SweepResult r = sweep.fit();
    double wall = (System.nanoTime() - t0) / 1e9;
    if (r.results().stream().anyMatch(x -> x.status() != TrialStatus.COMPLETED)) {
      throw new IllegalStateException("a trial did not complete: " + r.table().printAll());
    }
    double cpu = cpuSeconds(ProcessHandle.current()) - cpu0;
    long busiest = -1;
    for (Map.Entry<String, Long> e : threadTicks().entrySet()) {
      busiest = Math.max(busiest, e.getValue() - threads0.getOrDefault(e.getKey(), 0L));
    }
    return new Timed(
        wall, cpu, busiest < 0 ? Double.NaN : busiest / 100.0, childrenCpuSeconds() - child0);
  }

  /**
   * CPU clock ticks (user and system, 1/100 s on Linux) of each thread of this process, native ones
   * (MXNet's engine) included, from {@code /proc/self/task/TID/stat}; empty elsewhere.
   */
  static Map<String, Long> threadTicks() {
    Map<String, Long> out = new java.util.HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> ids = Files.list(tasks)) {
      for (Path task : ids.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(task.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  static void workers(int trials, int rounds, int iterations, int workers) throws IOException {
    Path tmp = temp();
    int cores = Runtime.getRuntime().availableProcessors();
    RunConfig base = digits(tmp.resolve("base"), iterations);
    System.out.printf(
        Locale.ROOT,
        "%d trials of %d iterations per sweep, %d workers, %d cores, %d rounds%n",
        trials,
        iterations,
        workers,
        cores,
        rounds);
    List<Double> ratios = new ArrayList<>();
    List<Double> ofCeiling = new ArrayList<>();
    List<Double> ofQuietCeiling = new ArrayList<>();
    try (TrialExecutor pool = TrialExecutors.workers(workers)) {
      // warm-up: MXNet loaded and the JIT warm here, the workers started and warm
      timed(throughputSweep(base, tmp.resolve("warm-here"), 2, 99));
      timed(throughputSweep(base, tmp.resolve("warm-pool"), 2 * workers, 99).executor(pool));
      System.out.println(
          "round | one after another: trials/h, CPU s per wall s, CPU s per busiest-thread s |"
              + " workers: trials/h, CPU s per wall s (all processes, this one) | ratio | ceiling"
              + " (busiest thread, CPU per wall) | ratio / ceiling (both)");
      for (int round = 0; round < rounds; round++) {
        Timed here = null;
        Timed pooled = null;
        for (int k = 0; k < 2; k++) {
          boolean inProcess = (round + k) % 2 == 0; // alternate which goes first
          Path dir = tmp.resolve((inProcess ? "here-" : "pool-") + round);
          if (inProcess) {
            here = timed(throughputSweep(base, dir, trials, round));
          } else {
            pooled = timed(throughputSweep(base, dir, trials, round).executor(pool));
          }
          delete(dir);
        }
        double perHourHere = trials / here.wall() * 3600;
        double perHourPool = trials / pooled.wall() * 3600;
        double cpuPerWall = here.cpu() / here.wall();
        // a trial's own demand: on a busy machine its wall time stretches, but its busiest thread
        // (MXNet's compute thread) still does the trial's serial work
        double demand =
            Double.isNaN(here.busiestThread()) ? cpuPerWall : here.cpu() / here.busiestThread();
        double ceiling = Math.min(workers, cores / demand);
        // the ceiling: cores over the CPU seconds per second of the trials alone
        double quietCeiling = Math.min(workers, cores / cpuPerWall);
        double ratio = perHourPool / perHourHere;
        ratios.add(ratio);
        ofCeiling.add(ratio / ceiling);
        ofQuietCeiling.add(ratio / quietCeiling);
        System.out.printf(
            Locale.ROOT,
            "%d | %.0f, %.2f, %.2f | %.0f, %.2f, %.2f | %.2f | %.2f, %.2f | %.0f%%, %.0f%%%n",
            round,
            perHourHere,
            cpuPerWall,
            demand,
            perHourPool,
            (pooled.cpu() + pooled.childrenCpu()) / pooled.wall(),
            pooled.cpu() / pooled.wall(),
            ratio,
            ceiling,
            quietCeiling,
            100 * ratio / ceiling,
            100 * ratio / quietCeiling);
      }
    } finally {
      delete(tmp);
    }
    System.out.printf(
        Locale.ROOT,
        "median ratio %.2f, median ratio / ceiling %.0f%% (busiest thread), %.0f%% (CPU per wall)%n",
        median(ratios),
        100 * median(ofCeiling),
        100 * median(ofQuietCeiling));
  }

  // ------------------------------------------------------------------------------ asha

  static void asha(int seeds, int iterations, List<Long> firstRungs) throws IOException {
    Path tmp = temp();
    RunConfig base = digits(tmp.resolve("base"), iterations);
    Space space =
        Space.of()
            .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-4, 1e-1)
            .uniform("TRAIN.OPTIM.PARAM.weight_decay", 0, 0.1)
            .choice("MODEL.PARAM.hidden", List.of(32), List.of(64), List.of(128), List.of(128, 64));
    System.out.printf(
        Locale.ROOT,
        "27 trials of %d iterations, random sampler; ASHA eta 3, first rung %s%n"
            + "seed | random: best, iterations, s | first rung | ASHA: best, iterations, s |"
            + " difference (pp) | iterations ASHA / random%n",
        iterations,
        firstRungs);
    try {
      for (int seed = 0; seed < seeds; seed++) {
        long t0 = System.nanoTime();
        SweepResult full =
            Sweep.of(base)
                .space(space)
                .maximize("validation/accuracy")
                .trials(27)
                .seed(seed)
                .sampler(Samplers.random())
                .directory(tmp.resolve("random-" + seed))
                .fit();
        double fullSeconds = (System.nanoTime() - t0) / 1e9;
        double bestFull = best(full);
        long itFull = full.results().stream().mapToLong(TrialResult::iterations).sum();
        delete(tmp.resolve("random-" + seed));
        for (long rung : firstRungs) {
          Path dir = tmp.resolve("asha-" + seed + "-" + rung);
          t0 = System.nanoTime();
          SweepResult asha =
              Sweep.of(base)
                  .space(space)
                  .maximize("validation/accuracy")
                  .trials(27)
                  .seed(seed)
                  .sampler(Samplers.random())
                  .scheduler(TrialSchedulers.asha().minIterations(rung).reductionFactor(3))
                  .directory(dir)
                  .fit();
          double ashaSeconds = (System.nanoTime() - t0) / 1e9;
          double bestAsha = best(asha);
          long itAsha = asha.results().stream().mapToLong(TrialResult::iterations).sum();
          System.out.printf(
              Locale.ROOT,
              "%d | %.4f, %d, %.0f | %d | %.4f, %d, %.0f | %+.2f | %.2f%n",
              seed,
              bestFull,
              itFull,
              fullSeconds,
              rung,
              bestAsha,
              itAsha,
              ashaSeconds,
              100 * (bestAsha - bestFull),
              (double) itAsha / itFull);
          delete(dir);
        }
      }
    } finally {
      delete(tmp);
    }
  }

  // ------------------------------------------------------------------------------ tpe

  /** Branin-Hoo on [-5, 10] x [0, 15]; its minimum is 0.397887. */
  static double branin(Map<String, Object> p) {
    double x = ((Number) p.get("x")).doubleValue();
    double y = ((Number) p.get("y")).doubleValue();
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return Math.pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.cos(x) + 10;
  }

  /** The best loss after each trial of a sampler on a function, no training. */
  static double[] bestSoFar(
      Sampler sampler, Space space, ToDoubleFunction<Map<String, Object>> f, int n, long seed) {
    List<Observation> seen = new ArrayList<>();
    double[] best = new double[n];
    double b = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      Map<String, Object> p = sampler.sample(space, i, seen, seed);
      double loss = f.applyAsDouble(p);
      seen.add(new Observation(i, p, TrialStatus.COMPLETED, loss, 1));
      b = Math.min(b, loss);
      best[i] = b;
    }
    return best;
  }

  static void tpe(int seeds, int trials, int digitsTrials, int iterations) throws IOException {
    Space branin = Space.of().uniform("x", -5, 10).uniform("y", 0, 15);
    double[] tpeMean = new double[trials];
    double[] randomMean = new double[trials];
    int wins = 0;
    for (int seed = 0; seed < seeds; seed++) {
      double[] t = bestSoFar(Samplers.tpe(), branin, SweepBenchmark::branin, trials, seed);
      double[] r = bestSoFar(Samplers.random(), branin, SweepBenchmark::branin, trials, seed);
      for (int i = 0; i < trials; i++) {
        tpeMean[i] += t[i] / seeds;
        randomMean[i] += r[i] / seeds;
      }
      wins += t[trials - 1] < r[trials - 1] ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "Branin (minimum 0.3979), %d seeds: best after N trials, mean over seeds%n"
            + "N | TPE | random%n",
        seeds);
    for (int n : new int[] {10, trials / 2, trials}) {
      if (n >= 1 && n <= trials) {
        System.out.printf(Locale.ROOT, "%d | %.4f | %.4f%n", n, tpeMean[n - 1], randomMean[n - 1]);
      }
    }
    System.out.printf(
        Locale.ROOT, "TPE better after %d trials in %d of %d seeds%n", trials, wins, seeds);
    if (digitsTrials <= 0) {
      return;
    }

    Path tmp = temp();
    RunConfig base = digits(tmp.resolve("base"), iterations);
    Space space =
        Space.of()
            .loguniform("TRAIN.OPTIM.PARAM.lr", 1e-4, 1e-1)
            .uniform("TRAIN.OPTIM.PARAM.weight_decay", 0, 0.1)
            .choice("MODEL.PARAM.hidden", List.of(16), List.of(32), List.of(64));
    double tpeSum = 0;
    double randomSum = 0;
    int digitsWins = 0;
    System.out.printf(
        Locale.ROOT,
        "digits, %d trials of %d iterations, %d seeds: best validation accuracy after %d trials%n"
            + "seed | TPE | random%n",
        digitsTrials,
        iterations,
        seeds,
        digitsTrials);
    try {
      for (int seed = 0; seed < seeds; seed++) {
        double[] best = new double[2];
        for (int k = 0; k < 2; k++) {
          boolean useTpe = (seed + k) % 2 == 0;
          Path dir = tmp.resolve((useTpe ? "tpe-" : "random-") + seed);
          SweepResult r =
              Sweep.of(base)
                  .space(space)
                  .maximize("validation/accuracy")
                  .trials(digitsTrials)
                  .seed(seed)
                  .sampler(useTpe ? Samplers.tpe() : Samplers.random())
                  .directory(dir)
                  .fit();
          best[useTpe ? 0 : 1] = best(r);
          delete(dir);
        }
        tpeSum += best[0];
        randomSum += best[1];
        digitsWins += best[0] > best[1] ? 1 : 0;
        System.out.printf(Locale.ROOT, "%d | %.4f | %.4f%n", seed, best[0], best[1]);
      }
    } finally {
      delete(tmp);
    }
    System.out.printf(
        Locale.ROOT,
        "mean | %.4f | %.4f (TPE better in %d of %d seeds)%n",
        tpeSum / seeds,
        randomSum / seeds,
        digitsWins,
        seeds);
  }
}
