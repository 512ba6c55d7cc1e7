package org.dflib.jjava.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test stand-in with the signatures of JJava 1.0's DisplayData ({@code setDisplayId} returns the
 * DisplayData there); JJava cannot be obtained here.
 */
public class DisplayData {
  public final Map<String, Object> data = new LinkedHashMap<>();
  public String displayId;

  public void putData(String mime, Object value) {
    data.put(mime, value);
  }

  public DisplayData setDisplayId(String id) {
    displayId = id;
    return this;
  }
}
