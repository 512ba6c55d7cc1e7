package dev.runkit.cli;

import dev.runkit.registry.Names;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Java Jupyter kernels a kernelspec can start, each with its own classpath variable. */
public enum KernelFlavor {
  /**
   * rapaio-jupyter-kernel (Maven Central, the default); its classpath entries are ';'-separated.
   */
  RAPAIO("rapaio", "rapaio-jupyter-kernel " + KernelFlavor.RAPAIO_VERSION, "RJK_CLASSPATH", ";"),
  /** IJava (SpencerPark), when the user has its jar. */
  IJAVA("ijava", "IJava", "IJAVA_CLASSPATH", File.pathSeparator),
  /** JJava (dflib), IJava's maintained successor, when the user has its jar. */
  JJAVA("jjava", "JJava", "JJAVA_CLASSPATH", File.pathSeparator);

  /** The rapaio-jupyter-kernel version the toolkit's pom copies to {@code target/kernel}. */
  public static final String RAPAIO_VERSION = "3.0.1";

  private final String id;
  private final String label;
  private final String classpathVariable;
  private final String separator;

  KernelFlavor(String id, String label, String classpathVariable, String separator) {
    this.id = id;
    this.label = label;
    this.classpathVariable = classpathVariable;
    this.separator = separator;
  }

  /**
   * Finds a flavor by its id, ignoring case.
   *
   * @param name "rapaio", "ijava" or "jjava"
   * @return the flavor
   * @throws IllegalArgumentException naming the allowed ids and the nearest one
   */
  public static KernelFlavor of(String name) {
    List<String> ids = new ArrayList<>();
    for (KernelFlavor f : values()) {
      if (f.id.equalsIgnoreCase(name)) {
        return f;
      }
      ids.add(f.id);
    }
    throw new IllegalArgumentException(
        "Unknown kernel \""
            + name
            + "\" at --kernel; expected one of "
            + ids
            + "."
            + Names.didYouMean(String.valueOf(name).toLowerCase(Locale.ROOT), ids));
  }

  /**
   * Returns the id used on the command line.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Returns the human name.
   *
   * @return the label
   */
  public String label() {
    return label;
  }

  /**
   * Returns the environment variable the kernel reads extra classpath entries from.
   *
   * @return e.g. {@code RJK_CLASSPATH}
   */
  public String classpathVariable() {
    return classpathVariable;
  }

  /**
   * Returns the separator between entries of that variable.
   *
   * @return ";" for rapaio, the platform's path separator for IJava and JJava
   */
  public String separator() {
    return separator;
  }
}
