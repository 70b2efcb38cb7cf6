package dev.nerve.io;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), so that the core can read and write its
 * human-readable files with the JDK alone.
 *
 * <p>Reading gives {@code Map<String, Object>} (key order kept), {@code List<Object>}, {@code
 * String}, {@code Boolean}, {@code null}, and numbers as {@link Num}, which keeps the text so that
 * a float is read with a single correct rounding. Errors name the line and column.
 */
public final class Json {
  private final String text;
  private final String source;
  private int pos;
  private int depth;

  private static final int MAX_DEPTH = 512;

  private Json(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /** A JSON number, kept as its text. */
  public static final class Num extends Number {
    private static final long serialVersionUID = 1L;
    private final String text;

    Num(String text) {
      this.text = text;
    }

    @Override
    public int intValue() {
      return (int) longValue();
    }

    @Override
    public long longValue() {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        double d = Double.parseDouble(text);
        if (d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15) {
          throw new NumberFormatException("not a whole number: " + text);
        }
        return (long) d;
      }
    }

    @Override
    public float floatValue() {
      return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
      return Double.parseDouble(text);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * Parses a JSON document.
   *
   * @param source named in error messages (a file name)
   * @throws JsonException with line and column on malformed input
   */
  public static Object parse(String text, String source) {
    Json p = new Json(text, source);
    p.skipSpace();
    Object v = p.value();
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("unexpected text after the end of the document");
    }
    return v;
  }

  /** Malformed JSON, or JSON that is not what the reader expected. */
  public static final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the place. */
    public JsonException(String message) {
      super(message);
    }
  }

  private JsonException error(String what) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new JsonException(source + ": line " + line + ", column " + col + ": " + what);
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }

  private Object value() {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object literal(String word, Object v) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object() {
    enter();
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      depth--;
      return m;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a key in double quotes");
      }
      String key = string();
      if (m.containsKey(key)) {
        throw error("duplicate key \"" + key + "\"");
      }
      skipSpace();
      if (peek() != ':') {
        throw error("expected ':' after key \"" + key + "\"");
      }
      pos++;
      skipSpace();
      m.put(key, value());
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return m;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array() {
    enter();
    pos++;
    List<Object> l = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      depth--;
      return l;
    }
    while (true) {
      skipSpace();
      l.add(value());
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return l;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos);
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = peek();
      pos++;
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = peek();
        pos++;
        switch (e) {
          case '"':
            sb.append('"');
            break;
          case '\\':
            sb.append('\\');
            break;
          case '/':
            sb.append('/');
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'u':
            if (pos + 4 > text.length()) {
              throw error("unfinished \\u escape");
            }
            String hex = text.substring(pos, pos + 4);
            if (!hex.matches("[0-9a-fA-F]{4}")) {
              throw error("bad \\u escape");
            }
            sb.append((char) Integer.parseInt(hex, 16));
            pos += 4;
            break;
          default:
            pos--;
            throw error("bad escape '\\" + e + "'");
        }
      } else if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      } else {
        sb.append(c);
      }
    }
  }

  private Num number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '0') {
      pos++;
    } else {
      digits();
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      digits();
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      digits();
    }
    return new Num(text.substring(start, pos));
  }

  private void digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw error("expected a digit");
    }
  }

  // ---- writing ----------------------------------------------------------------------------

  /**
   * Writes a value made of maps, lists, strings, numbers, booleans, nulls, {@code float[]} and
   * {@code double[]} as indented JSON. Lists and arrays of numbers stay on one line, so a weight
   * matrix reads as one row per line.
   *
   * @throws IllegalArgumentException for NaN or infinite numbers, which JSON cannot hold
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  /**
   * Writes a value as {@link #write} does but on one line with no line break at the end, for JSON
   * Lines output (one object per line).
   *
   * @throws IllegalArgumentException for NaN or infinite numbers, which JSON cannot hold
   */
  public static String writeLine(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, COMPACT);
    return sb.toString();
  }

  /** The indent that means "no line breaks". */
  private static final int COMPACT = Integer.MIN_VALUE / 2;

  private static void write(StringBuilder sb, Object v, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Num) {
      sb.append(v);
    } else if (v instanceof Float) {
      number(sb, (Float) v);
    } else if (v instanceof Double) {
      number(sb, (Double) v);
    } else if (v instanceof float[]) {
      float[] a = (float[]) v;
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i == 0 ? "" : ", ");
        number(sb, a[i]);
      }
      sb.append(']');
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i == 0 ? "" : ", ");
        number(sb, a[i]);
      }
      sb.append(']');
    } else if (v instanceof int[]) {
      sb.append(java.util.Arrays.toString((int[]) v));
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      boolean compact = indent < 0;
      sb.append(compact ? "{" : "{\n");
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        pad(sb, indent + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), indent + 1);
        sb.append(it.hasNext() ? (compact ? ", " : ",\n") : (compact ? "" : "\n"));
      }
      pad(sb, indent);
      sb.append('}');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      boolean flat =
          l.stream()
              .allMatch(
                  x ->
                      x instanceof Number
                          || x instanceof String
                          || x instanceof Boolean
                          || x == null);
      if (flat) {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          sb.append(i == 0 ? "" : ", ");
          write(sb, l.get(i), indent);
        }
        sb.append(']');
        return;
      }
      boolean compact = indent < 0;
      sb.append(compact ? "[" : "[\n");
      for (int i = 0; i < l.size(); i++) {
        pad(sb, indent + 1);
        write(sb, l.get(i), indent + 1);
        sb.append(i + 1 < l.size() ? (compact ? ", " : ",\n") : (compact ? "" : "\n"));
      }
      pad(sb, indent);
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
    }
  }

  private static void number(StringBuilder sb, float f) {
    if (!Float.isFinite(f)) {
      throw new IllegalArgumentException("JSON cannot hold " + f);
    }
    // Float.toString is the shortest text that reads back as the same float.
    sb.append(Float.toString(f));
  }

  private static void number(StringBuilder sb, double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("JSON cannot hold " + d);
    }
    sb.append(Double.toString(d));
  }

  private static void pad(StringBuilder sb, int indent) {
    for (int i = 0; i < indent; i++) {
      sb.append("  ");
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
