/**
 * Notebook display: {@link dev.runkit.notebook.Show} puts tables, charts and text inline in a Java
 * Jupyter kernel (IJava, JJava, rapaio-jupyter-kernel, found at run time by reflection) or into
 * text and files outside one; {@link dev.runkit.notebook.Display} and {@link
 * dev.runkit.notebook.LiveDisplay} update one output in place; {@link dev.runkit.notebook.Charts}
 * and {@link dev.runkit.notebook.Tables} build what they show. Depends on {@code schedule} and
 * {@code registry} only; nothing in RunKit imports it.
 */
package dev.runkit.notebook;
