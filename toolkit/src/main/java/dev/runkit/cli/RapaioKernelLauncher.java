package dev.runkit.cli;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Starts rapaio-jupyter-kernel (3.0.x) without its two start-up races, then hands over to it.
 *
 * <p>The kernel hangs in 10-20% of starts. Its {@code Channels.connect} binds the sockets, and
 * binding starts each channel's poll thread ({@code LoopThread}), before it installs the message
 * handlers, so:
 *
 * <ol>
 *   <li>{@code LoopThread.start()} calls {@code super.start()} and only then sets {@code running =
 *       true}; a thread scheduled at once reads {@code running == false} and ends silently. When
 *       that is the shell thread, no request is ever answered (the client waits for its {@code
 *       kernel_info_reply} forever); when it is the control or heartbeat thread, shutdown and
 *       heartbeats are lost.
 *   <li>the shell thread may read a request that the client queued before the socket was bound
 *       while {@code handlers} is still null (a {@code NullPointerException} ends the thread) or
 *       empty (the request is dropped).
 * </ol>
 *
 * <p>This launcher does {@code connect}'s work itself in a safe order, by reflection (RunKit has no
 * compile-time dependency on the kernel): it registers the channels with the kernel and installs
 * the handlers before any socket is bound, binds the sockets (shell last), and then replaces each
 * poll thread by one whose {@code running} flag is set before it starts (the first thread is asked
 * to stop and joined, so no message is read twice or lost: unread ones wait in the socket). If the
 * kernel's internals differ from what it expects, it says so on standard error and starts the
 * kernel the stock way.
 *
 * <p>Used by the kernelspec that {@code runkit kernel install} writes: {@code java -cp
 * rapaio-jupyter-kernel.jar:runkit... dev.runkit.cli.RapaioKernelLauncher {connection_file}}.
 */
public final class RapaioKernelLauncher {

  private static final String PKG = "org.rapaio.jupyter.kernel.";

  /** Message type constant -> kernel method, as {@code Channels.connect} of 3.0.1 wires them. */
  private static final Map<String, String> HANDLERS = new LinkedHashMap<>();

  static {
    HANDLERS.put("SHELL_EXECUTE_REQUEST", "handleExecuteRequest");
    HANDLERS.put("SHELL_INSPECT_REQUEST", "handleInspectRequest");
    HANDLERS.put("SHELL_COMPLETE_REQUEST", "handleCompleteRequest");
    HANDLERS.put("SHELL_HISTORY_REQUEST", "handleHistoryRequest");
    HANDLERS.put("SHELL_IS_COMPLETE_REQUEST", "handleIsCompleteRequest");
    HANDLERS.put("SHELL_KERNEL_INFO_REQUEST", "handleKernelInfoRequest");
    HANDLERS.put("CONTROL_SHUTDOWN_REQUEST", "handleShutdownRequest");
    HANDLERS.put("CONTROL_INTERRUPT_REQUEST", "handleInterruptRequest");
    HANDLERS.put("CUSTOM_COMM_OPEN", "handleCommOpenCommand");
    HANDLERS.put("CUSTOM_COMM_MSG", "handleCommMsgCommand");
    HANDLERS.put("CUSTOM_COMM_CLOSE", "handleCommCloseCommand");
    HANDLERS.put("SHELL_COMM_INFO_REQUEST", "handleCommInfoRequest");
  }

  private RapaioKernelLauncher() {}

