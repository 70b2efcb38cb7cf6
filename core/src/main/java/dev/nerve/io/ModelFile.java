package dev.nerve.io;

import dev.nerve.nn.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained network in one JSON file: its {@link ModelSpec}, its weights (as in {@link Weights})
 * and free-form metadata (for instance the CSV columns it was trained on), so that {@code nerve
 * predict} and {@code nerve evaluate} need nothing else.
 *
 * <pre>{@code
 * {"format": "nerve-model", "version": 1, "spec": {...}, "metadata": {...}, "parameters": [...]}
 * }</pre>
 *
 * @param spec the network and its training settings
 * @param model the network with its weights
 * @param metadata extra JSON values kept with the model (may be empty, never null)
 */
public record ModelFile(ModelSpec spec, Sequential model, Map<String, Object> metadata) {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "nerve-model";

  /** The layout version this library writes and reads. */
  public static final int VERSION = 1;

  /** Writes the spec, weights and metadata to {@code file} atomically. */
  public void write(Path file) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("version", VERSION);
    doc.put("spec", spec.toJson());
    doc.put("metadata", metadata);
    doc.put("parameters", Weights.toJson(model));
    AtomicFiles.writeString(file, Json.write(doc));
  }

  /**
   * Reads a model file.
   *
   * @throws FormatException if the file is not a model of this version or is inconsistent, with the
   *     reason
   */
  public static ModelFile read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Object doc;
    try {
      doc = Json.parse(text, file.toString());
    } catch (Json.JsonException e) {
      throw new FormatException(e.getMessage());
    }
    if (!(doc instanceof Map)) {
      throw new FormatException(file + ": not a model file (expected a JSON object)");
    }
    Map<?, ?> m = (Map<?, ?>) doc;
    if (!FORMAT.equals(m.get("format"))) {
      throw new FormatException(
          file
              + ": format is "
              + (m.get("format") == null ? "missing" : "'" + m.get("format") + "'")
              + ", expected '"
              + FORMAT
              + "'");
    }
    Object version = m.get("version");
    if (!Weights.isWhole(version, VERSION)) {
      throw new FormatException(
          file
              + ": model version "
              + version
              + " is not supported (this"
              + " library reads version "
              + VERSION
              + ")");
    }
    ModelSpec spec = ModelSpec.fromJson(m.get("spec"), file + ": spec");
    Sequential model = spec.build();
    Weights.fromJson(m.get("parameters"), model, file.toString());
    Map<String, Object> meta = new LinkedHashMap<>();
    if (m.get("metadata") instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("metadata")).entrySet()) {
        meta.put(String.valueOf(e.getKey()), e.getValue());
      }
    }
    return new ModelFile(spec, model, meta);
  }
}
