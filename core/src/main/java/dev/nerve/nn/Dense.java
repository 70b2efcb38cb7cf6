package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;
import dev.nerve.tensor.kernel.Reduce;
import java.util.List;
import java.util.Map;

/**
 * Fully connected layer: {@code output = input x weight + bias}.
 *
 * <p>Shapes: input {@code [batch, in]}, weight {@code [in, out]}, bias {@code [out]}, output {@code
 * [batch, out]}. As PyTorch's {@code Linear} on {@code (*, in)}, an input of any rank is taken
 * along its last axis: {@code [batch, time, in]} gives {@code [batch, time, out]}, every position
 * through the same weights. The weight is stored as in the tutorials ({@code wh} is inputs x hidden
 * units, used as {@code np.dot(X, wh)}); PyTorch's {@code nn.Linear} stores its transpose.
 *
 * <p>Backward, by the chain rule: {@code dW += input^T x dY}, {@code db += column sums of dY},
 * {@code dX = dY x weight^T}.
 *
 * <pre>{@code
 * Dense hidden = new Dense(4, 3);                                        // Glorot weights, zero bias
 * Dense tutorial = new Dense(4, 3, Init.uniform(0, 1), Init.uniform(0, 1)); // as in tutorial 1
 * Dense noBias = new Dense(3, 4, false);                                  // as in tutorial 2
 * }</pre>
 */
public final class Dense implements Layer {
  /**
   * The settings of a dense layer in the network JSON ({@code "type": "dense"}); the input width
   * comes from the shape that reaches the layer.
   *
   * @param units outputs, {@code "units"} (required)
   * @param bias whether there is a bias, {@code "bias"} (default true)
   * @param weightInit the weight initialiser, {@code "weight_init"} (default xavier_uniform)
   * @param biasInit the bias initialiser, {@code "bias_init"} (default zeros)
   */
  public record Settings(int units, boolean bias, Init weightInit, Init biasInit)
      implements LayerSettings {
    /** A layer of {@code units} outputs with the defaults. */
    public Settings(int units) {
      this(units, true, Init.xavierUniform(), Init.zeros());
    }

    @Override
    public LayerType<Settings, Dense> type() {
      return TYPE;
    }
  }

