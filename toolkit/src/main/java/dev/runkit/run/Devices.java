package dev.runkit.run;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says loudly when a GPU is present but the MXNet build in use cannot drive it. */
public final class Devices {

  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
  private static volatile boolean checked;

  private Devices() {}

  /**
   * Logs a warning (once per JVM) when an NVIDIA device node exists but the engine sees no GPU,
   * e.g. a card newer than the CUDA version MXNet 1.9.1 was built for, or the CPU-only natives.
   *
   * @param engine the engine to ask
   * @return true when a GPU is present but unusable
   */
  public static boolean warnIfGpuUnusable(Engine engine) {
    boolean present = Files.exists(Path.of("/dev/nvidia0"));
    boolean unusable = present && engine.getGpuCount() == 0;
    if (unusable && !checked) {
      checked = true;
      LOG.warn(
          "\n*** A GPU is present (/dev/nvidia0) but {} {} cannot use it: training runs on the CPU."
              + "\n*** The MXNet natives on the classpath are CPU-only, or the card or driver is newer"
              + " than their CUDA build supports.\n",
          engine.getEngineName(),
          engine.getVersion());
    }
    return unusable;
  }
}
