package dev.runkit.notebook;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing to show, in every form a front end may pick: plain text always, and HTML, a PNG or an
 * SVG when there is one. Kernels get a MIME bundle; the console gets text and files.
 *
 * @param label a short name for files and messages (e.g. the chart title)
 * @param text the plain-text form, never null
 * @param html the HTML form, or null
 * @param png the PNG bytes, or null
 * @param svg the SVG document, or null
 * @param width the image width in pixels, 0 without an image
 * @param height the image height in pixels, 0 without an image
 */
record Output(
    String label, String text, String html, byte[] png, String svg, int width, int height) {

  static Output text(String text) {
    return new Output("text", text, null, null, null, 0, 0);
  }

  static Output html(String label, String html, String text) {
    return new Output(label, text, html, null, null, 0, 0);
  }

  /** A clear message in place of what could not be shown; red in HTML so it is seen. */
  static Output problem(String message) {
    return new Output(
        "problem",
        message,
        "<div style=\"color:#b00;font-family:monospace;white-space:pre-wrap\">"
            + Formats.html(message)
            + "</div>",
        null,
        null,
        0,
        0);
  }

  /** The MIME bundle a Jupyter kernel sends: images base64-encoded, as the protocol wants. */
  Map<String, String> bundle() {
    Map<String, String> bundle = new LinkedHashMap<>();
    bundle.put("text/plain", text);
    if (html != null) {
      bundle.put("text/html", html);
    }
    if (png != null) {
      bundle.put("image/png", Base64.getEncoder().encodeToString(png));
    }
    if (svg != null) {
      bundle.put("image/svg+xml", svg);
    }
    return bundle;
  }
}
