package dev.nerve.io;

import dev.nerve.loss.Loss;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Identity;
import dev.nerve.nn.Init;
import dev.nerve.nn.Layer;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import dev.nerve.nn.Softmax;
import dev.nerve.nn.Tanh;
import dev.nerve.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network and how to train it, as a small JSON file: the input for {@code nerve train}.
 *
 * <pre>{@code
 * {
 *   "inputs": 4,
 *   "layers": [
 *     {"type": "dense", "units": 3, "weight_init": "uniform", "bias_init": "uniform"},
 *     {"type": "sigmoid"},
 *     {"type": "dense", "units": 1, "weight_init": "uniform", "bias_init": "uniform"},
 *     {"type": "sigmoid"}
 *   ],
 *   "loss": "half_squared_error",
 *   "learning_rate": 0.1,
 *   "epochs": 5000,
 *   "batch_size": "full",
 *   "seed": 0
 * }
 * }</pre>
 *
 * <p>Layer types: {@code dense} ({@code units}, {@code bias} default true, {@code weight_init}
 * default xavier_uniform, {@code bias_init} default zeros), {@code sigmoid}, {@code tanh}, {@code
 * relu}, {@code leaky_relu} ({@code negative_slope} default 0.01), {@code softmax}, {@code
 * identity}. Losses: see {@link Loss#named}. {@code batch_size} is a number or {@code "full"}.
 * Unknown keys are refused, so a typo never passes silently.
 *
 * @param inputs features per example
 * @param layers the layers, in order
 * @param loss the loss's JSON name
 * @param learningRate SGD's learning rate
 * @param epochs passes over the data
 * @param batchSize examples per update; {@link Trainer#FULL_BATCH} for all
 * @param seed seed of the initial weights and of the shuffling
 * @param optimizer the optimiser's name: sgd (the default), momentum, nesterov or adam; see {@link
 *     dev.nerve.optim.Optimizer#named}
 */
public record ModelSpec(
    int inputs,
    List<LayerSpec> layers,
    String loss,
    float learningRate,
    int epochs,
    int batchSize,
    long seed,
    String optimizer) {

  /** A spec trained with plain SGD. */
  public ModelSpec(
      int inputs,
      List<LayerSpec> layers,
      String loss,
      float learningRate,
      int epochs,
      int batchSize,
      long seed) {
    this(inputs, layers, loss, learningRate, epochs, batchSize, seed, "sgd");
  }

  /**
   * The spec of a network built in Java, so that it can be saved in a {@link ModelFile}: its layers
   * as this format names them, with the given training settings.
   *
   * @throws IllegalArgumentException if a layer has no name in this format
   */
  public static ModelSpec describe(
      Sequential net,
      String loss,
      String optimizer,
      float learningRate,
      int epochs,
      int batchSize,
      long seed) {
    List<LayerSpec> ls = new ArrayList<>();
    for (Layer l : net.layers()) {
      if (l instanceof Dense d) {
        ls.add(
            LayerSpec.dense(
                d.out(),
                d.hasBias(),
                d.weightInit().name(),
                d.hasBias() ? d.biasInit().name() : "zeros"));
      } else if (l instanceof LeakyReLU r) {
        ls.add(new LayerSpec("leaky_relu", 0, false, null, null, r.negativeSlope()));
      } else {
        String type =
            l instanceof Sigmoid
                ? "sigmoid"
                : l instanceof Tanh
                    ? "tanh"
                    : l instanceof ReLU
                        ? "relu"
                        : l instanceof Softmax
                            ? "softmax"
                            : l instanceof Identity ? "identity" : null;
        if (type == null) {
          throw new IllegalArgumentException(
              "layer " + l + " cannot be described in a model file of this version");
        }
        ls.add(LayerSpec.of(type));
      }
    }
    int inputs = 0;
    for (Layer l : net.layers()) {
      if (l instanceof Dense d) {
        inputs = d.in();
        break;
      }
    }
    if (inputs == 0) {
      throw new IllegalArgumentException("a network without a dense layer has no input width");
    }
    return new ModelSpec(
        inputs, List.copyOf(ls), loss, learningRate, epochs, batchSize, seed, optimizer);
  }

  /**
   * One layer.
   *
   * @param type dense, sigmoid, tanh, relu, leaky_relu, softmax or identity
   * @param units outputs of a dense layer (0 for others)
   * @param bias whether a dense layer has a bias
   * @param weightInit a dense layer's weight initialiser name
   * @param biasInit a dense layer's bias initialiser name
   * @param negativeSlope leaky_relu's slope for negative inputs
   */
  public record LayerSpec(
      String type,
      int units,
      boolean bias,
      String weightInit,
      String biasInit,
      float negativeSlope) {
    /** A parameter-free layer of this type. */
    public static LayerSpec of(String type) {
      return new LayerSpec(type, 0, false, null, null, 0.01f);
    }

    /** A dense layer. */
    public static LayerSpec dense(int units, boolean bias, String weightInit, String biasInit) {
      return new LayerSpec("dense", units, bias, weightInit, biasInit, 0f);
    }
  }

  private static final Set<String> TOP_KEYS =
      Set.of(
          "inputs", "layers", "loss", "optimizer", "learning_rate", "epochs", "batch_size", "seed");
  private static final Set<String> DENSE_KEYS =
      Set.of("type", "units", "bias", "weight_init", "bias_init");

  /** Builds the network this spec describes (parameters not yet initialised). */
  public Sequential build() {
    List<Layer> ls = new ArrayList<>();
    int width = inputs;
    for (LayerSpec l : layers) {
      switch (l.type()) {
        case "dense":
          ls.add(
              new Dense(
                  width,
                  l.units(),
                  l.bias(),
                  Init.named(l.weightInit()),
                  Init.named(l.biasInit())));
          width = l.units();
          break;
        case "sigmoid":
          ls.add(new Sigmoid());
          break;
        case "tanh":
          ls.add(new Tanh());
          break;
        case "relu":
          ls.add(new ReLU());
          break;
        case "leaky_relu":
          ls.add(new LeakyReLU(l.negativeSlope()));
          break;
        case "softmax":
          ls.add(new Softmax());
          break;
        case "identity":
          ls.add(new Identity());
          break;
        default:
          throw new IllegalArgumentException("unknown layer type '" + l.type() + "'");
      }
    }
    return new Sequential(ls);
  }

  /** Number of outputs of the network. */
  public int outputs() {
    int width = inputs;
    for (LayerSpec l : layers) {
      if (l.type().equals("dense")) {
        width = l.units();
      }
    }
    return width;
  }

  /** This spec as a JSON object (the layout above). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputs", inputs);
    List<Object> ls = new ArrayList<>();
    for (LayerSpec l : layers) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", l.type());
      if (l.type().equals("dense")) {
        e.put("units", l.units());
        e.put("bias", l.bias());
        e.put("weight_init", l.weightInit());
        e.put("bias_init", l.biasInit());
      } else if (l.type().equals("leaky_relu")) {
        e.put("negative_slope", l.negativeSlope());
      }
      ls.add(e);
    }
    m.put("layers", ls);
    m.put("loss", loss);
    m.put("optimizer", optimizer);
    m.put("learning_rate", learningRate);
    m.put("epochs", epochs);
    m.put("batch_size", batchSize == Trainer.FULL_BATCH ? "full" : (Object) batchSize);
    m.put("seed", seed);
    return m;
  }

  /**
   * Reads a spec from a JSON file.
   *
   * @throws FormatException naming the file, the place and the problem
   */
  public static ModelSpec read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJson(Json.parse(text, file.toString()), file.toString());
    } catch (Json.JsonException e) {
      throw new FormatException(e.getMessage());
    }
  }

  /** Reads a spec from a parsed JSON object; {@code source} is named in errors. */
  public static ModelSpec fromJson(Object json, String source) throws FormatException {
    if (!(json instanceof Map)) {
      throw new FormatException(source + ": a network description must be a JSON object");
    }
    Map<?, ?> m = (Map<?, ?>) json;
    unknownKeys(m, TOP_KEYS, source);
    int inputs = positiveInt(m, "inputs", null, source);
    Object layersJson = m.get("layers");
    if (!(layersJson instanceof List) || ((List<?>) layersJson).isEmpty()) {
      throw new FormatException(source + ": 'layers' must be a non-empty list");
    }
    List<LayerSpec> layers = new ArrayList<>();
    int i = 0;
    for (Object o : (List<?>) layersJson) {
      String where = source + ": layers[" + i++ + "]";
      if (!(o instanceof Map)) {
        throw new FormatException(where + " must be an object with a 'type'");
      }
      Map<?, ?> l = (Map<?, ?>) o;
      String type = string(l, "type", null, where);
      switch (type) {
        case "dense":
          unknownKeys(l, DENSE_KEYS, where);
          String wi = string(l, "weight_init", "xavier_uniform", where);
          String bi = string(l, "bias_init", "zeros", where);
          checkInit(wi, where);
          checkInit(bi, where);
          layers.add(
              LayerSpec.dense(
                  positiveInt(l, "units", null, where), bool(l, "bias", true, where), wi, bi));
          break;
        case "leaky_relu":
          unknownKeys(l, Set.of("type", "negative_slope"), where);
          layers.add(
              new LayerSpec(
                  type, 0, false, null, null, (float) number(l, "negative_slope", 0.01, where)));
          break;
        case "sigmoid":
        case "tanh":
        case "relu":
        case "softmax":
        case "identity":
          unknownKeys(l, Set.of("type"), where);
          layers.add(LayerSpec.of(type));
          break;
        default:
          throw new FormatException(
              where
                  + ": unknown layer type '"
                  + type
                  + "'; known: dense,"
                  + " sigmoid, tanh, relu, leaky_relu, softmax, identity");
      }
    }
    String loss = string(m, "loss", "mse", source);
    try {
      Loss.named(loss);
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": " + e.getMessage());
    }
    double lr = number(m, "learning_rate", 0.1, source);
    if (!((float) lr > 0f) || !Float.isFinite((float) lr)) {
      throw new FormatException(
          source + ": 'learning_rate' must be a positive number within float range, got " + lr);
    }
    int epochs = positiveInt(m, "epochs", 1, source);
    int batch;
    Object b = m.get("batch_size");
    if (b == null || "full".equals(b)) {
      batch = Trainer.FULL_BATCH;
    } else {
      batch = positiveInt(m, "batch_size", null, source);
    }
    long seed = m.get("seed") == null ? 0 : wholeNumber(m.get("seed"), "seed", source);
    String optimizer = string(m, "optimizer", "sgd", source);
    try {
      dev.nerve.optim.Optimizer.named(optimizer, List.of(), 0.1f);
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": " + e.getMessage());
    }
    ModelSpec spec =
        new ModelSpec(
            inputs, List.copyOf(layers), loss, (float) lr, epochs, batch, seed, optimizer);
    // Checked by arithmetic, not by building: a hostile file must not make the reader allocate.
    long params = spec.parameterCount();
    if (params > MAX_PARAMETERS) {
      throw new FormatException(
          source
              + ": the network has "
              + params
              + " parameters, more than this library loads ("
              + MAX_PARAMETERS
              + ")");
    }
    for (LayerSpec l : layers) {
      if (!Float.isFinite(l.negativeSlope())) {
        throw new FormatException(source + ": 'negative_slope' must be a finite float");
      }
    }
    return spec;
  }

  /** The most parameters a network description may have: 2^28 floats, 1 GB. */
  public static final long MAX_PARAMETERS = 1L << 28;

  /** The number of trainable values of the network, computed without building it. */
  public long parameterCount() {
    long n = 0;
    long width = inputs;
    for (LayerSpec l : layers) {
      if (l.type().equals("dense")) {
        n += width * l.units() + (l.bias() ? l.units() : 0);
        width = l.units();
      }
    }
    return n;
  }

  private static void checkInit(String name, String where) throws FormatException {
    try {
      Init.named(name);
    } catch (IllegalArgumentException e) {
      throw new FormatException(where + ": " + e.getMessage());
    }
  }

  private static void unknownKeys(Map<?, ?> m, Set<String> known, String where)
      throws FormatException {
    for (Object k : m.keySet()) {
      if (!known.contains(k)) {
        throw new FormatException(
            where
                + ": unknown key '"
                + k
                + "'; known: "
                + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  private static String string(Map<?, ?> m, String key, String dflt, String where)
      throws FormatException {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new FormatException(where + ": '" + key + "' is required");
      }
      return dflt;
    }
    if (!(v instanceof String)) {
      throw new FormatException(where + ": '" + key + "' must be a string, got " + v);
    }
    return (String) v;
  }

  private static boolean bool(Map<?, ?> m, String key, boolean dflt, String where)
      throws FormatException {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean)) {
      throw new FormatException(where + ": '" + key + "' must be true or false, got " + v);
    }
    return (Boolean) v;
  }

  private static double number(Map<?, ?> m, String key, double dflt, String where)
      throws FormatException {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number)) {
      throw new FormatException(where + ": '" + key + "' must be a number, got " + v);
    }
    return ((Number) v).doubleValue();
  }

  private static long wholeNumber(Object v, String key, String where) throws FormatException {
    if (!(v instanceof Number)) {
      throw new FormatException(where + ": '" + key + "' must be a whole number, got " + v);
    }
    try {
      return ((Number) v).longValue();
    } catch (NumberFormatException e) {
      throw new FormatException(where + ": '" + key + "' must be a whole number, got " + v);
    }
  }

  private static int positiveInt(Map<?, ?> m, String key, Integer dflt, String where)
      throws FormatException {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new FormatException(where + ": '" + key + "' is required");
      }
      return dflt;
    }
    long n = wholeNumber(v, key, where);
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new FormatException(
          where + ": '" + key + "' must be a whole number of at least 1," + " got " + v);
    }
    return (int) n;
  }
}
