package dev.nerve.nn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the settings of one layer from its JSON object, for {@link LayerType#read}: each method
 * takes a key and, where the setting is optional, its default, and returns the checked value. The
 * keys asked for are the type's known keys: after {@code read}, any other key in the object is
 * refused as unknown, so a typo never passes silently.
 *
 * <p>Errors are {@link IllegalArgumentException}s that name the key, such as {@code 'kernel_size'
 * must be a whole number from 1 to 16777216, got 0}; the caller adds where the layer is. A bad
 * value does not stop the reading at once: the method notes the first problem and returns a
 * harmless placeholder, so that every key is asked for and an unknown key (often the typo behind a
 * "missing" setting) is reported first.
 */
public final class SettingsReader {
  /** How deep composite layers may nest in a description: far beyond any real network. */
  public static final int MAX_NESTING = 32;

  private final Map<String, ?> options;
  private final int depth;
  private final Set<String> asked = new LinkedHashSet<>();
  private IllegalArgumentException problem;

  SettingsReader(Map<String, ?> options, int depth) {
    this.options = options;
    this.depth = depth;
  }

  private Object get(String key) {
    asked.add(key);
    return options.get(key);
  }

  /** Notes the first problem and returns {@code placeholder} so that reading goes on. */
  private <T> T fail(String message, T placeholder) {
    if (problem == null) {
      problem = new IllegalArgumentException(message);
    }
    return placeholder;
  }

  /** A required size: a whole number from 1 to {@link LayerType#MAX_SIZE}. */
  public int size(String key) {
    return whole(key, 1, null);
  }

  /** An optional size, from 1 to {@link LayerType#MAX_SIZE}; {@code dflt} when absent. */
  public int size(String key, int dflt) {
    return whole(key, 1, dflt);
  }

  /** An optional count, from 0 to {@link LayerType#MAX_SIZE}; {@code dflt} when absent. */
  public int count(String key, int dflt) {
    return whole(key, 0, dflt);
  }

  private int whole(String key, int min, Integer dflt) {
    Object v = get(key);
    if (v == null) {
      return dflt != null ? dflt : fail("'" + key + "' is required", min);
    }
    double d = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (d != Math.rint(d) || Math.abs(d) > 1e15) {
      return fail("'" + key + "' must be a whole number, got " + v, min);
    }
    if (d < min || d > LayerType.MAX_SIZE) {
      return fail(
          "'"
              + key
              + "' must be a whole number from "
              + min
              + " to "
              + LayerType.MAX_SIZE
              + ", got "
              + v,
          min);
    }
    return (int) d;
  }

  /** An optional true/false setting. */
  public boolean flag(String key, boolean dflt) {
    Object v = get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      return fail("'" + key + "' must be true or false, got " + v, dflt);
    }
    return b;
  }

  /** An optional word from a fixed list, such as {@code "tanh"} or {@code "relu"}. */
  public String choice(String key, String dflt, String... allowed) {
    Object v = get(key);
    if (v == null) {
      return dflt;
    }
    for (String a : allowed) {
      if (a.equals(v)) {
        return a;
      }
    }
    return fail("'" + key + "' must be one of " + String.join(", ", allowed) + ", got " + v, dflt);
  }

  /** An optional initialiser, by its name (see {@link Init#named}). */
  public Init init(String key, String dflt) {
    Object v = get(key);
    if (v == null) {
      return Init.named(dflt);
    }
    if (!(v instanceof String s)) {
      return fail("'" + key + "' must be a string, got " + v, Init.named(dflt));
    }
    try {
      return Init.named(s);
    } catch (IllegalArgumentException e) {
      return fail(e.getMessage(), Init.named(dflt));
    }
  }

  /** An optional finite number. */
  public float real(String key, float dflt) {
    float f = number(key, dflt);
    if (!Float.isFinite(f)) {
      return fail("'" + key + "' must be a finite float, got " + options.get(key), dflt);
    }
    return f;
  }

  /** An optional finite number above 0, such as a normalisation's epsilon. */
  public float positive(String key, float dflt) {
    float f = number(key, dflt);
    if (!(f > 0f) || !Float.isFinite(f)) {
      return fail("'" + key + "' must be a finite number above 0, got " + options.get(key), dflt);
    }
    return f;
  }

  /** An optional probability in [0, 1), such as a dropout rate. */
  public float rate(String key, float dflt) {
    float f = number(key, dflt);
    if (!(f >= 0f && f < 1f)) {
      return fail("'" + key + "' must be in [0, 1), got " + options.get(key), dflt);
    }
    return f;
  }

  private float number(String key, float dflt) {
    Object v = get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n)) {
      return fail("'" + key + "' must be a number, got " + v, dflt);
    }
    return n.floatValue();
  }

  /**
   * A required, non-empty list of layers (the inner layers of a composite layer), each read through
   * {@link LayerTypes#fromJson}; an error inside names its place, as {@code layers[2]: ...}.
   */
  public List<LayerSettings> layers(String key) {
    Object v = get(key);
    if (v == null) {
      return fail("'" + key + "' is required", List.of());
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      return fail("'" + key + "' must be a non-empty list of layers", List.of());
    }
    if (depth >= MAX_NESTING) {
      return fail("'" + key + "': layers nested more than " + MAX_NESTING + " deep", List.of());
    }
    List<LayerSettings> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        out.add(LayerTypes.fromJson(list.get(i), depth + 1));
      } catch (IllegalArgumentException e) {
        return fail(key + "[" + i + "]: " + e.getMessage(), List.of());
      }
    }
    return out;
  }

  /**
   * Ends the reading: refuses a key no method asked for, listing the known ones, then the first
   * problem noted, then {@code failure} (thrown by the type's {@code read} itself) if any.
   */
  void finish(IllegalArgumentException failure) {
    for (String k : options.keySet()) {
      if (k.equals("type")) {
        continue;
      }
      if (!asked.contains(k)) {
        Set<String> known = new TreeSet<>(asked);
        known.add("type");
        throw new IllegalArgumentException(
            "unknown key '" + k + "'; known: " + String.join(", ", known));
      }
    }
    if (problem != null) {
      throw problem;
    }
    if (failure != null) {
      throw failure;
    }
  }
}
