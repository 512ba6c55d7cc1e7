package dev.runkit.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import dev.runkit.registry.Names;
import dev.runkit.registry.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the devices a run trains on: reads device names from config and code, checks them against
 * what the engine sees, picks the default (every GPU the engine reports, else the CPU), and says
 * loudly when a GPU is present but the MXNet build in use cannot drive it.
 */
public final class Devices {

  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
  private static final Pattern NAME = Pattern.compile("(cpu|gpu)(?:[:(]?(\\d+)\\)?)?");
  private static final List<String> FORMS = List.of("auto", "cpu", "gpu", "gpu<N>", "gpu:<N>");
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

  /**
   * Returns the devices a run uses when none are chosen: the model's device first, then, when that
   * is a GPU, every other GPU the engine reports (data parallel); on a machine without GPUs, the
   * CPU alone.
   *
   * @param modelDevice the device the model's parameters live on
   * @param engine the engine to ask for GPUs
   * @return one device or more, the model's first
   */
  public static List<Device> defaults(Device modelDevice, Engine engine) {
    List<Device> out = new ArrayList<>(List.of(modelDevice));
    if (modelDevice.isGpu()) {
      for (int i = 0; i < engine.getGpuCount(); i++) {
        Device gpu = Device.gpu(i);
        if (!gpu.equals(modelDevice)) {
          out.add(gpu);
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Reads a device choice as written in a config: {@code auto} (the {@link #defaults default}), one
   * name, a comma-separated string ({@code "gpu0,gpu1"}) or a list ({@code [cpu, cpu]}); names are
   * {@code cpu}, {@code gpu} (= {@code gpu0}), {@code gpu<N>}, {@code gpu:<N>} or {@code gpu(<N>)},
   * in any case. A name listed twice makes two replicas on that device.
   *
   * @param value the value read from the config (a string or a list)
   * @param key the key path, for messages (e.g. {@code ENV.DEVICES})
   * @param engine the engine whose GPUs are available
   * @return the devices, or an empty list for {@code auto}
   * @throws IllegalArgumentException for an unknown name, {@code auto} among other entries, or a
   *     GPU the engine does not see, naming the key path, the value, the accepted forms and the
   *     nearest valid name
   */
  public static List<Device> parse(Object value, String key, Engine engine) {
    List<?> items;
    if (value instanceof List<?> l) {
      items = l;
    } else if (value instanceof String text) {
      if (text.trim().equalsIgnoreCase("auto")) {
        return List.of();
      }
      items = List.of(text.split(",", -1));
    } else {
      throw new IllegalArgumentException(
          key
              + " must be auto, a device name or a list of them (e.g. [gpu0, gpu1]), got "
              + value
              + (value == null ? "" : " (" + Params.kind(value) + ")"));
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(
          key + " must name at least one device, got []; use auto for the default");
    }
    List<Device> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = items.size() == 1 && !(value instanceof List) ? key : key + "[" + i + "]";
      String item = String.valueOf(items.get(i));
      if (item.trim().equalsIgnoreCase("auto")) {
        // not "Unknown device": auto is known, but only as the whole value
        throw new IllegalArgumentException(
            at
                + " is \""
                + item.trim()
                + "\", which stands alone: write "
                + key
                + ": auto for the default, or list device names only");
      }
      out.add(parseOne(item, at, engine));
    }
    return List.copyOf(out);
  }

  private static Device parseOne(String raw, String at, Engine engine) {
    String name = raw.trim().toLowerCase(Locale.ROOT);
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Unknown device \""
              + raw
              + "\" at "
              + at
              + "; expected one of "
              + FORMS
              + ", available here: "
              + available(engine)
              + "."
              + Names.didYouMean(name, available(engine)));
    }
    if (m.group(1).equals("cpu")) {
      if (m.group(2) != null && !m.group(2).equals("0")) {
        throw new IllegalArgumentException(
            "Unknown device \""
                + raw
                + "\" at "
                + at
                + "; the CPU is one device, cpu (list it twice for two replicas)."
                + " Did you mean \"cpu\"?");
      }
      return Device.cpu();
    }
    Device gpu = Device.gpu(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    return check(gpu, at, raw, engine);
  }

  /**
   * Checks devices chosen in code against what the engine sees.
   *
   * @param devices the devices
   * @param key the name of the setting, for messages (e.g. {@code devices})
   * @param engine the engine whose GPUs are available
   * @return the devices, as an unmodifiable list
   * @throws IllegalArgumentException for an empty list, a null entry, or a GPU the engine does not
   *     see
   */
  public static List<Device> check(List<Device> devices, String key, Engine engine) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException(key + " must name at least one device, got []");
    }
    for (int i = 0; i < devices.size(); i++) {
      Device d = devices.get(i);
      if (d == null) {
        throw new IllegalArgumentException(key + "[" + i + "] is null");
      }
      check(d, key + "[" + i + "]", String.valueOf(d), engine);
    }
    return List.copyOf(devices);
  }

  private static Device check(Device d, String at, String raw, Engine engine) {
    // DJL's Device.fromName("gpu") is gpu(-1), no GPU MXNet can open: refused like a missing one
    if (d.isGpu() && (d.getDeviceId() < 0 || d.getDeviceId() >= engine.getGpuCount())) {
      throw new IllegalArgumentException(
          at
              + " asks for \""
              + raw
              + "\", but "
              + engine.getEngineName()
              + " sees "
              + engine.getGpuCount()
              + (engine.getGpuCount() == 1 ? " GPU" : " GPUs")
              + "; available here: "
              + available(engine)
              + Names.nearest(name(d), available(engine))
                  .filter(n -> !n.equals(name(d)))
                  .map(n -> ". Did you mean \"" + n + "\"?")
                  .orElse(""));
    }
    if (!d.isGpu() && !d.equals(Device.cpu())) {
      throw new IllegalArgumentException(
          at + " is " + d + ", which RunKit cannot train on; available here: " + available(engine));
    }
    return d;
  }

  /**
   * Reads BasicTS's {@code GPU_NUM}: the number of GPUs to train on, {@code 0} for the CPU.
   *
   * @param n the number given
   * @param key the key path, for messages (e.g. {@code ENV.GPU_NUM})
   * @param engine the engine whose GPUs are available
   * @return {@code [gpu0 .. gpu(n-1)]}, or {@code [cpu]} for 0
   * @throws IllegalArgumentException when {@code n} is negative or more than the engine sees
   */
  public static List<Device> gpus(long n, String key, Engine engine) {
    int count = engine.getGpuCount();
    if (n < 0 || n > count) {
      throw new IllegalArgumentException(
          key
              + " must be in [0, "
              + count
              + "] ("
              + engine.getEngineName()
              + " sees "
              + count
              + (count == 1 ? " GPU" : " GPUs")
              + "; 0 trains on the CPU), got "
              + n);
    }
    if (n == 0) {
      return List.of(Device.cpu());
    }
    List<Device> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Device.gpu(i));
    }
    return List.copyOf(out);
  }

  /**
   * Writes devices the way {@link #parse} reads them ({@code [cpu, gpu0]}).
   *
   * @param devices the devices
   * @return their names
   */
  public static List<String> names(List<Device> devices) {
    return devices.stream().map(Devices::name).toList();
  }

  private static String name(Device d) {
    return d.isGpu() ? "gpu" + d.getDeviceId() : "cpu";
  }

  private static List<String> available(Engine engine) {
    List<String> out = new ArrayList<>(List.of("cpu"));
    for (int i = 0; i < engine.getGpuCount(); i++) {
      out.add("gpu" + i);
    }
    return out;
  }

  /** Returns arrays on a device, copying them only when they are elsewhere. */
  static NDList onto(NDList arrays, Device device) {
    return arrays.head().getDevice().equals(device) ? arrays : arrays.toDevice(device, false);
  }
}
