package dev.runkit.notebook;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Java Jupyter kernel this JVM runs in, by reflection, so RunKit needs no compile-time
 * dependency on any of them: IJava, JJava (its maintained successor) and rapaio-jupyter-kernel.
 */
final class Kernels {

  private Kernels() {}

  /**
   * Looks for a running kernel.
   *
   * @return the bridge to it, or empty outside a kernel
   */
  static Optional<KernelBridge> detect() {
    List<ReflectiveBridge> candidates = new ArrayList<>(3);
    tryAdd(candidates, Kernels::ijava);
    tryAdd(candidates, Kernels::jjava);
    tryAdd(candidates, Kernels::rapaio);
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }

  private interface Probe {
    ReflectiveBridge probe() throws ReflectiveOperationException;
  }

  private static void tryAdd(List<ReflectiveBridge> list, Probe probe) {
    try {
      ReflectiveBridge bridge = probe.probe();
      if (bridge != null) {
        list.add(bridge);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not this kernel (classes absent or a different version): try the next one
    }
  }

  /** Loads a class from the context loader, RunKit's loader or the system loader, in that order. */
  static Class<?> load(String name) throws ClassNotFoundException {
    List<ClassLoader> loaders = new ArrayList<>(3);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      loaders.add(context);
    }
    loaders.add(Kernels.class.getClassLoader());
    loaders.add(ClassLoader.getSystemClassLoader());
    for (ClassLoader loader : loaders) {
      try {
        return Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    throw new ClassNotFoundException(name);
  }

  private static ReflectiveBridge ijava() throws ReflectiveOperationException {
    Object kernel =
        load("io.github.spencerpark.ijava.IJava").getMethod("getKernelInstance").invoke(null);
    return kernel == null
        ? null
        : springKernel("IJava", kernel, "io.github.spencerpark.jupyter.kernel.display.DisplayData");
  }

  private static ReflectiveBridge jjava() throws ReflectiveOperationException {
    Object kernel =
        load("org.dflib.jjava.jupyter.kernel.BaseKernel").getMethod("notebookKernel").invoke(null);
    return kernel == null
        ? null
        : springKernel("JJava", kernel, "org.dflib.jjava.jupyter.kernel.display.DisplayData");
  }

  /** IJava and JJava share one API: new DisplayData(), putData, setDisplayId, getIO().display. */
  private static ReflectiveBridge springKernel(String name, Object kernel, String dataClass)
      throws ReflectiveOperationException {
    Class<?> data = load(dataClass);
    Method put = data.getMethod("putData", String.class, Object.class);
    Method setId = data.getMethod("setDisplayId", String.class);
    Method display = findMethod(kernel.getClass(), "display", data);
    Object io = findMethod(kernel.getClass(), "getIO").invoke(kernel);
    Field displayField = io.getClass().getField("display");
    Object displayer = displayField.get(io);
    Method update = findMethod(displayer.getClass(), "updateDisplay", String.class, data);
    return new ReflectiveBridge(name, put, setId) {
      @Override
      Object emptyData(Map<String, String> bundle) throws ReflectiveOperationException {
        return data.getConstructor().newInstance();
      }

      @Override
      void send(Object dd) throws ReflectiveOperationException {
        display.invoke(kernel, dd);
      }

      @Override
      void sendUpdate(String id, Object dd) throws ReflectiveOperationException {
        update.invoke(displayer, id, dd);
      }
    };
  }

  private static ReflectiveBridge rapaio() throws ReflectiveOperationException {
    // reading MainApp.kernel builds a whole kernel (JShell included) when the class is merely on
    // the classpath, so look only in JVMs started as that kernel (its MainApp, its jar, our
    // launcher)
    String command = System.getProperty("sun.java.command", "");
    if (!command.toLowerCase(java.util.Locale.ROOT).contains("rapaio")) {
      return null;
    }
    Class<?> main = load("org.rapaio.jupyter.kernel.MainApp");
    Object kernel = main.getField("kernel").get(null);
    if (kernel == null || findMethod(kernel.getClass(), "channels").invoke(kernel) == null) {
      return null; // the class is on the classpath but no kernel is serving a notebook
    }
    Class<?> data = load("org.rapaio.jupyter.kernel.display.DisplayData");
    Method withType = data.getMethod("withType", String.class, String.class);
    Method put = data.getMethod("putData", String.class, Object.class);
    Method setId = data.getMethod("setDisplayId", String.class);
    Method display = findMethod(kernel.getClass(), "display", data);
    Method update = findMethod(kernel.getClass(), "updateDisplay", data);
    return new ReflectiveBridge("rapaio-jupyter-kernel", put, setId) {
      @Override
      Object emptyData(Map<String, String> bundle) throws ReflectiveOperationException {
        return withType.invoke(null, "text/plain", bundle.get("text/plain"));
      }

      @Override
      void send(Object dd) throws ReflectiveOperationException {
        display.invoke(kernel, dd);
      }

      @Override
      void sendUpdate(String id, Object dd) throws ReflectiveOperationException {
        update.invoke(kernel, dd);
      }
    };
  }

  /** Finds a public method, also when the object's class itself is not public. */
  private static Method findMethod(Class<?> type, String name, Class<?>... params)
      throws NoSuchMethodException {
    Method m = type.getMethod(name, params);
    try {
      m.setAccessible(true);
    } catch (RuntimeException e) {
      // public methods of public types need no access change
    }
    return m;
  }

  /** A kernel reached by reflection: build the kernel's own DisplayData, then send it. */
  abstract static class ReflectiveBridge implements KernelBridge {
    private final String name;
    private final Method put;
    private final Method setId;

    /** The kernel's name, and its DisplayData's {@code putData} and {@code setDisplayId}. */
    ReflectiveBridge(String name, Method put, Method setId) {
      this.name = name;
      this.put = put;
      this.setId = setId;
    }

    /** The kernel's own DisplayData, before the bundle's entries are put in. */
    abstract Object emptyData(Map<String, String> bundle) throws ReflectiveOperationException;

    private Object newData(Map<String, String> bundle, String id)
        throws ReflectiveOperationException {
      Object dd = emptyData(bundle);
      for (Map.Entry<String, String> e : bundle.entrySet()) {
        put.invoke(dd, e.getKey(), e.getValue());
      }
      if (id != null) {
        setId.invoke(dd, id);
      }
      return dd;
    }

    abstract void send(Object data) throws ReflectiveOperationException;

    abstract void sendUpdate(String id, Object data) throws ReflectiveOperationException;

    @Override
    public String name() {
      return name;
    }

    @Override
    public void display(Map<String, String> bundle, String displayId)
        throws ReflectiveOperationException {
      send(newData(bundle, displayId));
    }

    @Override
    public void update(String displayId, Map<String, String> bundle)
        throws ReflectiveOperationException {
      sendUpdate(displayId, newData(bundle, displayId));
    }
  }

  /** Unwraps the kernel's own exception from a reflective call, for the message shown. */
  static Throwable cause(Throwable t) {
    return t instanceof InvocationTargetException ite && ite.getCause() != null
        ? ite.getCause()
        : t;
  }
}
