/**
 * Notebook display: {@link dev.runkit.notebook.Show} puts tables, charts and text inline in a Java
 * Jupyter kernel (IJava, JJava, rapaio-jupyter-kernel, found at run time by reflection) or into
 * text and files outside one; {@link dev.runkit.notebook.Display} and {@link
 * dev.runkit.notebook.LiveDisplay} update one output in place; {@link dev.runkit.notebook.Charts}
 * and {@link dev.runkit.notebook.Tables} build what they show, from histories, schedules, run
 * results and LR-finder results; {@link dev.runkit.notebook.LiveProgress} shows a running fit.
 * Depends on {@code schedule}, {@code registry}, {@code run} and the root package's {@code
 * RunResult}; nothing in RunKit imports it: the runner finds {@code LiveProgress} through {@link
 * java.util.ServiceLoader} ({@link dev.runkit.run.ProgressListeners}).
 */
package dev.runkit.notebook;
