package dev.nerve.io;

import dev.nerve.nn.Layer;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's weights as human-readable JSON, so that any run can be compared number for number
 * with another implementation (a numpy script can write or read it in a few lines).
 *
 * <p>Layout ({@code format} and {@code version} are checked on reading):
 *
 * <pre>{@code
 * {
 *   "format": "nerve-weights",
 *   "version": 1,
 *   "parameters": [
 *     {"layer": 0, "name": "weight", "shape": [4, 3], "values": [[...], [...], [...], [...]]},
 *     {"layer": 0, "name": "bias", "shape": [3], "values": [...]},
 *     ...
 *   ]
 * }
 * }</pre>
 *
 * <p>{@code layer} is the index in the {@link Sequential}; a Dense weight is {@code [in, out]}, as
 * the tutorials' {@code wh} ({@code np.dot(X, wh)}); a matrix is a list of rows. Floats are written
 * as the shortest decimal that reads back to the same float, so a round trip is exact.
 */
public final class Weights {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "nerve-weights";

  /** The layout version this library writes and reads. */
  public static final int VERSION = 1;

  private Weights() {}

  /** Writes {@code model}'s weights to {@code file} atomically. */
  public static void write(Sequential model, Path file) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("version", VERSION);
    doc.put("parameters", toJson(model));
    AtomicFiles.writeString(file, Json.write(doc));
  }

  /**
   * Reads weights from {@code file} into {@code model}. Nothing is changed unless every parameter
   * is present with the right shape.
   *
   * @throws FormatException if the file is not a weights file of this version, or does not fit the
   *     model, naming the parameter and both shapes
   */
  public static void read(Path file, Sequential model) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Object doc;
    try {
      doc = Json.parse(text, file.toString());
    } catch (Json.JsonException e) {
      throw new FormatException(e.getMessage());
    }
    if (!(doc instanceof Map)) {
      throw new FormatException(file + ": not a weights file (expected a JSON object)");
    }
    Map<?, ?> m = (Map<?, ?>) doc;
    Object format = m.get("format");
    if (!FORMAT.equals(format) && !ModelFile.FORMAT.equals(format)) {
      throw new FormatException(
          file
              + ": format is "
              + (format == null ? "missing" : "'" + format + "'")
              + ", expected '"
              + FORMAT
              + "'");
    }
    Object version = m.get("version");
    if (!isWhole(version, VERSION)) {
      throw new FormatException(
          file
              + ": weights version "
              + version
              + " is not supported (this"
              + " library reads version "
              + VERSION
              + ")");
    }
    fromJson(m.get("parameters"), model, file.toString());
  }

  /** The {@code parameters} list of the layout above. */
  static List<Object> toJson(Sequential model) {
    List<Object> params = new ArrayList<>();
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("layer", i);
        e.put("name", p.name());
        int[] dims = p.value().shape().dims();
        e.put("shape", dims);
        e.put("values", dims.length == 2 ? rows(p.value()) : p.value().data().clone());
        params.add(e);
      }
    }
    return params;
  }

  private static List<Object> rows(Tensor t) {
    List<Object> rows = new ArrayList<>();
    for (float[] r : t.toArray2d()) {
      rows.add(r);
    }
    return rows;
  }

  /** Loads a {@code parameters} list into {@code model}, all or nothing. */
  static void fromJson(Object list, Sequential model, String source) throws FormatException {
    if (!(list instanceof List)) {
      throw new FormatException(source + ": 'parameters' must be a list");
    }
    Map<String, float[]> found = new LinkedHashMap<>();
    int index = 0;
    for (Object o : (List<?>) list) {
      String where = source + ": parameters[" + index++ + "]";
      if (!(o instanceof Map)) {
        throw new FormatException(where + " must be an object");
      }
      Map<?, ?> e = (Map<?, ?>) o;
      Object layer = e.get("layer");
      Object name = e.get("name");
      if (!(layer instanceof Number) || !(name instanceof String)) {
        throw new FormatException(where + " needs a 'layer' number and a 'name'");
      }
      int li = whole(layer, where + " 'layer'");
      if (li < 0 || li >= model.size()) {
        throw new FormatException(
            where
                + ": layer "
                + li
                + " does not exist (the network has "
                + model.size()
                + " layers)");
      }
      Layer.Saved target = find(model.layer(li), (String) name);
      if (target == null) {
        throw new FormatException(
            where + ": layer " + li + " " + model.layer(li) + " has no parameter '" + name + "'");
      }
      String key = li + "." + name;
      float[] values = flatten(e.get("values"), where);
      int[] shape = target.value().shape().dims();
      Object declared = e.get("shape");
      if (declared != null && !java.util.Arrays.equals(toInts(declared, where), shape)) {
        throw new FormatException(
            where
                + ": "
                + key
                + " has shape "
                + java.util.Arrays.toString(toInts(declared, where))
                + " in the file but "
                + java.util.Arrays.toString(shape)
                + " in layer "
                + li
                + " "
                + model.layer(li));
      }
      checkRows(e.get("values"), shape, where + " (" + key + ")");
      if (values.length != target.value().size()) {
        throw new FormatException(
            where
                + ": "
                + key
                + " has "
                + values.length
                + " values, layer "
                + li
                + " "
                + model.layer(li)
                + " needs "
                + target.value().size()
                + " "
                + java.util.Arrays.toString(shape));
      }
      if (found.put(key, values) != null) {
        throw new FormatException(where + ": " + key + " appears twice");
      }
    }
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        if (!found.containsKey(i + "." + p.name())) {
          throw new FormatException(
              source
                  + ": no values for layer "
                  + i
                  + " "
                  + model.layer(i)
                  + " parameter '"
                  + p.name()
                  + "'");
        }
      }
    }
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        float[] v = found.get(i + "." + p.name());
        System.arraycopy(v, 0, p.value().data(), 0, v.length);
      }
    }
    model.markInitialized();
  }

  private static Layer.Saved find(Layer layer, String name) {
    for (Layer.Saved p : layer.saved()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** A matrix given as rows must have rows of equal, right length. */
  private static void checkRows(Object values, int[] shape, String where) throws FormatException {
    if (shape.length != 2 || !(values instanceof List)) {
      return;
    }
    List<?> rows = (List<?>) values;
    if (rows.isEmpty() || !(rows.get(0) instanceof List)) {
      return;
    }
    for (int r = 0; r < rows.size(); r++) {
      Object row = rows.get(r);
      int n = row instanceof List ? ((List<?>) row).size() : -1;
      if (n != shape[1]) {
        throw new FormatException(
            where
                + ": row "
                + r
                + " has "
                + (n < 0 ? "no list" : n + " values")
                + ", expected "
                + shape[1]);
      }
    }
  }

  /** A whole number that fits an int, or a FormatException naming the place. */
  static int whole(Object v, String where) throws FormatException {
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw new FormatException(where + " must be a whole number, got " + v);
  }

  /** True if {@code v} is exactly the whole number {@code expected}. */
  static boolean isWhole(Object v, long expected) {
    return v instanceof Number && ((Number) v).doubleValue() == expected;
  }

  private static int[] toInts(Object o, String where) throws FormatException {
    if (!(o instanceof List)) {
      throw new FormatException(where + ": 'shape' must be a list of sizes");
    }
    List<?> l = (List<?>) o;
    int[] r = new int[l.size()];
    for (int i = 0; i < r.length; i++) {
      if (!(l.get(i) instanceof Number)) {
        throw new FormatException(where + ": 'shape' must be a list of sizes");
      }
      r[i] = whole(l.get(i), where + " 'shape'");
    }
    return r;
  }

  private static float[] flatten(Object values, String where) throws FormatException {
    List<Float> out = new ArrayList<>();
    flatten(values, out, where, 0);
    float[] r = new float[out.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = out.get(i);
    }
    return r;
  }

  private static void flatten(Object v, List<Float> out, String where, int depth)
      throws FormatException {
    if (v instanceof Number) {
      float f = ((Number) v).floatValue();
      if (!Float.isFinite(f)) {
        throw new FormatException(where + ": value " + v + " is not a finite float");
      }
      out.add(f);
    } else if (v instanceof List && depth < 8) {
      for (Object x : (List<?>) v) {
        flatten(x, out, where, depth + 1);
      }
    } else {
      throw new FormatException(where + ": 'values' must hold numbers (nested lists of rows)");
    }
  }
}
