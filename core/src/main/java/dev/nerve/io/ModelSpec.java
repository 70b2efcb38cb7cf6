package dev.nerve.io;

import dev.nerve.loss.Loss;
import dev.nerve.nn.LayerSettings;
import dev.nerve.nn.LayerType;
import dev.nerve.nn.LayerTypes;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
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
 * <p>The input is either {@code "inputs": n} (rows of n values) or {@code "input_shape"}: {@code
 * [channels, height, width]} for images (rows of channels·height·width values, seen in that shape),
 * or two sizes, {@code [t, f]}, for a sequence of t steps of f values (or an image without
 * channels). A {@code dense} layer takes the last axis of what reaches it, so on {@code [t, f]} it
 * acts on every step; put a {@code flatten} first to treat the whole example as one vector (a dense
 * layer on feature maps {@code [c, h, w]} is refused with that hint). Each layer is an object with
 * a {@code type} and that type's settings, read and written by the type itself ({@link LayerTypes}
 * lists them; each layer class documents its settings record, such as {@link
 * dev.nerve.nn.Dense.Settings}). Channel and feature counts come from the shape that reaches the
 * layer:
 *
 * <ul>
 *   <li>{@code dense}: {@code units}, {@code bias} [true], {@code weight_init} [xavier_uniform],
 *       {@code bias_init} [zeros];
 *   <li>{@code conv2d}: {@code out_channels}, {@code kernel_size}, {@code stride} [1], {@code
 *       padding} [0], {@code dilation} [1], {@code bias} [true], {@code weight_init} [auto: He
 *       before a ReLU-like activation, Glorot otherwise], {@code bias_init} [zeros];
 *   <li>{@code max_pool2d}, {@code avg_pool2d}: {@code kernel_size}, {@code stride} [kernel_size],
 *       {@code padding} [0];
 *   <li>{@code global_avg_pool2d}, {@code flatten}, {@code batch_norm};
 *   <li>{@code dropout}: {@code rate} [0.5];
 *   <li>{@code residual}: {@code layers}, a list of layers {@code f} whose output has the shape of
 *       their input; the layer gives {@code x + f(x)};
 *   <li>activations {@code sigmoid}, {@code tanh}, {@code relu}, {@code leaky_relu} ({@code
 *       negative_slope} [0.01]), {@code elu} ({@code alpha} [1]), {@code gelu}, {@code softplus},
 *       {@code silu} (also read as {@code swish}), {@code softmax}, {@code identity}.
 * </ul>
 *
 * <p>Losses: see {@link Loss#named}. {@code batch_size} is a number or {@code "full"}. Unknown keys
 * are refused, so a typo never passes silently, and the shapes are checked when the file is read,
 * by arithmetic ({@link LayerTypes#walk}), before anything is allocated: a kernel that does not fit
 * or a dense layer on an unflattened image is named with its shapes.
 *
 * @param inputShape the shape of one example: {@code [n]}, or {@code [channels, height, width]}
 * @param layers the layers' settings, in order
 * @param loss the loss's JSON name
 * @param learningRate SGD's learning rate
 * @param epochs passes over the data
 * @param batchSize examples per update; {@link Trainer#FULL_BATCH} for all
 * @param seed seed of the initial weights and of the shuffling
 * @param optimizer the optimiser's name: sgd (the default), momentum, nesterov, adam, adamw,
 *     rmsprop or adagrad; see {@link dev.nerve.optim.Optimizer#named}
 */
public record ModelSpec(
    List<Integer> inputShape,
    List<LayerSettings> layers,
    String loss,
    float learningRate,
    int epochs,
    int batchSize,
    long seed,
    String optimizer) {

  /**
   * The most values one example may have at any layer's output; see {@link
   * LayerType#MAX_ACTIVATION}.
   */
  public static final int MAX_ACTIVATION = LayerType.MAX_ACTIVATION;

  /** The largest kernel, stride, padding, channel or unit count a network description may use. */
  public static final int MAX_SIZE = LayerType.MAX_SIZE;

  /** The most values (parameters and buffers) a network description may have: 2^28, 1 GB. */
  public static final long MAX_PARAMETERS = LayerType.MAX_VALUES;

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException if the input shape does not have 1 to 3 dimensions, has a
   *     dimension below 1 or more than 2^31-1 values
   */
  public ModelSpec {
    inputShape = List.copyOf(inputShape);
    layers = List.copyOf(layers);
    if (inputShape.isEmpty() || inputShape.size() > 3) {
      throw new IllegalArgumentException(
          "the input shape needs 1 to 3 dimensions ([n], [t, f] or [channels, h, w]), got "
              + inputShape);
    }
    long n = 1;
    for (int d : inputShape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "input shape " + inputShape + " has a dimension below 1");
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "input shape " + inputShape + " has more than 2^31-1 values");
      }
    }
  }

  /** A spec for rows of {@code inputs} values. */
  public ModelSpec(
      int inputs,
      List<LayerSettings> layers,
      String loss,
      float learningRate,
      int epochs,
      int batchSize,
      long seed,
      String optimizer) {
    this(List.of(inputs), layers, loss, learningRate, epochs, batchSize, seed, optimizer);
  }

  /** A spec for rows of {@code inputs} values, trained with plain SGD. */
  public ModelSpec(
      int inputs,
      List<LayerSettings> layers,
      String loss,
      float learningRate,
      int epochs,
      int batchSize,
      long seed) {
    this(inputs, layers, loss, learningRate, epochs, batchSize, seed, "sgd");
  }

  /** Values per example: the product of the input shape. */
  public int inputs() {
    int n = 1;
    for (int d : inputShape) {
      n *= d;
    }
    return n;
  }

  /** The input shape as a {@link Shape}. */
  public Shape shape() {
    return Shape.of(inputShape.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * The spec of a network built in Java, so that it can be saved in a {@link ModelFile}: its layers
   * described by their types, with the given training settings.
   *
   * @throws IllegalArgumentException if a layer has no registered type, or the network's input
   *     shape is unknown
   * @throws ShapeMismatchException if the description could not be read back (a dense layer on
   *     feature maps, which the network JSON refuses): a file is never written that cannot be read
   */
  public static ModelSpec describe(
      Sequential net,
      String loss,
      String optimizer,
      float learningRate,
      int epochs,
      int batchSize,
      long seed) {
    List<LayerSettings> ls = LayerTypes.describe(net.layers());
    Shape in = net.inputShape();
    if (in == null) {
      throw new IllegalArgumentException(
          "the network's input shape is unknown: build it with new Sequential(Shape, layers...)");
    }
    List<Integer> shape = new ArrayList<>();
    for (int d : in.dims()) {
      shape.add(d);
    }
    ModelSpec spec =
        new ModelSpec(shape, ls, loss, learningRate, epochs, batchSize, seed, optimizer);
    LayerTypes.walk(ls, spec.shape());
    return spec;
  }

  private static final Set<String> TOP_KEYS =
      Set.of(
          "inputs",
          "input_shape",
          "layers",
          "loss",
          "optimizer",
          "learning_rate",
          "epochs",
          "batch_size",
          "seed");

  /**
   * Builds the network this spec describes (parameters not yet initialised).
   *
   * @throws ShapeMismatchException if a layer cannot take the shape that reaches it, naming the
   *     layer and the shapes
   */
  public Sequential build() {
    return new Sequential(shape(), LayerTypes.build(layers, shape()));
  }

  /** Number of outputs of the network. */
  public int outputs() {
    Shape out = outputShape();
    return out.rank() == 1 ? out.dim(0) : out.size();
  }

  /**
   * The shape of the network's output for one example: {@code [outputs]}, or {@code [t, outputs]}
   * for a network that acts on every step of a sequence.
   */
  public Shape outputShape() {
    return LayerTypes.walk(layers, shape()).output();
  }

  /** This spec as a JSON object (the layout above). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (inputShape.size() == 1) {
      m.put("inputs", inputShape.get(0));
    } else {
      m.put("input_shape", inputShape);
    }
    m.put("layers", LayerTypes.toJson(layers));
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
    List<Integer> inputShape = new ArrayList<>();
    if (m.containsKey("input_shape")) {
      if (m.containsKey("inputs")) {
        throw new FormatException(source + ": give 'inputs' or 'input_shape', not both");
      }
      Object sh = m.get("input_shape");
      if (!(sh instanceof List) || ((List<?>) sh).isEmpty() || ((List<?>) sh).size() > 3) {
        throw new FormatException(
            source + ": 'input_shape' must be a list of 1 to 3 sizes, such as [1, 28, 28]");
      }
      for (Object d : (List<?>) sh) {
        if (d == null) {
          throw new FormatException(source + ": 'input_shape' " + sh + " holds a null");
        }
        inputShape.add(positiveInt(Map.of("input_shape", d), "input_shape", null, source));
      }
    } else {
      inputShape.add(positiveInt(m, "inputs", null, source));
    }
    Object layersJson = m.get("layers");
    if (!(layersJson instanceof List) || ((List<?>) layersJson).isEmpty()) {
      throw new FormatException(source + ": 'layers' must be a non-empty list");
    }
    List<LayerSettings> layers = new ArrayList<>();
    int i = 0;
    for (Object o : (List<?>) layersJson) {
      String where = source + ": layers[" + i++ + "]";
      try {
        layers.add(LayerTypes.fromJson(o));
      } catch (IllegalArgumentException e) {
        throw new FormatException(where + ": " + e.getMessage());
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
    ModelSpec spec;
    try {
      spec = new ModelSpec(inputShape, layers, loss, (float) lr, epochs, batch, seed, optimizer);
      // Checked by arithmetic, not by building: a hostile file must not make the reader allocate.
      LayerTypes.walk(layers, spec.shape());
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": " + e.getMessage());
    }
    return spec;
  }

  /**
   * The number of trainable values of the network, computed without building it.
   *
   * @throws ShapeMismatchException if the layers' shapes do not fit
   */
  public long parameterCount() {
    return LayerTypes.walk(layers, shape()).parameters();
  }

  /**
   * The number of values a model file stores: the trainable ones and the layers' buffers (such as
   * batch normalisation's running statistics), computed without building the network.
   *
   * @throws ShapeMismatchException if the layers' shapes do not fit
   */
  public long storedValueCount() {
    LayerType.Sizes w = LayerTypes.walk(layers, shape());
    return w.parameters() + w.buffers();
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
