package dev.runkit.sweep;

import java.util.Optional;

/**
 * A source of sweep listeners found with {@link java.util.ServiceLoader}: how a higher layer offers
 * what every sweep should have without this package importing it (the notebook package registers,
 * in {@code META-INF/services/dev.runkit.sweep.SweepListenerProvider}, the writer of the sweep
 * directory's {@code summary.png} and, inside a Java kernel, the live display). Unlike a fit's
 * progress, where the first provider that applies speaks, a sweep tells every listener offered.
 */
public interface SweepListenerProvider {

  /**
   * Returns a listener for a sweep starting now, when this provider applies here.
   *
   * @return the listener, or empty
   */
  Optional<SweepListener> listener();
}
