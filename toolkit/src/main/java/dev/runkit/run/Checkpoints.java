package dev.runkit.run;

import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where and when a run writes checkpoints, and which it keeps. Immutable; each setter returns new
 * settings and checks its value at once.
 *
 * <pre>{@code
 * Checkpoints.to(Path.of("runs/digits")).every(500).keepLast(3).keepEvery(2_000)
 * Checkpoints.to(Path.of("runs/co2")).atEpochs(10, 50, 100)   // BasicTS CKPT_SAVE_STRATEGY: [10, 50, 100]
 * }</pre>
 *
 * <p>Files are {@code ckpt-000000500.rkc} (one per saved iteration) and {@code best.rkc} (the best
 * validation so far); each is written atomically (temporary file, fsync, rename) with a checksum,
 * so a crash never leaves a half-written checkpoint in place of a good one. A fresh run moves the
 * checkpoints already in the folder to its sub-folder {@code superseded-0}, so two runs never mix.
 *
 * <p>Resuming is exact from any checkpoint, for dropout models too: MXNet's random generator cannot
 * be saved, so the runner seeds it from (seed, iteration) at the start, at every scheduled
 * checkpoint and at every scheduled validation, and resuming from a checkpoint written in between
 * (a requested stop, the end of a run) seeds at the last such point and replays the training
 * forward passes since then, at most one checkpoint or validation interval of them (from the start
 * when there is neither).
 *
 * @param directory the folder holding the checkpoints
 * @param every write every this many iterations (0: only at validation and the end)
 * @param atValidation write after every validation
 * @param keepLast keep the newest this many periodic checkpoints
 * @param keepEvery also keep those whose iteration is a multiple of this (0: none)
 * @param keepBest keep {@code best.rkc}
 * @param at also write at these iterations, and keep those (ascending)
 * @param atEpochs also write at the end of these passes over the training data, and keep those
 *     (ascending; the iteration of the end of pass {@code e} is {@code e * batchesPerPass /
 *     accumulate}, as for {@code epochs(n)})
 */
