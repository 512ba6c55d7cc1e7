package dev.runkit.run;

import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses where a fit's progress goes when the user did not say: the first {@link
 * ProgressListenerProvider} that applies (the notebook package provides a live display inside a
 * Java kernel), else the console line. This keeps the dependency pointing one way: {@code run}
 * finds the display through {@link ServiceLoader} and never imports {@code notebook}.
 */
public final class ProgressListeners {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressListeners.class);

  private ProgressListeners() {}

  /**
   * Returns the listener for a fit starting now: a provider's (a notebook display in a kernel) or
   * {@link ConsoleProgress#stdout()}.
   *
   * @return the listener
   */
  public static ProgressListener automatic() {
    // RunKit's own loader: in a kernel the context loader may be the kernel's, without our jar
    ClassLoader loader = ProgressListenerProvider.class.getClassLoader();
    try {
      for (ProgressListenerProvider provider :
          ServiceLoader.load(ProgressListenerProvider.class, loader)) {
        Optional<ProgressListener> listener = provider.listener();
        if (listener.isPresent()) {
          return listener.get();
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // a broken provider must not stop training: the console line always works
      LOG.warn("progress display unavailable ({}); printing progress instead", e.toString());
    }
    return ConsoleProgress.stdout();
  }
}
