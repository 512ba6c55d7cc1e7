package dev.runkit.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a sweep: the one its user gave, then every one a {@link SweepListenerProvider}
 * offers but one of the same class as the user's. An offered listener that fails is dropped with a
 * warning, so a chart that cannot be drawn never stops a sweep; the user's own listener's
 * exceptions reach the user.
 */
final class SweepListeners implements SweepListener {

  private static final Logger LOG = LoggerFactory.getLogger(SweepListeners.class);

  private final SweepListener own;
  private final List<SweepListener> offered;

  SweepListeners(SweepListener own, List<SweepListener> offered) {
    this.own = own;
    this.offered = new ArrayList<>(offered);
    // a listener the user chose (a display with other throttling) replaces the offered one
    this.offered.removeIf(l -> l.getClass() == own.getClass());
  }

  /**
   * Returns the user's listener followed by every offered one.
   *
   * @param own the listener given to the sweep
   * @return the listener that tells them all
   */
  static SweepListener with(SweepListener own) {
    return new SweepListeners(own, offered());
  }

  /** The listeners the providers offer here. */
  static List<SweepListener> offered() {
    List<SweepListener> out = new ArrayList<>();
    // RunKit's own loader: in a kernel the context loader may be the kernel's, without our jar
    ClassLoader loader = SweepListenerProvider.class.getClassLoader();
    try {
      for (SweepListenerProvider provider :
          ServiceLoader.load(SweepListenerProvider.class, loader)) {
        Optional<SweepListener> listener = provider.listener();
        listener.ifPresent(out::add);
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("sweep listeners unavailable ({}); the sweep goes on without them", e.toString());
    }
    return out;
  }

  @Override
  public void onStart(int trials, java.nio.file.Path directory) {
    own.onStart(trials, directory);
    each(l -> l.onStart(trials, directory));
  }

  @Override
  public void onTrialStart(Trial trial) {
    own.onTrialStart(trial);
    each(l -> l.onTrialStart(trial));
  }

  @Override
  public void onTrialEnd(Trial trial, TrialResult result) {
    own.onTrialEnd(trial, result);
    each(l -> l.onTrialEnd(trial, result));
  }

  @Override
  public void onUpdate(SweepResult sweep) {
    own.onUpdate(sweep);
    each(l -> l.onUpdate(sweep));
  }

  @Override
  public void onEnd(SweepResult result) {
    own.onEnd(result);
    each(l -> l.onEnd(result));
  }

  private void each(java.util.function.Consumer<SweepListener> call) {
    for (SweepListener l : new ArrayList<>(offered)) {
      try {
        call.accept(l);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("dropping sweep listener {} after it failed: {}", l, e.toString());
        offered.remove(l);
      }
    }
  }
}
