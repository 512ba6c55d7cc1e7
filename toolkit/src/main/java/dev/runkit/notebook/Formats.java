package dev.runkit.notebook;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Formats numbers for tables and messages: short, exact where it matters, NaN spelled out. */
final class Formats {

  private Formats() {}

  /**
   * Formats a number: integers without decimals, large or tiny magnitudes in scientific notation
   * with four significant digits, others with at most four decimals (four significant digits below
   * one).
   *
   * @param v the value
   * @return the text
   */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return "0";
    }
    double abs = Math.abs(v);
    if (abs >= 1e7 || abs < 1e-4) {
      return scientific(v);
    }
    if (v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    BigDecimal d = new BigDecimal(v);
    d =
        abs >= 1
            ? d.setScale(4, RoundingMode.HALF_EVEN)
            : d.round(new MathContext(4, RoundingMode.HALF_EVEN));
    return d.stripTrailingZeros().toPlainString();
  }

  /** Scientific notation with at most four significant digits and no trailing zeros: 1.5e-05. */
  private static String scientific(double v) {
    String s = String.format(Locale.ROOT, "%.3e", v);
    int e = s.indexOf('e');
    String mantissa = s.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + s.substring(e);
  }

  /**
   * Formats a count with thousands separators, for notes such as "10,000 rows".
   *
   * @param n the count
   * @return the text
   */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * Escapes text for HTML element content and attribute values.
   *
   * @param s the text
   * @return the escaped text
   */
  static String html(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
