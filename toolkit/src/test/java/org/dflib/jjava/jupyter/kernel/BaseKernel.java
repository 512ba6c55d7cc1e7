package org.dflib.jjava.jupyter.kernel;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Test stand-in with the signatures of JJava 1.0's kernel entry points: {@code
 * BaseKernel.notebookKernel()}, {@code display(DisplayData)} and {@code
 * getIO().display.updateDisplay(String, DisplayData)}. Inactive unless a test sets {@link #active}.
 */
public class BaseKernel {
  public static volatile BaseKernel active;
  public final List<DisplayData> displayed = new ArrayList<>();
  public final List<DisplayData> updated = new ArrayList<>();
  private final IO io = new IO(this);

  public static BaseKernel notebookKernel() {
    return active;
  }

  public void display(DisplayData data) {
    displayed.add(data);
  }

  public IO getIO() {
    return io;
  }

  /** The kernel's IO, with its public {@code display} field. */
  public static final class IO {
    public final Displayer display;

    IO(BaseKernel kernel) {
      display = new Displayer(kernel);
    }
  }

  /** The display updater. */
  public static final class Displayer {
    private final BaseKernel kernel;

    Displayer(BaseKernel kernel) {
      this.kernel = kernel;
    }

    public void updateDisplay(String id, DisplayData data) {
      kernel.updated.add(data);
    }
  }
}
