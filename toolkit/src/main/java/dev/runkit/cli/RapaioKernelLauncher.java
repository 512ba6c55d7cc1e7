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
 * <p>It also answers Kernel ▸ Interrupt itself. The kernel's own handler runs on the control
 * channel's thread, takes over the running cell's message context (shared without a lock), cancels
 * the snippet, shuts its executor down and stops JShell: the cell stays busy forever and every
 * later cell runs nothing until a restart. Here the control thread replies on its own socket,
 * leaves the shared context alone, and interrupts the threads running a RunKit fit, which stop
 * after their iteration in progress and return, so the cell ends normally with the stopped run's
 * result; code that does not stop within {@value #GRACE_MILLIS} ms (or any code, at a second
 * interrupt) is cancelled as the kernel would, without shutting the executor down.
 *
 * <p>Used by the kernelspec that {@code runkit kernel install} writes: {@code java -cp
 * rapaio-jupyter-kernel.jar:runkit... dev.runkit.cli.RapaioKernelLauncher {connection_file}}.
 */
public final class RapaioKernelLauncher {

  private static final String PKG = "org.rapaio.jupyter.kernel.";

  /** How long an interrupted cell may take to end by itself before its snippet is cancelled. */
  static final long GRACE_MILLIS = 3_000;

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
    Interrupts interrupts;

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
      try {
        p.interrupts = Interrupts.resolve(p);
      } catch (ReflectiveOperationException | RuntimeException e) {
        System.err.println(
            "RunKit: cannot take over Kernel > Interrupt in this rapaio-jupyter-kernel ("
                + e
                + "); the kernel's own interrupt stays, which leaves the kernel unusable");
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
        Runnable own =
            name.equals("control") && interrupts != null
                ? interrupts.controlLoop(kernel, channels, channel, iopub)
                : null;
        restartLoop(channel, own);
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
     * then a new thread with the same name and period starts with {@code running} already true,
     * running the same body, or {@code own} when given.
     */
    private void restartLoop(Object channel, Runnable own)
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
          (Thread)
              loopCtor.newInstance(
                  old.getName(), sleep.getLong(old), own != null ? own : body.get(old));
      running.set(fresh, true);
      f.set(channel, fresh);
      fresh.start();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
      return accessible(owner.getClass().getDeclaredField(name)).get(owner);
    }

    /** Reads a field declared by the object's class or a superclass. */
    static Object anyField(Object owner, String name) throws ReflectiveOperationException {
      Field f = findField(owner.getClass(), name);
      if (f == null) {
        throw new NoSuchFieldException(owner.getClass().getName() + "." + name);
      }
      return f.get(owner);
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

  /** Where a thread that runs RunKit work a cell waits for (a fit, a sweep) has its stack. */
  private static final List<String> STOPPABLE =
      List.of("dev.runkit.run.TrainingLoop.run", "dev.runkit.sweep.Sweep.fit");

  /**
   * Interrupts every thread that runs a fit or a sweep: each stops after its iteration in progress
   * and returns. The threads are found by their stacks, so work of a kernel's own copy of RunKit's
   * classes (loaded by its snippets' class loader) is found too.
   *
   * @return how many threads were interrupted
   */
  static int interruptRunKitWork() {
    int n = 0;
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      for (StackTraceElement frame : e.getValue()) {
        if (STOPPABLE.contains(frame.getClassName() + "." + frame.getMethodName())) {
          e.getKey().interrupt();
          n++;
          break;
        }
      }
    }
    return n;
  }

  /**
   * The kernel's control loop with interrupt requests answered by RunKit (see the class comment),
   * every other control message handled as the kernel does.
   */
  private static final class Interrupts {
    private final Plan plan;
    private Object interruptRequest;
    private Object interruptReply;
    private Object iopubStatus;
    private Object busy;
    private Object idle;
    private Constructor<?> replyCtor;
    private Constructor<?> answerCtor;
    private Method readMessage;
    private Method header;
    private Method type;
    private Method getId;
    private Method getHandler;
    private Method handle;
    private Method setMsgId;
    private Method runAfterActions;
    private Method isMarkedForShutdown;
    private Method close;
    private Method poller;
    private Method register;
    private Method poll;
    private Method javaEngine;
    private Method registeredControl;
    private Method cancelRunning;
    private int pollIn;
    private boolean interrupted;
    private long interruptedAt;

    private Interrupts(Plan plan) {
      this.plan = plan;
    }

