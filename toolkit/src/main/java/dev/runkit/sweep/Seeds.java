package dev.runkit.sweep;

import java.util.Random;

/** The random generators of a sweep, one per (seed, trial), independent of the order of draws. */
final class Seeds {

  private Seeds() {}

  /**
   * Returns the generator of one trial's draws.
   *
   * @param seed the sweep's seed
   * @param trial the trial number
   * @return a new generator
   */
  static Random forTrial(long seed, long trial) {
    return new Random(mix(mix(seed) + 0x9E3779B97F4A7C15L * (trial + 1)));
  }

  /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
