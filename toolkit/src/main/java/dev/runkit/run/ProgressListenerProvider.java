package dev.runkit.run;

import java.util.Optional;

/**
 * A source of progress listeners found with {@link java.util.ServiceLoader}: how a higher layer
 * (the notebook package, registered in {@code META-INF/services}) offers a display for fits without
 * this package importing it. {@link ProgressListeners#automatic()} asks each provider in turn.
 */
public interface ProgressListenerProvider {

  /**
   * Returns a listener for a fit starting now, when this provider applies here (a notebook display
   * only inside a Java kernel).
   *
   * @return the listener, or empty to let the next provider (or the console line) speak
   */
  Optional<ProgressListener> listener();
}
