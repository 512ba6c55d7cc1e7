package io.github.spencerpark.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test stand-in with the signatures of IJava 1.3.0's DisplayData (IJava cannot be obtained here),
 * so RunKit's reflective bridge is exercised against the API it documents.
 */
public class DisplayData {
  public final Map<String, Object> data = new LinkedHashMap<>();
  public String displayId;

  public void putData(String mime, Object value) {
    data.put(mime, value);
  }

  public void setDisplayId(String id) {
    displayId = id;
  }
}