public record Checkpoints(
    Path directory,
    long every,
    boolean atValidation,
    int keepLast,
    long keepEvery,
    boolean keepBest,
    List<Long> at,
    List<Long> atEpochs) {

  /** The file name of the best checkpoint. */
  public static final String BEST = "best.rkc";

  private static final Pattern PERIODIC = Pattern.compile("ckpt-(\\d+)\\.rkc");

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for negative intervals, keepLast below 1, or a list of points
   *     that is not ascending or holds a value below 1
   */
  public Checkpoints {
    at = points("at", at);
    atEpochs = points("atEpochs", atEpochs);
    Objects.requireNonNull(directory, "directory");
    if (every < 0) {
      throw new IllegalArgumentException("checkpoints.every must be >= 0, got " + every);
    }
    if (keepLast < 1) {
      throw new IllegalArgumentException("checkpoints.keepLast must be >= 1, got " + keepLast);
    }
    if (keepEvery < 0) {
      throw new IllegalArgumentException("checkpoints.keepEvery must be >= 0, got " + keepEvery);
    }
  }

  /**
   * Writes checkpoints to a folder at each validation and at the end, keeping the last 3 and the
   * best.
   *
   * @param directory the folder (created when needed)
   * @return the settings
   */
  public static Checkpoints to(Path directory) {
    return new Checkpoints(directory, 0, true, 3, 0, true, List.of(), List.of());
  }

  private static List<Long> points(String what, List<Long> given) {
    Objects.requireNonNull(given, what);
    for (int i = 0; i < given.size(); i++) {
      long v = given.get(i);
      if (v < 1 || (i > 0 && v <= given.get(i - 1))) {
        throw new IllegalArgumentException(
            "checkpoints."
                + what
                + " must be ascending values >= 1, got "
                + given
                + " (at index "
                + i
                + ": "
                + v
                + ")");
      }
    }
    return List.copyOf(given);
  }

  private static List<Long> listOf(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }

  /**
   * Also writes a checkpoint at each of these iterations and keeps it (not pruned by {@link
   * #keepLast(int)}).
   *
   * @param iterations ascending iterations, each {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException if they are not ascending or one is below 1
   */
  public Checkpoints at(long... iterations) {
    return new Checkpoints(
        directory,
        every,
        atValidation,
        keepLast,
        keepEvery,
        keepBest,
        listOf(iterations),
        atEpochs);
  }

  /**
   * Also writes a checkpoint at the end of each of these passes over the training data and keeps
   * it: BasicTS's {@code CKPT_SAVE_STRATEGY} given as a list of epochs.
   *
   * @param epochs ascending pass numbers, each {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException if they are not ascending or one is below 1
   */
  public Checkpoints atEpochs(long... epochs) {
    return new Checkpoints(
        directory, every, atValidation, keepLast, keepEvery, keepBest, at, listOf(epochs));
  }

  /**
   * Also writes a checkpoint every {@code n} iterations.
   *
   * @param n the interval, {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException if n is below 1
   */
  public Checkpoints every(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("checkpoints.every must be >= 1, got " + n);
    }
    return new Checkpoints(directory, n, atValidation, keepLast, keepEvery, keepBest, at, atEpochs);
  }

  /**
   * Says whether to write after every validation.
   *
   * @param yes true to write
   * @return new settings
   */
  public Checkpoints atValidation(boolean yes) {
    return new Checkpoints(directory, every, yes, keepLast, keepEvery, keepBest, at, atEpochs);
  }

  /**
   * Keeps the newest {@code k} periodic checkpoints.
   *
   * @param k how many, {@code >= 1}
   * @return new settings
   */
  public Checkpoints keepLast(int k) {
    return new Checkpoints(directory, every, atValidation, k, keepEvery, keepBest, at, atEpochs);
  }

  /**
   * Also keeps every checkpoint whose iteration is a multiple of {@code m}.
   *
   * @param m the multiple, {@code >= 1}
   * @return new settings
   * @throws IllegalArgumentException if m is below 1
   */
  public Checkpoints keepEvery(long m) {
    if (m < 1) {
      throw new IllegalArgumentException("checkpoints.keepEvery must be >= 1, got " + m);
    }
    return new Checkpoints(directory, every, atValidation, keepLast, m, keepBest, at, atEpochs);
  }

  /**
   * Says whether to keep the best checkpoint as {@code best.rkc}.
   *
   * @param yes true to keep it
   * @return new settings
   */
  public Checkpoints keepBest(boolean yes) {
    return new Checkpoints(directory, every, atValidation, keepLast, keepEvery, yes, at, atEpochs);
  }

  /**
   * Returns the iterations of {@link #at} and {@link #atEpochs} for a run.
   *
   * @param batchesPerPass batches in one pass over the training data
   * @param accumulate micro-batches per iteration
   * @param total the run's iterations
   * @return the iterations, ascending
   * @throws IllegalArgumentException if one lies past the run's end
   */
  SortedSet<Long> iterations(long batchesPerPass, int accumulate, long total) {
    SortedSet<Long> out = new TreeSet<>(at);
    if (!at.isEmpty() && at.get(at.size() - 1) > total) {
      throw new IllegalArgumentException(
          "checkpoints.at " + at + " goes past the run's " + total + " iterations");
    }
    for (long epoch : atEpochs) {
      long it = Math.max(1, epoch * batchesPerPass / accumulate);
      if (it > total) {
        throw new IllegalArgumentException(
            "checkpoints.atEpochs "
                + atEpochs
                + " goes past the run's end: pass "
                + epoch
                + " ends at iteration "
                + it
                + " ("
                + batchesPerPass
                + " batches per pass"
                + (accumulate > 1 ? ", " + accumulate + " per iteration" : "")
                + "), the run has "
                + total);
      }
      out.add(it);
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /**
   * Returns the file of the periodic checkpoint at an iteration.
   *
   * @param iteration the iteration
   * @return the path
   */
  public Path fileAt(long iteration) {
    return directory.resolve(String.format("ckpt-%09d.rkc", iteration));
  }

  /**
   * Returns the iterations of the periodic checkpoints in a folder.
   *
   * @param directory the folder
   * @return the iterations, ascending; empty when the folder does not exist
   * @throws UncheckedIOException if the folder cannot be listed
   */
  public static List<Long> periodic(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(p -> PERIODIC.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + directory, e);
    }
  }

  /**
   * Loads a checkpoint's parameters into a block initialized to the same shapes (for predictions
   * from a trained run; resuming training is {@code Runner.resume(...)}).
   *
   * @param checkpoint the {@code .rkc} file
   * @param block the block, initialized
   * @return the model properties the checkpoint kept (the data's task, class names, normaliser)
   * @throws IllegalArgumentException if the file is not a readable checkpoint, or its parameters
   *     are not the block's (names, shapes or types)
   */
  public static Map<String, String> loadParameters(Path checkpoint, Block block) {
    Checkpoint c = Checkpoint.read(checkpoint);
    ParameterValues.load(block, c, true, checkpoint);
    return c.properties();
  }

  /**
   * Returns the model properties a checkpoint kept (the data's task, example shape, class names and
   * normaliser, when the run was given them).
   *
   * @param checkpoint the {@code .rkc} file
   * @return the properties, empty for a checkpoint written without
   * @throws IllegalArgumentException if the file is not a readable checkpoint
   */
  public static Map<String, String> properties(Path checkpoint) {
    return Checkpoint.read(checkpoint).properties();
  }

  /** Tells whether a file name is one that a run writes, prunes and moves in its folder. */
  static boolean isRunFileName(String name) {
    return PERIODIC.matcher(name).matches() || name.equals(BEST);
  }
}
