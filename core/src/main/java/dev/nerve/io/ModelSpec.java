package dev.nerve.io;

import dev.nerve.loss.Loss;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.ELU;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GELU;
import dev.nerve.nn.GlobalAvgPool2d;
import dev.nerve.nn.Identity;
import dev.nerve.nn.Init;
import dev.nerve.nn.Layer;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Pool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.SiLU;
import dev.nerve.nn.Sigmoid;
import dev.nerve.nn.Softmax;
import dev.nerve.nn.Softplus;
import dev.nerve.nn.Tanh;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
 * <p>The input is either {@code "inputs": n} (rows of n values) or {@code "input_shape": [channels,
 * height, width]} for images (rows of channels·height·width values, seen in that shape). Layer
 * types and their keys (defaults in brackets; channel and feature counts come from the shape that
 * reaches the layer):
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
 *   <li>activations {@code sigmoid}, {@code tanh}, {@code relu}, {@code leaky_relu} ({@code
 *       negative_slope} [0.01]), {@code elu} ({@code alpha} [1]), {@code gelu}, {@code softplus},
 *       {@code silu} (also read as {@code swish}), {@code softmax}, {@code identity}.
 * </ul>
 *
 * <p>Losses: see {@link Loss#named}. {@code batch_size} is a number or {@code "full"}. Unknown keys
 * are refused, so a typo never passes silently, and the shapes are checked when the file is read: a
 * kernel that does not fit or a dense layer on an unflattened image is named with its shapes.
 *
 * @param inputShape the shape of one example: {@code [n]}, or {@code [channels, height, width]}
 * @param layers the layers, in order
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
    List<LayerSpec> layers,
    String loss,
    float learningRate,
    int epochs,
    int batchSize,
    long seed,
    String optimizer) {

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
          "the input shape needs 1 to 3 dimensions ([n], [h, w] or [channels, h, w]), got "
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
      List<LayerSpec> layers,
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
      List<LayerSpec> layers,
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
   * as this format names them, with the given training settings.
   *
   * @throws IllegalArgumentException if a layer has no name in this format, or the network's input
   *     shape is unknown
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
      ls.add(LayerSpec.describe(l));
    }
    Shape in = net.inputShape();
    if (in == null) {
      throw new IllegalArgumentException(
          "the network's input shape is unknown: build it with new Sequential(Shape, layers...)");
    }
    List<Integer> shape = new ArrayList<>();
    for (int d : in.dims()) {
      shape.add(d);
    }
    return new ModelSpec(shape, ls, loss, learningRate, epochs, batchSize, seed, optimizer);
  }

  /**
   * One layer: its type and its settings, every setting present (defaults filled in).
   *
   * @param type the layer's JSON type, such as {@code "dense"} or {@code "conv2d"}
   * @param options the settings by JSON key, values Integer, Float, Boolean or String
   */
  public record LayerSpec(String type, Map<String, Object> options) {
    /**
     * Checks the settings against the type's keys and fills in the defaults.
     *
     * @throws IllegalArgumentException for an unknown type, an unknown key, a missing required
     *     setting or a value of the wrong kind or range
     */
    public LayerSpec {
      Kind kind = KINDS.get(type);
      if (kind == null) {
        throw new IllegalArgumentException(
            "unknown layer type '" + type + "'; known: " + String.join(", ", KINDS.keySet()));
      }
      Set<String> keys = kind.keys();
      for (String k : options.keySet()) {
        if (k.equals("type") || !keys.contains(k)) {
          throw new IllegalArgumentException(
              type + ": unknown key '" + k + "'; known: " + String.join(", ", new TreeSet<>(keys)));
        }
      }
      Map<String, Object> full = new LinkedHashMap<>();
      for (Option o : kind.options) {
        Object v = options.get(o.key);
        if (v == null) {
          v = o.key.equals("stride") && o.dflt == null ? options.get("kernel_size") : o.dflt;
        }
        if (v == null) {
          throw new IllegalArgumentException(type + ": '" + o.key + "' is required");
        }
        full.put(o.key, o.check(type, v));
      }
      options = Collections.unmodifiableMap(full);
    }

    /** A layer of this type with every setting at its default. */
    public static LayerSpec of(String type) {
      return new LayerSpec(type, Map.of());
    }

    /** A dense layer. */
    public static LayerSpec dense(int units, boolean bias, String weightInit, String biasInit) {
      return new LayerSpec(
          "dense",
          Map.of("units", units, "bias", bias, "weight_init", weightInit, "bias_init", biasInit));
    }

    /** A convolution with bias, dilation 1 and the automatic initialiser. */
    public static LayerSpec conv2d(int outChannels, int kernelSize, int stride, int padding) {
      return new LayerSpec(
          "conv2d",
          Map.of(
              "out_channels",
              outChannels,
              "kernel_size",
              kernelSize,
              "stride",
              stride,
              "padding",
              padding));
    }

    /** Max pooling with stride equal to the window and no padding. */
    public static LayerSpec maxPool2d(int kernelSize) {
      return new LayerSpec("max_pool2d", Map.of("kernel_size", kernelSize));
    }

    /** Dropout at this rate. */
    public static LayerSpec dropout(float rate) {
      return new LayerSpec("dropout", Map.of("rate", rate));
    }

    /** A whole-number setting. */
    public int integer(String key) {
      return (Integer) option(key);
    }

    /** A real-number setting. */
    public float real(String key) {
      return (Float) option(key);
    }

    /** A true/false setting. */
    public boolean flag(String key) {
      return (Boolean) option(key);
    }

    /** A text setting, such as an initialiser's name. */
    public String text(String key) {
      return (String) option(key);
    }

    private Object option(String key) {
      Object v = options.get(key);
      if (v == null) {
        throw new IllegalArgumentException(type + " has no setting '" + key + "'");
      }
      return v;
    }

    /** This layer as a JSON object: its type, then every setting. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", type);
      m.putAll(options);
      return m;
    }

    /** The spec of a layer object. */
    static LayerSpec describe(Layer l) {
      if (l instanceof Dense d) {
        return dense(
            d.out(),
            d.hasBias(),
            d.weightInit().name(),
            d.hasBias() ? d.biasInit().name() : "zeros");
      } else if (l instanceof Conv2d c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out_channels", c.out());
        m.put("kernel_size", c.kernel());
        m.put("stride", c.stride());
        m.put("padding", c.padding());
        m.put("dilation", c.dilation());
        m.put("bias", c.hasBias());
        m.put("weight_init", c.weightInit().name());
        m.put("bias_init", c.hasBias() ? c.biasInit().name() : "zeros");
        return new LayerSpec("conv2d", m);
      } else if (l instanceof Pool2d p) {
        return new LayerSpec(
            p instanceof MaxPool2d ? "max_pool2d" : "avg_pool2d",
            Map.of("kernel_size", p.kernel(), "stride", p.stride(), "padding", p.padding()));
      } else if (l instanceof LeakyReLU r) {
        return new LayerSpec("leaky_relu", Map.of("negative_slope", r.negativeSlope()));
      } else if (l instanceof ELU e) {
        return new LayerSpec("elu", Map.of("alpha", e.alpha()));
      } else if (l instanceof Dropout d) {
        return dropout(d.rate());
      }
      for (Map.Entry<String, Kind> e : KINDS.entrySet()) {
        if (e.getValue().options.isEmpty() && e.getValue().type.isInstance(l)) {
          return of(e.getKey());
        }
      }
      throw new IllegalArgumentException(
          "layer " + l + " cannot be described in a model file of this version");
    }
  }

  /** One setting of a layer type: its key, kind of value and default (null: required). */
  private record Option(String key, char kind, Object dflt) {
    // kinds: 'p' whole number ≥ 1, 'n' whole number ≥ 0, 'b' boolean, 'i' initialiser name,
    // 'f' finite float, 'r' rate in [0, 1)
    Object check(String type, Object v) {
      String where = type + ": '" + key + "'";
      switch (kind) {
        case 'p':
        case 'n':
          long n;
          try {
            if (!(v instanceof Number)) {
              throw new NumberFormatException();
            }
            n = v instanceof Json.Num ? ((Number) v).longValue() : wholeOf((Number) v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a whole number, got " + v);
          }
          long min = kind == 'p' ? 1 : 0;
          if (n < min || n > MAX_SIZE) {
            throw new IllegalArgumentException(
                where + " must be a whole number from " + min + " to " + MAX_SIZE + ", got " + v);
          }
          return (int) n;
        case 'b':
          if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException(where + " must be true or false, got " + v);
          }
          return v;
        case 'i':
          if (!(v instanceof String)) {
            throw new IllegalArgumentException(where + " must be a string, got " + v);
          }
          Init.named((String) v);
          return v;
        default:
          if (!(v instanceof Number)) {
            throw new IllegalArgumentException(where + " must be a number, got " + v);
          }
          float f = ((Number) v).floatValue();
          if (!Float.isFinite(f) || (kind == 'r' && !(f >= 0f && f < 1f))) {
            throw new IllegalArgumentException(
                where
                    + (kind == 'r' ? " must be in [0, 1)" : " must be a finite float")
                    + ", got "
                    + v);
          }
          return f;
      }
    }

    private static long wholeOf(Number v) {
      double d = v.doubleValue();
      if (d != Math.rint(d)) {
        throw new NumberFormatException();
      }
      return v.longValue();
    }
  }

  /**
   * The most values one example may have at any layer's output, 2^24 (64 MB of floats): far above
   * image networks' needs, and low enough that a batch of them stays within an array.
   */
  public static final int MAX_ACTIVATION = 1 << 24;

  /** The largest kernel, stride, padding, channel or unit count a network description may use. */
  public static final int MAX_SIZE = 1 << 24;

  /** A layer type: the class it builds and its settings. */
  private record Kind(Class<? extends Layer> type, List<Option> options) {
    Set<String> keys() {
      Set<String> k = new LinkedHashSet<>();
      k.add("type");
      options.forEach(o -> k.add(o.key));
      return k;
    }
  }

  private static final List<Option> POOL =
      List.of(
          new Option("kernel_size", 'p', null),
          new Option("stride", 'p', null),
          new Option("padding", 'n', 0));

  private static final Map<String, Kind> KINDS = kinds();

  private static Map<String, Kind> kinds() {
    Map<String, Kind> k = new LinkedHashMap<>();
    k.put(
        "dense",
        new Kind(
            Dense.class,
            List.of(
                new Option("units", 'p', null),
                new Option("bias", 'b', true),
                new Option("weight_init", 'i', "xavier_uniform"),
                new Option("bias_init", 'i', "zeros"))));
    k.put(
        "conv2d",
        new Kind(
            Conv2d.class,
            List.of(
                new Option("out_channels", 'p', null),
                new Option("kernel_size", 'p', null),
                new Option("stride", 'p', 1),
                new Option("padding", 'n', 0),
                new Option("dilation", 'p', 1),
                new Option("bias", 'b', true),
                new Option("weight_init", 'i', "auto"),
                new Option("bias_init", 'i', "zeros"))));
    k.put("max_pool2d", new Kind(MaxPool2d.class, POOL));
    k.put("avg_pool2d", new Kind(AvgPool2d.class, POOL));
    k.put("global_avg_pool2d", new Kind(GlobalAvgPool2d.class, List.of()));
    k.put("flatten", new Kind(Flatten.class, List.of()));
    k.put("batch_norm", new Kind(BatchNorm.class, List.of()));
    k.put("dropout", new Kind(Dropout.class, List.of(new Option("rate", 'r', 0.5f))));
    k.put("sigmoid", new Kind(Sigmoid.class, List.of()));
    k.put("tanh", new Kind(Tanh.class, List.of()));
    k.put("relu", new Kind(ReLU.class, List.of()));
    k.put(
        "leaky_relu", new Kind(LeakyReLU.class, List.of(new Option("negative_slope", 'f', 0.01f))));
    k.put("elu", new Kind(ELU.class, List.of(new Option("alpha", 'f', 1f))));
    k.put("gelu", new Kind(GELU.class, List.of()));
    k.put("softplus", new Kind(Softplus.class, List.of()));
    k.put("silu", new Kind(SiLU.class, List.of()));
    k.put("softmax", new Kind(Softmax.class, List.of()));
    k.put("identity", new Kind(Identity.class, List.of()));
    return Collections.unmodifiableMap(k);
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
    walk();
    List<Layer> ls = new ArrayList<>();
    Shape shape = shape();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layer(layers.get(i), shape, i);
      ls.add(l);
      shape = l.outputShape(shape);
    }
    return new Sequential(shape(), ls);
  }

  /**
   * The layer {@code l} describes, taking input of {@code shape}.
   *
   * @throws ShapeMismatchException if the layer cannot take that shape
   */
  private static Layer layer(LayerSpec l, Shape shape, int index) {
    switch (l.type()) {
      case "dense":
        return new Dense(
            flatWidth(l, shape, index),
            l.integer("units"),
            l.flag("bias"),
            Init.named(l.text("weight_init")),
            Init.named(l.text("bias_init")));
      case "conv2d":
        return new Conv2d(
            channels(l, shape, index, 3),
            l.integer("out_channels"),
            l.integer("kernel_size"),
            l.integer("stride"),
            l.integer("padding"),
            l.integer("dilation"),
            l.flag("bias"),
            Init.named(l.text("weight_init")),
            Init.named(l.text("bias_init")));
      case "batch_norm":
        return new BatchNorm(channels(l, shape, index, 1));
      default:
        return parameterFree(l);
    }
  }

  private static Layer parameterFree(LayerSpec l) {
    switch (l.type()) {
      case "max_pool2d":
        return new MaxPool2d(l.integer("kernel_size"), l.integer("stride"), l.integer("padding"));
      case "avg_pool2d":
        return new AvgPool2d(l.integer("kernel_size"), l.integer("stride"), l.integer("padding"));
      case "global_avg_pool2d":
        return new GlobalAvgPool2d();
      case "flatten":
        return new Flatten();
      case "dropout":
        return new Dropout(l.real("rate"));
      case "sigmoid":
        return new Sigmoid();
      case "tanh":
        return new Tanh();
      case "relu":
        return new ReLU();
      case "leaky_relu":
        return new LeakyReLU(l.real("negative_slope"));
      case "elu":
        return new ELU(l.real("alpha"));
      case "gelu":
        return new GELU();
      case "softplus":
        return new Softplus();
      case "silu":
        return new SiLU();
      case "softmax":
        return new Softmax();
      case "identity":
        return new Identity();
      default:
        throw new IllegalArgumentException("layer type '" + l.type() + "' has parameters");
    }
  }

  private static int flatWidth(LayerSpec l, Shape shape, int index) {
    if (shape.rank() != 1) {
      throw new ShapeMismatchException(
          "layer "
              + index
              + " dense: expects a flat input but gets "
              + shape
              + "; put a flatten (or global_avg_pool2d) layer before it");
    }
    return shape.dim(0);
  }

  private static int channels(LayerSpec l, Shape shape, int index, int rank) {
    if (shape.rank() != 3 && !(rank == 1 && shape.rank() == 1)) {
      throw new ShapeMismatchException(
          "layer "
              + index
              + " "
              + l.type()
              + ": expects input [channels, height, width]"
              + (rank == 1 ? " or [features]" : "")
              + " but gets "
              + shape);
    }
    return shape.dim(0);
  }

  /** Number of outputs of the network. */
  public int outputs() {
    return (int) walk()[2];
  }

  /**
   * Walks the shapes by arithmetic, building only parameter-free layers (which allocate nothing):
   * returns trainable values, saved buffers, and output width.
   *
   * @throws ShapeMismatchException naming the layer and the shapes
   */
  private long[] walk() {
    long params = 0;
    long buffers = 0;
    Shape shape = shape();
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec l = layers.get(i);
      switch (l.type()) {
        case "dense":
          {
            long in = flatWidth(l, shape, i);
            long units = l.integer("units");
            params += times(in, units) + (l.flag("bias") ? units : 0);
            shape = Shape.of(l.integer("units"));
            break;
          }
        case "conv2d":
          {
            long in = channels(l, shape, i, 3);
            long out = l.integer("out_channels");
            long k = l.integer("kernel_size");
            params += times(times(out, in), times(k, k)) + (l.flag("bias") ? out : 0);
            checkSize(params + buffers, i, l);
            try {
              int[] d = shape.dims();
              shape =
                  Shape.of(
                      (int) out,
                      Conv2d.outputSize(
                          d[1],
                          (int) k,
                          l.integer("stride"),
                          l.integer("padding"),
                          l.integer("dilation")),
                      Conv2d.outputSize(
                          d[2],
                          (int) k,
                          l.integer("stride"),
                          l.integer("padding"),
                          l.integer("dilation")));
            } catch (IllegalArgumentException e) {
              throw new ShapeMismatchException(
                  "layer " + i + " conv2d on input " + shape + ": " + e.getMessage());
            }
            break;
          }
        case "batch_norm":
          long features = channels(l, shape, i, 1);
          params += 2 * features;
          buffers += 2 * features;
          break;
        default:
          Layer layer;
          try {
            layer = parameterFree(l);
          } catch (IllegalArgumentException e) {
            throw new ShapeMismatchException("layer " + i + " " + l.type() + ": " + e.getMessage());
          }
          try {
            shape = layer.outputShape(shape);
          } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException("layer " + i + " " + e.getMessage());
          } catch (IllegalArgumentException e) {
            throw new ShapeMismatchException(
                "layer " + i + " " + layer + " on input " + shape + ": " + e.getMessage());
          }
      }
      checkSize(params + buffers, i, l);
      if (shape.size() > MAX_ACTIVATION) {
        throw new ShapeMismatchException(
            "layer "
                + i
                + " "
                + l.type()
                + " gives "
                + shape
                + ", more than "
                + MAX_ACTIVATION
                + " values per example");
      }
    }
    return new long[] {params, buffers, shape.rank() == 1 ? shape.dim(0) : shape.size()};
  }

  private static void checkSize(long values, int i, LayerSpec l) {
    if (values > MAX_PARAMETERS) {
      throw new ShapeMismatchException(
          "layer "
              + i
              + " "
              + l.type()
              + " takes the network past "
              + MAX_PARAMETERS
              + " values, more than this library loads");
    }
  }

  /** {@code a × b}, or more than {@link #MAX_PARAMETERS} if that is larger, without overflow. */
  private static long times(long a, long b) {
    return a != 0 && b > (2 * MAX_PARAMETERS) / a ? 2 * MAX_PARAMETERS + 1 : a * b;
  }

  /** This spec as a JSON object (the layout above). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (inputShape.size() == 1) {
      m.put("inputs", inputShape.get(0));
    } else {
      m.put("input_shape", inputShape);
    }
    List<Object> ls = new ArrayList<>();
    for (LayerSpec l : layers) {
      ls.add(l.toJson());
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
    List<LayerSpec> layers = new ArrayList<>();
    int i = 0;
    for (Object o : (List<?>) layersJson) {
      String where = source + ": layers[" + i++ + "]";
      if (!(o instanceof Map)) {
        throw new FormatException(where + " must be an object with a 'type'");
      }
      Map<?, ?> l = (Map<?, ?>) o;
      String type = string(l, "type", null, where);
      if (type.equals("swish")) {
        type = "silu";
      }
      Map<String, Object> options = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : l.entrySet()) {
        if (!"type".equals(e.getKey())) {
          options.put(String.valueOf(e.getKey()), e.getValue());
        }
      }
      try {
        layers.add(new LayerSpec(type, options));
      } catch (IllegalArgumentException e) {
        String msg = e.getMessage();
        throw new FormatException(
            where + ": " + (msg.startsWith(type + ": ") ? msg.substring(type.length() + 2) : msg));
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
      spec.walk();
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": " + e.getMessage());
    }
    return spec;
  }

  /** The most values (parameters and buffers) a network description may have: 2^28, 1 GB. */
  public static final long MAX_PARAMETERS = 1L << 28;

  /**
   * The number of trainable values of the network, computed without building it.
   *
   * @throws ShapeMismatchException if the layers' shapes do not fit
   */
  public long parameterCount() {
    return walk()[0];
  }

  /**
   * The number of values a model file stores: the trainable ones and the layers' buffers (such as
   * batch normalisation's running statistics), computed without building the network.
   *
   * @throws ShapeMismatchException if the layers' shapes do not fit
   */
  public long storedValueCount() {
    long[] w = walk();
    return w[0] + w[1];
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
