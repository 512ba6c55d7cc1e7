package dev.runkit.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user's listener and the offered ones: an offered one that breaks never stops a sweep. */
class SweepListenersTest {

  @Test
  void offeredListenerThatFails_isDroppedAndTheOthersGoOn() {
    List<String> heard = new ArrayList<>();
    SweepListener own =
        new SweepListener() {
          @Override
          public void onStart(int trials, Path directory) {
            heard.add("own " + trials);
          }
        };
    SweepListener broken =
        new SweepListener() {
          @Override
          public void onStart(int trials, Path directory) {
            heard.add("broken " + trials);
            throw new IllegalStateException("cannot draw");
          }
        };
    SweepListener fine =
        new SweepListener() {
          @Override
          public void onStart(int trials, Path directory) {
            heard.add("fine " + trials);
          }
        };
    SweepListener all = new SweepListeners(own, List.of(broken, fine));

    all.onStart(1, Path.of("a"));
    all.onStart(2, Path.of("a"));

    assertThat(heard).containsExactly("own 1", "broken 1", "fine 1", "own 2", "fine 2");
  }

  /** A listener of the user's own. */
  static final class Counting implements SweepListener {
    int starts;

    @Override
    public void onStart(int trials, Path directory) {
      starts++;
    }
  }

  @Test
  void ownListenerOfAnOfferedClass_replacesTheOfferedOne() {
    Counting own = new Counting();
    Counting offered = new Counting();

    new SweepListeners(own, List.of(offered)).onStart(1, Path.of("a"));

    assertThat(own.starts).isEqualTo(1);
    assertThat(offered.starts).isZero();
  }

  @Test
  void ownListenerThatFails_reachesTheCaller() {
    SweepListener own =
        new SweepListener() {
          @Override
          public void onStart(int trials, Path directory) {
            throw new IllegalStateException("the user's bug");
          }
        };
    assertThatThrownBy(() -> new SweepListeners(own, List.of()).onStart(1, Path.of("a")))
        .hasMessage("the user's bug");
  }
}
