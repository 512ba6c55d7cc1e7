package dev.runkit.run;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and when a run writes checkpoints, and which it keeps. Immutable; each setter returns new
 * settings and checks its value at once.
 *
 * <pre>{@code
 * Checkpoints.to(Path.of("runs/digits")).every(500).keepLast(3).keepEvery(2_000)
 * }</pre>
 *
 * <p>Files are {@code ckpt-000000500.rkc} (one per saved iteration) and {@code best.rkc} (the best
 * validation so far); each is written atomically (temporary file, fsync, rename) with a checksum,
 * so a crash never leaves a half-written checkpoint in place of a good one.
 *
 * @param directory the folder holding the checkpoints
 * @param every write every this many iterations (0: only at validation and the end)
 * @param atValidation write after every validation
 * @param keepLast keep the newest this many periodic checkpoints
 * @param keepEvery also keep those whose iteration is a multiple of this (0: none)
 * @param keepBest keep {@code best.rkc}
 */
public record Checkpoints(
    Path directory,
    long every,
    boolean atValidation,
    int keepLast,
    long keepEvery,
    boolean keepBest) {

  /** The file name of the best checkpoint. */
  public static final String BEST = "best.rkc";

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for negative intervals or keepLast below 1
   */
  public Checkpoints {
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
    return new Checkpoints(directory, 0, true, 3, 0, true);
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
    return new Checkpoints(directory, n, atValidation, keepLast, keepEvery, keepBest);
  }

  /**
   * Says whether to write after every validation.
   *
   * @param yes true to write
   * @return new settings
   */
  public Checkpoints atValidation(boolean yes) {
    return new Checkpoints(directory, every, yes, keepLast, keepEvery, keepBest);
  }

  /**
   * Keeps the newest {@code k} periodic checkpoints.
   *
   * @param k how many, {@code >= 1}
   * @return new settings
   */
  public Checkpoints keepLast(int k) {
    return new Checkpoints(directory, every, atValidation, k, keepEvery, keepBest);
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
    return new Checkpoints(directory, every, atValidation, keepLast, m, keepBest);
  }

  /**
   * Says whether to keep the best checkpoint as {@code best.rkc}.
   *
   * @param yes true to keep it
   * @return new settings
   */
  public Checkpoints keepBest(boolean yes) {
    return new Checkpoints(directory, every, atValidation, keepLast, keepEvery, yes);
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
}