  /** The type {@code dense}. */
  public static final LayerType<Settings, Dense> TYPE =
      new LayerType<>("dense", Dense.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.size("units"),
              in.flag("bias", true),
              in.init("weight_init", "xavier_uniform"),
              in.init("bias_init", "zeros"));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("units", s.units());
          out.put("bias", s.bias());
          out.put("weight_init", s.weightInit().name());
          out.put("bias_init", s.bias() ? s.biasInit().name() : "zeros");
        }

        @Override
        public Settings describe(Dense d) {
          return new Settings(d.out, d.hasBias(), d.weightInit, d.biasInit);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          long in = lastAxis(input);
          int[] d = input.dims();
          d[d.length - 1] = s.units();
          return new Sizes(Shape.of(d), times(in, s.units()) + (s.bias() ? s.units() : 0), 0);
        }

        @Override
        public Dense build(Settings s, Shape input) {
          return new Dense(input.dim(-1), s.units(), s.bias(), s.weightInit(), s.biasInit());
        }
      };

  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;
  private final Init weightInit;
  private final Init biasInit;

  private Tensor input; // kept by a training forward for backward
  private Tensor outputBuffer;
  private Tensor gradInputBuffer;

  /** A layer with bias, Glorot-uniform weights and zero bias. */
  public Dense(int in, int out) {
    this(in, out, true);
  }

  /** A layer with or without bias, Glorot-uniform weights and zero bias. */
  public Dense(int in, int out, boolean bias) {
    this(in, out, bias, Init.xavierUniform(), Init.zeros());
  }

  /** A layer with bias and the given initialisers for weight and bias. */
  public Dense(int in, int out, Init weightInit, Init biasInit) {
    this(in, out, true, weightInit, biasInit);
  }

  /**
   * A layer with every option.
   *
   * @throws IllegalArgumentException if {@code in} or {@code out} is not positive
   */
  public Dense(int in, int out, boolean bias, Init weightInit, Init biasInit) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException(
          "Dense needs positive sizes, got in=" + in + ", out=" + out);
    }
    this.in = in;
    this.out = out;
    this.weight = new Parameter("weight", Tensor.zeros(in, out));
    this.bias = bias ? new Parameter("bias", Tensor.zeros(out)) : null;
    this.weightInit = weightInit;
    this.biasInit = biasInit;
  }

  /** Number of inputs. */
  public int in() {
    return in;
  }

  /** Number of outputs (units). */
  public int out() {
    return out;
  }

  /** The weight, {@code [in, out]}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias, {@code [out]}, or null for a layer without bias. */
  public Parameter bias() {
    return bias;
  }

  /** True if this layer has a bias. */
  public boolean hasBias() {
    return bias != null;
  }

  /** The weight initialiser. */
  public Init weightInit() {
    return weightInit;
  }

  /** The bias initialiser. */
  public Init biasInit() {
    return biasInit;
  }

  @Override
  public Shape inputShape() {
    return Shape.of(in);
  }

  /** {@code [..., in]} gives {@code [..., out]}: the last axis is replaced. */
  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() == 0 || input.dim(-1) != in) {
      throw new ShapeMismatchException(
          this + ": expected input " + Shape.of(in) + ", got " + input);
    }
    int[] d = input.dims();
    d[d.length - 1] = out;
    return Shape.of(d);
  }

  @Override
  public void initialize(Rng rng) {
    weightInit.fillInPlace(weight.value(), in, out, rng);
    if (bias != null) {
      biasInit.fillInPlace(bias.value(), in, out, rng);
    }
  }

  /** With {@link Init#auto()} weights before a ReLU-like layer, the weight is redrawn with He. */
  @Override
  public void initialize(Rng rng, Layer next) {
    initialize(rng);
    if (next != null && next.reluLike() && weightInit instanceof Init.Auto) {
      Init.heUniform().fillInPlace(weight.value(), in, out, rng);
    }
  }

  @Override
  public List<Parameter> parameters() {
    return bias == null ? List.of(weight) : List.of(weight, bias);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.rank() < 2 || x.shape().dim(-1) != in) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, " + in + "], got " + x.shape());
    }
    if (x.rank() > 2) {
      // Every position of the leading axes is a row: [b, t, in] is seen as [b·t, in].
      int[] d = x.shape().dims();
      d[d.length - 1] = out;
      return forward(x.reshape(x.size() / in, in), training).reshape(d);
    }
    int batch = x.rows();
    Tensor y;
    if (training) {
      input = x;
      outputBuffer = reuse(outputBuffer, batch, out);
      y = outputBuffer;
    } else {
      y = Tensor.zeros(batch, out);
    }
    if (bias != null) {
      // Start each row from the bias, then add the product: one pass over the output.
      ElementWise.broadcastRow(bias.value().data(), batch, out, y.data());
      Tensor.matmul(x, false, weight.value(), false, y, true);
    } else {
      Tensor.matmul(x, false, weight.value(), false, y, false);
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    return backward(dy, true);
  }

  @Override
  public Tensor backward(Tensor dy, boolean inputGradient) {
    if (input == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (dy.rank() > 2 && dy.shape().dim(-1) == out && dy.size() / out == input.rows()) {
      int[] d = dy.shape().dims();
      d[d.length - 1] = in;
      Tensor g = backward(dy.reshape(input.rows(), out), inputGradient);
      return g == null ? null : g.reshape(d);
    }
    if (dy.rank() != 2 || dy.rows() != input.rows() || dy.cols() != out) {
      throw new ShapeMismatchException(
          this
              + ": expected output gradient ["
              + input.rows()
              + ", "
              + out
              + "], got "
              + dy.shape());
    }
    // A freshly cleared gradient is written, not added to: see Parameter.takeZeroGrad.
    boolean add = !weight.takeZeroGrad();
    Tensor.matmul(input, true, dy, false, weight.grad(), add);
    if (bias != null) {
      add = !bias.takeZeroGrad();
      Reduce.columnSums(dy.data(), dy.rows(), out, bias.grad().data(), add);
    }
    if (!inputGradient) {
      return null;
    }
    gradInputBuffer = reuse(gradInputBuffer, dy.rows(), in);
    Tensor.matmul(dy, false, weight.value(), true, gradInputBuffer, false);
    return gradInputBuffer;
  }

  static Tensor reuse(Tensor buffer, int rows, int cols) {
    if (buffer != null && buffer.rows() == rows && buffer.cols() == cols) {
      return buffer;
    }
    return Tensor.zeros(rows, cols);
  }

  /** Like {@code Dense(in=4, out=3)} or {@code Dense(in=3, out=4, bias=false)}. */
  @Override
  public String toString() {
    return "Dense(in=" + in + ", out=" + out + (bias == null ? ", bias=false" : "") + ")";
  }
}
