/**
 * Notebook display: {@link dev.runkit.notebook.Show} puts tables, charts and text inline in a Java
 * Jupyter kernel (IJava, JJava, rapaio-jupyter-kernel, found at run time) or into text and files
 * outside one; {@link dev.runkit.notebook.Charts} and {@link dev.runkit.notebook.Tables} build what
 * it shows.
 */
package dev.runkit.notebook;
