package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;

/**
 * Test stand-in with the signatures of IJava 1.3.0's kernel entry points: {@code
 * IJava.getKernelInstance()}, {@code kernel.display(DisplayData)} and {@code
 * kernel.getIO().display.updateDisplay(String, DisplayData)}. Inactive (no kernel) unless a test
 * sets {@link #active}.
 */
public final class IJava {
  public static volatile Kernel active;

  private IJava() {}

  public static Kernel getKernelInstance() {
    return active;
  }

  /** Records what RunKit sends. */
  public static final class Kernel {
    public final List<DisplayData> displayed = new ArrayList<>();
    public final List<DisplayData> updated = new ArrayList<>();
    private final IO io = new IO(this);

    public void display(DisplayData data) {
      displayed.add(data);
    }

    public IO getIO() {
      return io;
    }
  }

  /** The kernel's IO, with its public {@code display} field. */
  public static final class IO {
    public final Displayer display;

    IO(Kernel kernel) {
      display = new Displayer(kernel);
    }
  }

  /** The display updater. */
  public static final class Displayer {
    private final Kernel kernel;

    Displayer(Kernel kernel) {
      this.kernel = kernel;
    }

    public void updateDisplay(String id, DisplayData data) {
      if (!id.equals(data.displayId)) {
        throw new IllegalArgumentException("id mismatch");
      }
      kernel.updated.add(data);
    }
  }
}