    static Interrupts resolve(Plan p) throws ReflectiveOperationException {
      Interrupts i = new Interrupts(p);
      i.interruptRequest = p.messageType.getField("CONTROL_INTERRUPT_REQUEST").get(null);
      i.interruptReply = p.messageType.getField("CONTROL_INTERRUPT_REPLY").get(null);
      i.iopubStatus = p.messageType.getField("IOPUB_STATUS").get(null);
      Class<?> status = Class.forName(PKG + "message.messages.IOPubStatus");
      i.busy = status.getField("BUSY").get(null);
      i.idle = status.getField("IDLE").get(null);
      Class<?> message = Class.forName(PKG + "message.Message");
      Class<?> messageId = Class.forName(PKG + "message.MessageId");
      i.replyCtor = message.getConstructor(messageId, p.messageType, Object.class);
      i.answerCtor = Class.forName(PKG + "message.messages.ControlInterruptReply").getConstructor();
      Class<?> abstractChannel = Class.forName(PKG + "channels.AbstractChannel");
      i.readMessage = abstractChannel.getMethod("readMessage");
      i.header = message.getMethod("header");
      i.type = Class.forName(PKG + "message.Header").getMethod("type");
      i.getId = message.getMethod("getId");
      Class<?> channels = Class.forName(PKG + "channels.Channels");
      i.getHandler = channels.getMethod("getHandler", p.messageType);
      i.handle = p.messageHandler.getMethod("handle", message);
      i.setMsgId = channels.getMethod("setMsgId", messageId);
      i.runAfterActions = channels.getMethod("runAfterActions");
      i.isMarkedForShutdown = channels.getMethod("isMarkedForShutdown");
      i.close = channels.getMethod("close");
      Class<?> zmq = Class.forName("org.rapaio.org.zeromq.ZMQ");
      Class<?> context = Class.forName(zmq.getName() + "$Context");
      Class<?> socket = Class.forName(zmq.getName() + "$Socket");
      Class<?> poller = Class.forName(zmq.getName() + "$Poller");
      i.poller = context.getMethod("poller", int.class);
      i.register = poller.getMethod("register", socket, int.class);
      i.poll = poller.getMethod("poll", long.class);
      i.pollIn = poller.getField("POLLIN").getInt(null);
      i.javaEngine = Class.forName(PKG + "core.RapaioKernel").getMethod("javaEngine");
      Class<?> provider = Class.forName(PKG + "core.java.RapaioExecutionControlProvider");
      i.registeredControl = provider.getMethod("getRegisteredControl", String.class);
      i.cancelRunning =
          Class.forName(PKG + "core.java.RapaioExecutionControl").getMethod("interrupt");
      Class.forName(PKG + "core.java.JavaEngine").getDeclaredField("controlProvider");
      Class.forName(PKG + "core.java.JavaEngine").getDeclaredField("executionId");
      return i;
    }

    /** The body of the control channel's poll thread. */
    Runnable controlLoop(Object kernel, Object channels, Object control, Object iopub)
        throws ReflectiveOperationException {
      Object socket = Plan.anyField(control, "socket");
      Object poller = this.poller.invoke(Plan.anyField(control, "ctx"), 1);
      register.invoke(poller, socket, pollIn);
      return () -> {
        try {
          if ((int) poll.invoke(poller, 0L) <= 0) {
            return;
          }
          Object m = readMessage.invoke(control);
          Object kind = type.invoke(header.invoke(m));
          if (kind == interruptRequest) {
            answer(kernel, control, iopub, m);
            return;
          }
          // the kernel's own control loop, for shutdown and the rest
          Object handler = getHandler.invoke(channels, kind);
          if (handler == null) {
            return;
          }
          setMsgId.invoke(channels, getId.invoke(m));
          try {
            handle.invoke(handler, m);
          } catch (InvocationTargetException e) {
            System.err.println("RunKit: control message failed: " + e.getCause());
          } finally {
            runAfterActions.invoke(channels);
          }
          if ((boolean) isMarkedForShutdown.invoke(channels)) {
            close.invoke(channels);
          }
        } catch (ReflectiveOperationException e) {
          System.err.println("RunKit: control loop: " + e);
        }
      };
    }

    /**
     * Replies to an interrupt request and interrupts the running fits; cancels the cell's snippet
     * when it has not ended after the grace period, or at once for a second interrupt within it.
     */
    private void answer(Object kernel, Object control, Object iopub, Object request)
        throws ReflectiveOperationException {
      Object id = getId.invoke(request);
      plan.sendMessage.invoke(iopub, replyCtor.newInstance(id, iopubStatus, busy));
      plan.sendMessage.invoke(
          control, replyCtor.newInstance(id, interruptReply, answerCtor.newInstance()));
      plan.sendMessage.invoke(iopub, replyCtor.newInstance(id, iopubStatus, idle));
      Object engine = javaEngine.invoke(kernel);
      Object execution =
          registeredControl.invoke(
              Plan.anyField(engine, "controlProvider"), Plan.anyField(engine, "executionId"));
      long now = System.nanoTime();
      boolean again = interrupted && now - interruptedAt < GRACE_MILLIS * 1_000_000L;
      interrupted = true;
      interruptedAt = now;
      int fits = again ? 0 : interruptRunKitWork();
      if (fits == 0) {
        cancelRunning.invoke(execution);
        return;
      }
      java.util.Map<?, ?> running = (java.util.Map<?, ?>) Plan.anyField(execution, "running");
      java.util.Set<Object> cancelled =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      cancelled.addAll(running.values());
      Thread grace =
          new Thread(
              () -> {
                try {
                  Thread.sleep(GRACE_MILLIS);
                  // the interrupted cell's snippet, not one a later cell started
                  if (running.values().stream().anyMatch(cancelled::contains)) {
                    cancelRunning.invoke(execution);
                  }
                } catch (InterruptedException | ReflectiveOperationException e) {
                  // the cell ends by itself or not at all; nothing more to do
                }
              },
              "runkit-interrupt-grace");
      grace.setDaemon(true);
      grace.start();
    }
  }
}