  /**
   * Starts the kernel on a Jupyter connection file.
   *
   * @param args the connection file, as Jupyter passes it
   * @throws Exception when the kernel cannot start at all
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println(
          "usage: java -cp rapaio-jupyter-kernel.jar:... "
              + RapaioKernelLauncher.class.getName()
              + " CONNECTION_FILE");
      System.exit(2);
    }
    Plan plan;
    try {
      plan = Plan.resolve();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      System.err.println(
          "RunKit: this rapaio-jupyter-kernel differs from 3.0.1 ("
              + e
              + "); starting it the stock way, without the start-up race work-around.");
      Class.forName(PKG + "MainApp").getMethod("main", String[].class).invoke(null, (Object) args);
      return;
    }
    Thread warmUp = new Thread(RapaioKernelLauncher::warmUpCharts, "runkit-warm-up");
    warmUp.setDaemon(true);
    warmUp.setPriority(Thread.MIN_PRIORITY);
    warmUp.start();
    plan.run(Path.of(args[0]));
    System.exit(0);
  }

  /**
   * Renders a tiny chart once while the kernel waits for its first cell, so the notebook's first
   * chart does not pay for loading AWT, fonts, XChart and the PNG writer (about a second here).
   */
  private static void warmUpCharts() {
    try {
      XYChart chart = new XYChartBuilder().width(120).height(80).title("warm-up").build();
      chart.addSeries("s", new double[] {0, 1, 2}, new double[] {1, 0.5, 0.25});
      BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (Exception | LinkageError e) {
      // only a head start: the first chart will load these itself
    }
  }

  /** Every class, method and field the safe start needs, looked up before anything starts. */
  private static final class Plan {
    Class<?> mainApp;
    Class<?> connProps;
    Method fromJson;
    Constructor<?> channelsCtor;
    Method registerChannels;
    Class<?> messageHandler;
    Class<?> messageType;
    Field handlersField;
    Field connectedField;
    Method bind;
    Method sendMessage;
    Constructor<?> messageCtor;
    Object startingStatus;
    Class<?> loopThread;
    Constructor<?> loopCtor;
    Field running;
    Field sleep;
    Field body;
    Method joinUntilClose;

    static Plan resolve() throws ReflectiveOperationException {
      Plan p = new Plan();
      p.mainApp = Class.forName(PKG + "MainApp");
      p.connProps = Class.forName(PKG + "core.ConnectionProperties");
      p.fromJson =
          Class.forName(PKG + "core.Transform").getMethod("fromJson", String.class, Class.class);
      Class<?> channels = Class.forName(PKG + "channels.Channels");
      p.channelsCtor = channels.getConstructor(p.connProps);
      p.registerChannels =
          Class.forName(PKG + "core.RapaioKernel").getMethod("registerChannels", channels);
      p.messageHandler = Class.forName(PKG + "channels.MessageHandler");
      p.messageType = Class.forName(PKG + "message.MessageType");
      p.handlersField = accessible(channels.getDeclaredField("handlers"));
      p.connectedField = accessible(channels.getDeclaredField("isConnected"));
      Class<?> abstractChannel = Class.forName(PKG + "channels.AbstractChannel");
      p.bind = abstractChannel.getMethod("bind", p.connProps);
      Class<?> message = Class.forName(PKG + "message.Message");
      p.sendMessage = abstractChannel.getMethod("sendMessage", message);
      p.messageCtor = message.getConstructor(p.messageType, Object.class);
      p.startingStatus =
          Class.forName(PKG + "message.messages.IOPubStatus").getField("STARTING").get(null);
      p.loopThread = Class.forName(PKG + "channels.LoopThread");
      p.loopCtor = p.loopThread.getConstructor(String.class, long.class, Runnable.class);
      p.running = accessible(p.loopThread.getDeclaredField("running"));
      p.sleep = accessible(p.loopThread.getDeclaredField("sleep"));
      p.body = accessible(p.loopThread.getDeclaredField("loopBody"));
      p.joinUntilClose = channels.getMethod("joinUntilClose");
      for (Map.Entry<String, String> e : HANDLERS.entrySet()) {
        p.messageType.getField(e.getKey());
        Class.forName(PKG + "core.RapaioKernel").getMethod(e.getValue(), message);
      }
      for (String name : List.of("heartbeat", "shell", "control", "stdin", "iopub")) {
        channels.getDeclaredField(name);
      }
      return p;
    }

    void run(Path connectionFile) throws Exception {
      try (InputStream logging =
          mainApp.getClassLoader().getResourceAsStream("logging.properties")) {
        if (logging != null) {
          LogManager.getLogManager().readConfiguration(logging);
        }
      }
      if (!Files.isRegularFile(connectionFile)) {
        throw new IllegalArgumentException(
            "Connection file '" + connectionFile + "' isn't a file.");
      }
      String contents = Files.readString(connectionFile, StandardCharsets.UTF_8);
      Object props = fromJson.invoke(null, contents, connProps);
      // the kernel (JShell included) is built when MainApp is initialised, before any socket exists
      Object kernel = mainApp.getField("kernel").get(null);
      Object channels = channelsCtor.newInstance(props);
      registerChannels.invoke(kernel, channels);
      handlersField.set(channels, handlers(kernel));
      connectedField.set(channels, true);

      Object iopub = field(channels, "iopub");
      bind.invoke(iopub, props);
      sendMessage.invoke(
          iopub,
          messageCtor.newInstance(messageType.getField("IOPUB_STATUS").get(null), startingStatus));
      for (String name : List.of("stdin", "control", "heartbeat", "shell")) {
        Object channel = field(channels, name);
        bind.invoke(channel, props);
        restartLoop(channel);
      }
      joinUntilClose.invoke(channels);
    }

    /** The handler map {@code Channels.connect} would build, filled before any thread reads it. */
    private Map<Object, Object> handlers(Object kernel) throws ReflectiveOperationException {
      Map<Object, Object> map = new HashMap<>();
      for (Map.Entry<String, String> e : HANDLERS.entrySet()) {
        Object type = messageType.getField(e.getKey()).get(null);
        Method target = null;
        for (Method m : kernel.getClass().getMethods()) {
          if (m.getName().equals(e.getValue()) && m.getParameterCount() == 1) {
            target = m;
          }
        }
        Method method = target;
        InvocationHandler h =
            (proxy, called, args) -> {
              switch (called.getName()) {
                case "handle":
                  try {
                    return method.invoke(kernel, args[0]);
                  } catch (InvocationTargetException ite) {
                    throw ite.getCause();
                  }
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                case "toString":
                  return "handler:" + e.getValue();
                default:
                  throw new UnsupportedOperationException(called.getName());
              }
            };
        map.put(
            type,
            Proxy.newProxyInstance(
                messageHandler.getClassLoader(), new Class<?>[] {messageHandler}, h));
      }
      return map;
    }

    /**
     * Replaces a channel's poll thread by one that cannot miss its start: the first thread (which
     * may already have ended, having read {@code running == false}) is asked to stop and joined,
     * then a new thread with the same name, period and body starts with {@code running} already
     * true.
     */
    private void restartLoop(Object channel)
        throws ReflectiveOperationException, InterruptedException {
      Field f = findField(channel.getClass(), "loopThread");
      if (f == null) {
        return; // iopub and stdin have no poll thread
      }
      Thread old = (Thread) f.get(channel);
      if (old == null) {
        return;
      }
      running.set(old, false);
      old.join();
      Thread fresh =
          (Thread) loopCtor.newInstance(old.getName(), sleep.getLong(old), body.get(old));
      running.set(fresh, true);
      f.set(channel, fresh);
      fresh.start();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
      return accessible(owner.getClass().getDeclaredField(name)).get(owner);
    }

    private static Field findField(Class<?> type, String name) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          return accessible(c.getDeclaredField(name));
        } catch (NoSuchFieldException e) {
          // look in the superclass
        }
      }
      return null;
    }

    private static Field accessible(Field f) {
      f.setAccessible(true);
      return f;
    }
  }
}
