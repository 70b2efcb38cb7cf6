package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every layer type a network description may name, and the loops over them: reading a layer's JSON
 * into its settings, writing settings back, describing a built layer, walking a list of layers'
 * shapes and sizes by arithmetic, and building them. A new layer type is one line in {@link
 * #TYPES}; everything else about it lives in its own file (see the package documentation, "Adding a
 * layer").
 */
public final class LayerTypes {
  private LayerTypes() {}

  /** The registered types, in the order error messages list them. */
  private static final List<LayerType<?, ?>> TYPES =
      List.of(
          Dense.TYPE,
          Conv2d.TYPE,
          MaxPool2d.TYPE,
          AvgPool2d.TYPE,
          GlobalAvgPool2d.TYPE,
          Flatten.TYPE,
          BatchNorm.TYPE,
          Dropout.TYPE,
          Sigmoid.TYPE,
          Tanh.TYPE,
          ReLU.TYPE,
          LeakyReLU.TYPE,
          ELU.TYPE,
          GELU.TYPE,
          Softplus.TYPE,
          SiLU.TYPE,
          Softmax.TYPE,
          Identity.TYPE,
          Residual.TYPE,
          Embedding.TYPE,
          RNN.TYPE,
          LSTM.TYPE,
          GRU.TYPE,
          LayerNorm.TYPE,
          MultiHeadAttention.TYPE,
          PositionalEncoding.TYPE,
          TransformerEncoder.TYPE,
          Conv1d.TYPE,
          MaxPool1d.TYPE,
          AvgPool1d.TYPE,
          GlobalAvgPool1d.TYPE,
          GlobalMaxPool1d.TYPE);

  private static final Map<String, LayerType<?, ?>> BY_NAME = byName();

  private static Map<String, LayerType<?, ?>> byName() {
    Map<String, LayerType<?, ?>> m = new LinkedHashMap<>();
    for (LayerType<?, ?> t : TYPES) {
      m.put(t.name(), t);
    }
    for (LayerType<?, ?> t : TYPES) {
      for (String a : t.aliases()) {
        m.putIfAbsent(a, t);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every registered type. */
  public static List<LayerType<?, ?>> all() {
    return TYPES;
  }

  /**
   * The type named {@code name} (or one of its aliases).
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static LayerType<?, ?> named(String name) {
    LayerType<?, ?> t = BY_NAME.get(name);
    if (t == null) {
      List<String> names = TYPES.stream().map(LayerType::name).toList();
      throw new IllegalArgumentException(
          "unknown layer type '" + name + "'; known: " + String.join(", ", names));
    }
    return t;
  }

  /**
   * The settings a layer's JSON object holds: its {@code type} and the type's settings, defaults
   * filled in.
   *
   * @param json a parsed JSON object (a map with string keys)
   * @throws IllegalArgumentException naming the problem: an unknown type or key, a missing required
   *     setting, a value of the wrong kind or range
   */
  public static LayerSettings fromJson(Object json) {
    return fromJson(json, 0);
  }

  /** {@link #fromJson(Object)} for a layer nested {@code depth} composite layers deep. */
  static LayerSettings fromJson(Object json, int depth) {
    if (!(json instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("a layer must be an object with a 'type'");
    }
    Object type = m.get("type");
    if (type == null) {
      throw new IllegalArgumentException("'type' is required");
    }
    if (!(type instanceof String name)) {
      throw new IllegalArgumentException("'type' must be a string, got " + type);
    }
    LayerType<?, ?> t = named(name);
    Map<String, Object> options = new LinkedHashMap<>();
    m.forEach((k, v) -> options.put(String.valueOf(k), v));
    SettingsReader in = new SettingsReader(options, depth);
    LayerSettings s = null;
    IllegalArgumentException failure = null;
    try {
      s = t.read(in);
    } catch (IllegalArgumentException e) {
      failure = e;
    }
    in.finish(failure);
    return s;
  }

  /** The JSON object of {@code settings}: its type, then every setting. */
  public static Map<String, Object> toJson(LayerSettings settings) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", settings.type().name());
    settings.type().writeOf(settings, m);
    return m;
  }

  /** The JSON objects of a list of layers' settings. */
  public static List<Object> toJson(List<? extends LayerSettings> layers) {
    List<Object> out = new ArrayList<>();
    for (LayerSettings s : layers) {
      out.add(toJson(s));
    }
    return out;
  }

  /**
   * The settings that build a layer like {@code layer}.
   *
   * @throws IllegalArgumentException if its class is not a registered type's
   */
  public static LayerSettings describe(Layer layer) {
    for (LayerType<?, ?> t : TYPES) {
      if (t.layerClass() == layer.getClass()) {
        return t.describeOf(layer);
      }
    }
    throw new IllegalArgumentException(
        "layer " + layer + " cannot be described in a model file of this version");
  }

  /** The settings of each of {@code layers}; see {@link #describe(Layer)}. */
  public static List<LayerSettings> describe(List<Layer> layers) {
    List<LayerSettings> out = new ArrayList<>();
    for (Layer l : layers) {
      out.add(describe(l));
    }
    return out;
  }

  /**
   * Walks the shapes and sizes of {@code layers} applied in order to examples of shape {@code
   * input}, by arithmetic only: nothing is allocated, so a hostile description is refused before
   * anything is built. Checks every layer's output against {@link LayerType#MAX_ACTIVATION} and the
   * running count of stored values against {@link LayerType#MAX_VALUES}.
   *
   * @return the last output shape and the total parameter and buffer counts
   * @throws ShapeMismatchException naming the layer ({@code layer 3 conv2d ...}) and the shapes
   */
  public static LayerType.Sizes walk(List<? extends LayerSettings> layers, Shape input) {
    long params = 0;
    long buffers = 0;
    Shape shape = input;
    for (int i = 0; i < layers.size(); i++) {
      LayerSettings s = layers.get(i);
      String name = s.type().name();
      LayerType.Sizes z;
      try {
        z = s.type().sizesOf(s, shape);
      } catch (ShapeMismatchException e) {
        throw new ShapeMismatchException("layer " + i + " " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new ShapeMismatchException("layer " + i + " " + name + ": " + e.getMessage());
      }
      params = LayerType.plus(params, z.parameters());
      buffers = LayerType.plus(buffers, z.buffers());
      if (params + buffers > LayerType.MAX_VALUES) {
        throw new ShapeMismatchException(
            "layer "
                + i
                + " "
                + name
                + " takes the network past "
                + LayerType.MAX_VALUES
                + " values, more than this library loads");
      }
      if (z.output().size() > LayerType.MAX_ACTIVATION) {
        throw new ShapeMismatchException(
            "layer "
                + i
                + " "
                + name
                + " gives "
                + z.output()
                + ", more than "
                + LayerType.MAX_ACTIVATION
                + " values per example");
      }
      shape = z.output();
    }
    return new LayerType.Sizes(shape, params, buffers);
  }

  /**
   * Builds {@code layers} for examples of shape {@code input}, after {@link #walk} has accepted
   * them; parameters are not yet initialised.
   *
   * @throws ShapeMismatchException if the layers do not fit (as {@link #walk} says)
   */
  public static List<Layer> build(List<? extends LayerSettings> layers, Shape input) {
    walk(layers, input);
    List<Layer> out = new ArrayList<>();
    Shape shape = input;
    for (LayerSettings s : layers) {
      Layer l = s.type().buildOf(s, shape);
      out.add(l);
      shape = l.outputShape(shape);
    }
    return out;
  }
}
