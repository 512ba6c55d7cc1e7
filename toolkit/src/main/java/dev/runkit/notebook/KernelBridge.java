package dev.runkit.notebook;

import java.util.Map;

/** Sends MIME bundles to the Jupyter kernel this JVM runs in. */
interface KernelBridge {

  /** The kernel's name, for messages ("IJava", "JJava", "rapaio-jupyter-kernel"). */
  String name();

  /**
   * Shows a bundle as a new output of the running cell.
   *
   * @param bundle MIME type to data (images base64)
   * @param displayId the id later updates refer to, or null for none
   * @throws ReflectiveOperationException if the kernel's API refuses the call
   */
  void display(Map<String, String> bundle, String displayId) throws ReflectiveOperationException;

  /**
   * Replaces the content of an earlier output in place.
   *
   * @param displayId the id given to {@link #display}
   * @param bundle the new content
   * @throws ReflectiveOperationException if the kernel's API refuses the call
   */
  void update(String displayId, Map<String, String> bundle) throws ReflectiveOperationException;
}
