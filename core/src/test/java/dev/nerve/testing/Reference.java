package dev.nerve.testing;

import dev.nerve.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the reference fixtures in {@code src/test/resources/reference/} (each beside its script).
 */
public final class Reference {
  private Reference() {}

  /** The path of a reference file. */
  public static Path path(String name) {
    try {
      return Path.of(Reference.class.getResource("/reference/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException("missing reference file " + name, e);
    }
  }

  /** A JSON reference file as a map. */
  public static Map<?, ?> json(String name) throws Exception {
    return (Map<?, ?>) Json.parse(Files.readString(path(name)), name);
  }

  /** A JSON list of numbers (nested to any depth) flattened to doubles. */
  public static double[] flat(Object list) {
    java.util.ArrayList<Double> out = new java.util.ArrayList<>();
    flatten(list, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flatten(Object o, List<Double> out) {
    if (o instanceof List<?> l) {
      for (Object x : l) {
        flatten(x, out);
      }
    } else {
      out.add(((Number) o).doubleValue());
    }
  }
}
