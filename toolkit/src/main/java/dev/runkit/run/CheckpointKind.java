package dev.runkit.run;

/** Why a checkpoint was written, as told to {@link Callback#onCheckpoint}. */
public enum CheckpointKind {
  /** On the schedule ({@link Checkpoints#every(long)} or at a validation): {@code ckpt-N.rkc}. */
  PERIODIC,
  /** At the end of a run, or where it stopped, when no periodic one was written there. */
  FINAL,
  /** The best validation so far: {@code best.rkc}, overwritten at each improvement. */
  BEST
}
