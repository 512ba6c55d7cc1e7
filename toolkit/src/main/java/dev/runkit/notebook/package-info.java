/**
 * Notebook display: {@link dev.runkit.notebook.Show} puts tables, charts and text inline in a Java
 * Jupyter kernel (IJava, JJava, rapaio-jupyter-kernel, found at run time by reflection) or into
 * text and files outside one; {@link dev.runkit.notebook.Display} and {@link
 * dev.runkit.notebook.LiveDisplay} update one output in place; {@link dev.runkit.notebook.Charts}
 * and {@link dev.runkit.notebook.Tables} build what they show, from histories, schedules, run
 * results and LR-finder results; {@link dev.runkit.notebook.LiveProgress} shows a running fit.
 * {@link dev.runkit.notebook.SweepCharts} draws a sweep's results, {@link
 * dev.runkit.notebook.SweepProgress} shows a running sweep and {@link
 * dev.runkit.notebook.SweepSummary} writes its directory's {@code summary.png}. Depends on {@code
 * schedule}, {@code registry}, {@code run}, {@code sweep} and the root package's {@code RunResult};
 * nothing in RunKit imports it: the runner finds {@code LiveProgress}, and a sweep its listeners,
 * through {@link java.util.ServiceLoader} ({@link dev.runkit.run.ProgressListeners}, {@link
 * dev.runkit.sweep.SweepListenerProvider}).
 */
package dev.runkit.notebook;
