package dev.runkit.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves aside the checkpoints that an earlier continuation wrote past the point a run resumes from
 * (for a fresh run: all of them), so that they are neither pruned in place of the new run's
 * checkpoints (pruning keeps the highest iterations) nor picked up by a later {@code resume()} as
 * the latest.
 */
final class LaterCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(LaterCheckpoints.class);

  private LaterCheckpoints() {}

  /**
   * Moves the periodic checkpoints past an iteration, and a {@code best.rkc} of a later iteration,
   * into a new sub-folder {@code superseded-<iteration>[-k]} of the checkpoint folder; all of them
   * when {@code keep} lies in another folder (the run continues another timeline).
   *
   * @param checkpoints the run's checkpoint settings
   * @param resumedAt the iteration the run resumes from (0 for a fresh run)
   * @param keep a file the run reads (its fine-tuning source or resumed checkpoint), left in place;
   *     may be null
   * @return the folder they were moved to, or null when there were none
   * @throws UncheckedIOException if a file cannot be moved
   */
  static Path setAside(Checkpoints checkpoints, long resumedAt, Path keep) {
    Path dir = checkpoints.directory();
    // a run resumed from a file outside its folder continues that file's timeline: every
    // checkpoint already in the folder belongs to another run, whatever its iteration
    Path from = keep == null ? null : keep.toAbsolutePath().normalize().getParent();
    long after = from != null && !from.equals(dir.toAbsolutePath().normalize()) ? 0 : resumedAt;
    List<Path> later = new ArrayList<>();
    for (long it : Checkpoints.periodic(dir)) {
      if (it > after) {
        later.add(checkpoints.fileAt(it));
      }
    }
    Path best = dir.resolve(Checkpoints.BEST);
    if (Files.exists(best)) {
      try {
        if (Checkpoint.read(best).iteration() > after) {
          later.add(best);
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot read {}: {}", best, e.getMessage());
      }
    }
    if (keep != null) {
      Path k = keep.toAbsolutePath().normalize();
      later.removeIf(f -> f.toAbsolutePath().normalize().equals(k));
    }
    if (later.isEmpty()) {
      return null;
    }
    Path target = dir.resolve("superseded-" + resumedAt);
    for (int k = 2; Files.exists(target); k++) {
      target = dir.resolve("superseded-" + resumedAt + "-" + k);
    }
    try {
      Files.createDirectories(target);
      for (Path f : later) {
        Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move checkpoints aside into " + target, e);
    }
    LOG.warn(
        "{}: moved {} checkpoint(s) written by another run to {}",
        resumedAt == 0 ? "starting afresh" : "resuming from iteration " + resumedAt,
        later.size(),
        target);
    return target;
  }
}
