package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A skip connection around a block of layers: {@code y = x + f(x)}, where {@code f} is the inner
 * layers applied in order (He et al.'s residual block; the two halves of a transformer encoder
 * block). The inner layers must give an output of their input's shape.
 *
 * <p>Backward, by the chain rule over the sum: {@code dL/dx = dL/dy + (df/dx)ᵀ dL/dy}, the gradient
 * passing straight through the skip plus the gradient backpropagated through the block, whose
 * parameters receive their own gradients on the way.
 *
 * <pre>{@code
 * new Sequential(Shape.of(16),
 *     new Dense(16, 32), new ReLU(),
 *     new Residual(new Dense(32, 32), new ReLU(), new Dense(32, 32)),   // x + f(x)
 *     new ReLU(), new Dense(32, 10));
 * }</pre>
 *
 * <p>In the network JSON: {@code {"type": "residual", "layers": [{"type": "dense", "units": 32},
 * {"type": "relu"}, {"type": "dense", "units": 32}]}}. It is a composite layer: its parameters,
 * buffers and random generators are its inner layers', saved as {@code 0.weight}, {@code 0.bias},
 * {@code 2.weight}, ...
 */
public final class Residual implements Layer {
  /**
   * The settings of a residual block in the network JSON ({@code "type": "residual"}).
   *
   * @param layers the inner layers {@code f}, in order, {@code "layers"} (required, not empty)
   */
  public record Settings(List<LayerSettings> layers) implements LayerSettings {
    /**
     * Copies the list.
     *
     * @throws IllegalArgumentException if it is empty
     */
    public Settings {
      layers = List.copyOf(layers);
      if (layers.isEmpty()) {
        throw new IllegalArgumentException("a residual needs at least one inner layer");
      }
    }

    @Override
    public LayerType<Settings, Residual> type() {
      return TYPE;
    }
  }

  /** The type {@code residual}. */
  public static final LayerType<Settings, Residual> TYPE =
      new LayerType<>("residual", Residual.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(in.layers("layers"));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("layers", LayerTypes.toJson(s.layers()));
        }

        @Override
        public Settings describe(Residual r) {
          return new Settings(LayerTypes.describe(r.layers));
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          Sizes inner;
          try {
            inner = LayerTypes.walk(s.layers(), input);
          } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException(name() + ": " + e.getMessage());
          }
          if (!inner.output().equals(input)) {
            throw new ShapeMismatchException(name() + ": " + sameShape(input, inner.output()));
          }
          return inner;
        }

        @Override
        public Residual build(Settings s, Shape input) {
          return new Residual(LayerTypes.build(s.layers(), input));
        }
      };

  private final List<Layer> layers;
  private Tensor outputBuffer;
  private Tensor gradInput;
  private boolean trained;
  private List<Tensor> innerOutputs; // the inner layers' outputs of the last training pass

  /**
   * The inner layers' outputs of the last training pass, in order (the layers' own buffers, not
   * copies: valid until their next forward pass), or an empty list before one.
   */
  List<Tensor> innerOutputs() {
    return innerOutputs == null ? List.of() : innerOutputs;
  }

  /**
   * {@code x + f(x)} with {@code f} these layers applied in order.
   *
   * @throws IllegalArgumentException if there are no layers, or one object appears twice
   */
  public Residual(Layer... layers) {
    this(List.of(layers));
  }

  /** See {@link #Residual(Layer...)}. */
  public Residual(List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a Residual needs at least one inner layer");
    }
    Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Layer l : layers) {
      if (!seen.add(l)) {
        throw new IllegalArgumentException(
            "inner layer " + l + " appears twice in a Residual; create a new one for each place");
      }
    }
    this.layers = List.copyOf(layers);
  }

  private static String sameShape(Shape input, Shape output) {
    return "its layers turn "
        + input
        + " into "
        + output
        + ", but x + f(x) needs an output of the input's shape";
  }

  /** The inner layers {@code f}, in order. */
  @Override
  public List<Layer> children() {
    return layers;
  }

  @Override
  public Shape outputShape(Shape input) {
    Shape s = Chain.outputShape(layers, input, this + ": inner ");
    if (!s.equals(input)) {
      throw new ShapeMismatchException(this + ": " + sameShape(input, s));
    }
    return input;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    return forward(x, null, training);
  }

  @Override
  public Tensor forward(Tensor x, int[] lengths, boolean training) {
    List<Tensor> inner = training ? new ArrayList<>(layers.size()) : null;
    Tensor h = Chain.forward(layers, x, lengths, training, inner, false);
    if (h.size() != x.size()) {
      throw new ShapeMismatchException(this + ": " + sameShape(x.shape(), h.shape()));
    }
    Tensor y;
    if (training) {
      outputBuffer = reuse(outputBuffer, x.shape());
      y = outputBuffer;
      trained = true;
      innerOutputs = inner;
    } else {
      y = Tensor.zeros(x.shape().dims());
    }
    float[] xd = x.data();
    float[] hd = h.data();
    float[] yd = y.data();
    for (int i = 0; i < yd.length; i++) {
      yd[i] = xd[i] + hd[i];
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    return backward(dy, true);
  }

  /**
   * Backward through the block, then the skip. Without {@code inputGradient} the inner layers
   * before the first one with parameters are skipped, as in a network's first layer.
   */
  @Override
  public Tensor backward(Tensor dy, boolean inputGradient) {
    if (!trained) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (!dy.shape().equals(outputBuffer.shape())) {
      throw new ShapeMismatchException(
          this + ": expected output gradient " + outputBuffer.shape() + ", got " + dy.shape());
    }
    Tensor g = Chain.backward(layers, dy, inputGradient, null);
    if (g == null) {
      return null;
    }
    gradInput = reuse(gradInput, dy.shape());
    float[] a = dy.data();
    float[] b = g.data();
    float[] out = gradInput.data();
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] + b[i];
    }
    return gradInput;
  }

  private static Tensor reuse(Tensor t, Shape shape) {
    return t != null && t.shape().equals(shape) ? t : Tensor.zeros(shape.dims());
  }

  /** Like {@code Residual(Dense(in=8, out=8), ReLU())}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Residual(");
    for (int i = 0; i < layers.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(layers.get(i));
    }
    return sb.append(')').toString();
  }
}
