package dev.nerve.io;

import dev.nerve.Nerve;
import dev.nerve.data.ColumnEncoding;
import dev.nerve.data.DataFormatException;
import dev.nerve.data.Features;
import dev.nerve.data.Normalizer;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained network in one file: everything {@code nerve predict} needs and nothing else to trust.
 *
 * <p>Version 2 (written by this library) is a zip archive of two entries, so that any zip tool can
 * open it:
 *
 * <ul>
 *   <li>{@code manifest.json}, for people: the format and its version, the library version, the
 *       creation time, the network and its training settings ({@link ModelSpec}), the input
 *       normalisation with its statistics, free-form metadata (for instance the CSV columns, the
 *       class names, the seed and a hash of the training data), the list of parameters with their
 *       shapes and places, and the length and SHA-256 of the weights;
 *   <li>{@code weights.bin}, for machines: every parameter's values one after another as
 *       little-endian float32, in the order of the manifest's {@code parameters}, stored without
 *       compression. In Python: {@code numpy.frombuffer(zipfile.ZipFile(f).read("weights.bin"),
 *       "<f4")}.
 * </ul>
 *
 * <p>Files are written atomically (see {@link AtomicFiles}). Reading refuses, with the reason, a
 * file that is not a model, an unknown format version, a truncated archive, an entry whose CRC does
 * not match, weights whose length or SHA-256 differ from the manifest, and weights that do not fit
 * the network. Version 1 files (one JSON document with the weights as text) are still read.
 *
 * @param spec the network and its training settings
 * @param model the network with its weights
 * @param normalizer the normalisation applied to inputs before the network (none: {@link
 *     Normalizer#none()})
 * @param metadata extra JSON values kept with the model (may be empty, never null)
 */
public record ModelFile(
    ModelSpec spec, Sequential model, Normalizer normalizer, Map<String, Object> metadata) {
  /** The value of the manifest's {@code format} field. */
  public static final String FORMAT = "nerve-model";

  /** The layout version this library writes. */
  public static final int VERSION = 2;

  /** The first version, one JSON document; still read. */
  public static final int VERSION_1 = 1;

  private static final String MANIFEST = ModelArchive.MANIFEST;
  private static final String WEIGHTS = ModelArchive.WEIGHTS;

  /** A model file with no normalisation. */
  public ModelFile(ModelSpec spec, Sequential model, Map<String, Object> metadata) {
    this(spec, model, Normalizer.none(), metadata);
  }

  /**
   * The column encoding the model was trained with (CSV columns, target, class names), from its
   * metadata; without input columns for a model trained on images.
   *
   * @throws IllegalArgumentException if the metadata's columns are damaged
   */
  public ColumnEncoding encoding() {
    return ColumnEncoding.fromMetadata(metadata);
  }

  /** The metadata key of the tokenizer of a model that reads text. */
  public static final String TOKENIZER = "tokenizer";

  /**
   * The tokenizer of a model trained on text (kept in its metadata), or null for a model that does
   * not read text.
   *
   * @throws IllegalArgumentException if the kept tokenizer is damaged, naming the field
   */
  public dev.nerve.text.Tokenizer tokenizer() {
    Object t = metadata.get(TOKENIZER);
    return t == null ? null : dev.nerve.text.Tokenizer.fromJson(t);
  }

  /**
   * The network's outputs for rows of raw column values (name to text, as in the training CSV),
   * encoded and normalised exactly as in training: what {@code nerve predict} computes.
   *
   * @throws DataFormatException naming the row and column of a value that cannot be encoded
   * @throws IllegalStateException if the model was not trained on named columns
   */
  public Tensor predict(List<Map<String, String>> rows) throws DataFormatException {
    return predict(ColumnEncoding.Table.of(rows));
  }

  /** {@link #predict(List)} on any table of text cells (columns found by name). */
  public Tensor predict(ColumnEncoding.Table rows) throws DataFormatException {
    ColumnEncoding e = encoding();
    if (!e.hasColumns()) {
      throw new IllegalStateException(
          "this model does not read named columns: it takes "
              + spec.inputs()
              + " values per example (it was trained on images)");
    }
    if (e.width() != spec.inputs()) {
      throw new IllegalStateException(
          "the model file is damaged: its columns ("
              + e.describe()
              + ") give "
              + e.width()
              + " inputs, its network takes "
              + spec.inputs());
    }
    if (rows.rows() == 0) {
      return model.predict(Tensor.zeros(0, spec.inputs()));
    }
    Tensor x = e.encodeInputs(rows);
    return model.predict(Features.of(x).normalized(normalizer).toTensor());
  }

  /**
   * Writes the model to {@code file} atomically in the current version's layout.
   *
   * @throws dev.nerve.tensor.ShapeMismatchException if the spec's shapes do not fit (the reader
   *     would refuse the file)
   * @throws IllegalArgumentException if the spec does not describe the network's stored values
   */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toBytes(Instant.now().toString()));
  }

  /** The file's bytes, with {@code created} as the manifest's creation time. */
  byte[] toBytes(String created) throws IOException {
    byte[] weights = weightBytes(model);
    // Never write a file that cannot be read back: the spec must pass the reader's checks and
    // describe exactly the values saved.
    if (4 * spec.storedValueCount() != weights.length) {
      throw new IllegalArgumentException(
          "the spec describes "
              + spec.storedValueCount()
              + " stored values but the network holds "
              + weights.length / 4
              + ": they are not the same network");
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", FORMAT);
    manifest.put("version", VERSION);
    manifest.put("library", "nerve " + Nerve.version());
    manifest.put("created", created);
    manifest.put("network", spec.toJson());
    manifest.put("normalization", normalizationJson(normalizer));
    manifest.put("metadata", metadata);
    List<Object> params = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("layer", i);
        e.put("name", p.name());
        e.put("shape", p.value().shape().dims());
        e.put("offset", offset);
        e.put("length", p.value().size());
        offset += 4L * p.value().size();
        params.add(e);
      }
    }
    manifest.put("parameters", params);
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("entry", WEIGHTS);
    w.put("dtype", "float32");
    w.put("byte_order", "little");
    w.put("bytes", weights.length);
    w.put("sha256", sha256(weights));
    manifest.put("weights", w);
    byte[] manifestBytes = (Json.write(manifest) + "\n").getBytes(StandardCharsets.UTF_8);

    return ModelArchive.write(manifestBytes, weights);
  }

  private static byte[] weightBytes(Sequential model) {
    long n = 0;
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        n += p.value().size();
      }
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(4 * n)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        for (float v : p.value().data()) {
          b.putFloat(v);
        }
      }
    }
    return b.array();
  }

  private static Map<String, Object> normalizationJson(Normalizer n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", n.kind().id());
    if (n.kind() != Normalizer.Kind.NONE) {
      m.put("offset", n.offsets());
      m.put("factor", n.factors());
    }
    return m;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Reads a model file of version 2 or 1.
   *
   * @throws FormatException with the reason if the file is not a model this library can read, or is
   *     damaged; nothing is returned from a damaged file
   */
  public static ModelFile read(Path file) throws IOException {
    return fromBytes(readAll(file), file.toString());
  }

  /**
   * Reads only the manifest of a model file (for version 1, the document without its weights), as
   * JSON values, without checking the weights.
   *
   * @throws FormatException if the file is not a model file this library can read
   */
  public static Map<String, Object> readManifest(Path file) throws IOException {
    byte[] bytes = readAll(file);
    String source = file.toString();
    Map<String, Object> out = new LinkedHashMap<>();
    if (ModelArchive.isZip(bytes)) {
      Map<?, ?> m = parseManifest(ModelArchive.read(bytes, source).manifest(), source);
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
    } else {
      Map<?, ?> m = legacyDocument(bytes, source);
      m.forEach(
          (k, v) -> {
            if (!"parameters".equals(k)) {
              out.put(String.valueOf(k), v);
            }
          });
    }
    return out;
  }

  private static byte[] readAll(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 8) {
      throw new FormatException(file + ": " + size + " bytes, larger than a model file can be");
    }
    return Files.readAllBytes(file);
  }

  /**
   * Reads a model from bytes held in memory; {@code source} names them in errors.
   *
   * @throws FormatException as {@link #read(Path)}
   */
  public static ModelFile fromBytes(byte[] bytes, String source) throws FormatException {
    if (bytes.length == 0) {
      throw new FormatException(source + ": empty file, not a model");
    }
    if (!ModelArchive.isZip(bytes)) {
      return readVersion1(legacyDocument(bytes, source), source, bytes.length);
    }
    ModelArchive.Entries e = ModelArchive.read(bytes, source);
    Map<?, ?> m = parseManifest(e.manifest(), source);
    ModelSpec spec = ModelSpec.fromJson(m.get("network"), source + ": network");
    Normalizer normalizer = readNormalization(m.get("normalization"), spec.inputs(), source);
    Object w = m.get("weights");
    if (!(w instanceof Map)) {
      throw new FormatException(source + ": manifest has no 'weights' object");
    }
    Map<?, ?> wm = (Map<?, ?>) w;
    if (!"float32".equals(wm.get("dtype")) || !"little".equals(wm.get("byte_order"))) {
      throw new FormatException(
          source
              + ": weights are "
              + wm.get("dtype")
              + " "
              + wm.get("byte_order")
              + "-endian; this library reads float32 little-endian");
    }
    if (!Weights.isWhole(wm.get("bytes"), e.weights().length)
        || 4 * spec.storedValueCount() != e.weights().length) {
      throw new FormatException(
          source
              + ": weights hold "
              + e.weights().length
              + " bytes but the manifest says "
              + wm.get("bytes")
              + " and the network needs "
              + 4 * spec.storedValueCount());
    }
    String want = String.valueOf(wm.get("sha256"));
    String got = sha256(e.weights());
    if (!got.equals(want)) {
      throw new FormatException(
          source + ": weights checksum mismatch (SHA-256 " + got + ", manifest says " + want + ")");
    }
    Sequential model = spec.build();
    loadWeights(m.get("parameters"), e.weights(), model, source);
    model.markInitialized();
    ModelFile f = new ModelFile(spec, model, normalizer, stringKeys(m.get("metadata")));
    try {
      f.tokenizer(); // a damaged vocabulary is refused now, not at the first prediction
    } catch (IllegalArgumentException bad) {
      throw new FormatException(source + ": metadata." + bad.getMessage());
    }
    return f;
  }

  private static Map<?, ?> parseManifest(byte[] bytes, String source) throws FormatException {
    Object doc;
    try {
      doc = Json.parse(decode(bytes, source), source + ": " + MANIFEST);
    } catch (Json.JsonException e) {
      throw new FormatException(e.getMessage());
    }
    if (!(doc instanceof Map)) {
      throw new FormatException(source + ": the manifest must be a JSON object");
    }
    Map<?, ?> m = (Map<?, ?>) doc;
    checkFormat(m, source);
    if (!Weights.isWhole(m.get("version"), VERSION)) {
      throw unsupported(m.get("version"), source);
    }
    return m;
  }

  private static String decode(byte[] bytes, String source) throws FormatException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new FormatException(source + ": not UTF-8 text where JSON was expected");
    }
  }

  private static void checkFormat(Map<?, ?> m, String source) throws FormatException {
    if (!FORMAT.equals(m.get("format"))) {
      throw new FormatException(
          source
              + ": format is "
              + (m.get("format") == null ? "missing" : "'" + m.get("format") + "'")
              + ", expected '"
              + FORMAT
              + "'");
    }
  }

  private static FormatException unsupported(Object version, String source) {
    return new FormatException(
        source
            + ": model format version "
            + version
            + " is not supported (this library reads versions "
            + VERSION_1
            + " and "
            + VERSION
            + "; a newer Nerve may read it)");
  }

  private static Map<?, ?> legacyDocument(byte[] bytes, String source) throws FormatException {
    Object doc;
    try {
      doc = Json.parse(decode(bytes, source), source);
    } catch (Json.JsonException e) {
      throw new FormatException(
          source + ": not a model file (neither a Nerve zip archive nor JSON): " + e.getMessage());
    }
    if (!(doc instanceof Map)) {
      throw new FormatException(source + ": not a model file (expected a JSON object)");
    }
    Map<?, ?> m = (Map<?, ?>) doc;
    checkFormat(m, source);
    if (Weights.isWhole(m.get("version"), VERSION)) {
      throw new FormatException(source + ": version 2 model files are zip archives, not JSON");
    }
    if (!Weights.isWhole(m.get("version"), VERSION_1)) {
      throw unsupported(m.get("version"), source);
    }
    return m;
  }

  private static ModelFile readVersion1(Map<?, ?> m, String source, int fileBytes)
      throws FormatException {
    ModelSpec spec = ModelSpec.fromJson(m.get("spec"), source + ": spec");
    // Each value takes at least two characters of JSON: more parameters cannot be in the file.
    if (spec.storedValueCount() > fileBytes / 2) {
      throw new FormatException(
          source
              + ": the network needs "
              + spec.storedValueCount()
              + " values; the file is too small");
    }
    Sequential model = spec.build();
    Weights.fromJson(m.get("parameters"), model, source);
    return new ModelFile(spec, model, Normalizer.none(), stringKeys(m.get("metadata")));
  }

  private static Map<String, Object> stringKeys(Object o) {
    Map<String, Object> meta = new LinkedHashMap<>();
    if (o instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        meta.put(String.valueOf(e.getKey()), e.getValue());
      }
    }
    return meta;
  }

  private static Normalizer readNormalization(Object o, int inputs, String source)
      throws FormatException {
    if (o == null) {
      return Normalizer.none();
    }
    if (!(o instanceof Map)) {
      throw new FormatException(source + ": 'normalization' must be an object");
    }
    Map<?, ?> m = (Map<?, ?>) o;
    try {
      Normalizer.Kind kind = Normalizer.Kind.of(String.valueOf(m.get("kind")));
      if (kind == Normalizer.Kind.NONE) {
        return Normalizer.none();
      }
      Normalizer n =
          Normalizer.of(
              kind,
              floats(m.get("offset"), "normalization.offset", source),
              floats(m.get("factor"), "normalization.factor", source));
      n.requireColumns(inputs);
      return n;
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": normalization: " + e.getMessage());
    }
  }

  private static float[] floats(Object o, String what, String source) throws FormatException {
    if (!(o instanceof List<?> list)) {
      throw new FormatException(source + ": '" + what + "' must be a list of numbers");
    }
    float[] f = new float[list.size()];
    for (int i = 0; i < f.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new FormatException(source + ": '" + what + "' must hold numbers only");
      }
      f[i] = n.floatValue();
    }
    return f;
  }

  private static void loadWeights(Object list, byte[] weights, Sequential model, String source)
      throws FormatException {
    if (!(list instanceof List<?> entries)) {
      throw new FormatException(source + ": manifest 'parameters' must be a list");
    }
    List<Layer.Saved> expected = new ArrayList<>();
    List<Integer> layers = new ArrayList<>();
    for (int i = 0; i < model.size(); i++) {
      for (Layer.Saved p : model.layer(i).saved()) {
        expected.add(p);
        layers.add(i);
      }
    }
    if (entries.size() != expected.size()) {
      throw new FormatException(
          source
              + ": manifest lists "
              + entries.size()
              + " parameters but the network has "
              + expected.size());
    }
    ByteBuffer b = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
    float[][] values = new float[expected.size()][];
    long offset = 0;
    for (int k = 0; k < expected.size(); k++) {
      Layer.Saved p = expected.get(k);
      String where = source + ": parameters[" + k + "]";
      if (!(entries.get(k) instanceof Map<?, ?> e)) {
        throw new FormatException(where + " must be an object");
      }
      int[] dims = p.value().shape().dims();
      String want =
          "layer " + layers.get(k) + " " + p.name() + " " + java.util.Arrays.toString(dims);
      Object shape = e.get("shape");
      boolean same =
          Weights.isWhole(e.get("layer"), layers.get(k))
              && p.name().equals(e.get("name"))
              && shape instanceof List<?> sl
              && sl.size() == dims.length;
      if (same) {
        List<?> sl = (List<?>) shape;
        for (int d = 0; d < dims.length; d++) {
          same &= Weights.isWhole(sl.get(d), dims[d]);
        }
      }
      if (!same) {
        throw new FormatException(
            where
                + " is layer "
                + e.get("layer")
                + " "
                + e.get("name")
                + " "
                + shape
                + " but the network expects "
                + want);
      }
      int n = p.value().size();
      if (!Weights.isWhole(e.get("offset"), offset) || !Weights.isWhole(e.get("length"), n)) {
        throw new FormatException(where + ": offset or length does not match its shape");
      }
      if (offset + 4L * n > weights.length) {
        throw new FormatException(where + ": runs past the end of the weights");
      }
      values[k] = new float[n];
      b.position((int) offset);
      b.asFloatBuffer().get(values[k]);
      offset += 4L * n;
    }
    if (offset != weights.length) {
      throw new FormatException(
          source + ": weights hold " + weights.length + " bytes, the parameters use " + offset);
    }
    for (int k = 0; k < expected.size(); k++) {
      System.arraycopy(values[k], 0, expected.get(k).value().data(), 0, values[k].length);
    }
  }
}
