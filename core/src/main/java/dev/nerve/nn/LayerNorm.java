package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import java.util.List;
import java.util.Map;

/**
 * Layer normalisation (Ba, Kiros and Hinton), as PyTorch's {@code nn.LayerNorm} over the last axis:
 * each position's {@code features} values are centred on their mean and divided by their standard
 * deviation (biased, plus {@code eps}), then scaled and shifted per feature:
 *
 * <pre>
 * y = (x - mean) / sqrt(var + eps) * weight + bias
 * </pre>
 *
 * <p>Unlike {@link BatchNorm} it uses no batch statistics, so training and inference compute the
 * same function and a transformer's positions are normalised one by one. Shapes: {@code [...,
 * features]} in and out. Parameters {@code weight} (ones) and {@code bias} (zeros), {@code
 * [features]}, named as in a PyTorch {@code state_dict}; none with {@code elementwise_affine:
 * false}.
 *
 * <p>Backward, with {@code x̂} the normalised input and {@code g = dy ⊙ weight}: {@code dx = (g -
 * mean(g) - x̂ ⊙ mean(g ⊙ x̂)) / sqrt(var + eps)} per position; {@code dweight = Σ dy ⊙ x̂}, {@code
 * dbias = Σ dy} over positions.
 */
public final class LayerNorm implements Layer {
  /**
   * The settings of a layer norm in the network JSON ({@code "type": "layer_norm"}); the feature
   * count comes from the last axis of the shape that reaches it.
   *
   * @param eps added to the variance, {@code "eps"} (default 1e-5, PyTorch's)
   * @param affine whether there are a weight and a bias, {@code "elementwise_affine"} (default
   *     true)
   */
  public record Settings(float eps, boolean affine) implements LayerSettings {
    @Override
    public LayerType<Settings, LayerNorm> type() {
      return TYPE;
    }
  }

  /** The type {@code layer_norm}. */
  public static final LayerType<Settings, LayerNorm> TYPE =
      new LayerType<>("layer_norm", LayerNorm.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(in.positive("eps", 1e-5f), in.flag("elementwise_affine", true));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("eps", s.eps());
          out.put("elementwise_affine", s.affine());
        }

        @Override
        public Settings describe(LayerNorm l) {
          return new Settings(l.eps, l.weight != null);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          if (input.rank() == 0) {
            throw new ShapeMismatchException(
                "layer_norm: needs an input with features, got " + input);
          }
          return new Sizes(input, s.affine() ? 2L * input.dim(-1) : 0, 0);
        }

        @Override
        public LayerNorm build(Settings s, Shape input) {
          return new LayerNorm(input.dim(-1), s.eps(), s.affine());
        }
      };

  private final int features;
  private final float eps;
  private final Parameter weight;
  private final Parameter bias;

  private Tensor normalized; // x̂ of the last training forward
  private float[] rstd; // 1 / sqrt(var + eps) per position
  private Tensor output;
  private Tensor gradInput;

  /** Over {@code features} values, eps 1e-5, with a weight and a bias. */
  public LayerNorm(int features) {
    this(features, 1e-5f, true);
  }

  /**
   * Over {@code features} values.
   *
   * @throws IllegalArgumentException if {@code features < 1} or {@code eps} is not above 0
   */
  public LayerNorm(int features, float eps, boolean affine) {
    if (features < 1) {
      throw new IllegalArgumentException("LayerNorm needs at least one feature, got " + features);
    }
    if (!(eps > 0f) || !Float.isFinite(eps)) {
      throw new IllegalArgumentException(
          "LayerNorm's eps must be a finite number above 0, got " + eps);
    }
    this.features = features;
    this.eps = eps;
    this.weight = affine ? new Parameter("weight", Tensor.full(1f, features)) : null;
    this.bias = affine ? new Parameter("bias", Tensor.zeros(features)) : null;
  }

  /** What is added to the variance. */
  public float eps() {
    return eps;
  }

  /** The feature count of the last axis. */
  public int features() {
    return features;
  }

  @Override
  public List<Parameter> parameters() {
    return weight == null ? List.of() : List.of(weight, bias);
  }

  /** Ones and zeros, as PyTorch starts them (whatever the generator). */
  @Override
  public void initialize(dev.nerve.tensor.Rng rng) {
    if (weight != null) {
      weight.value().fillInPlace(1f);
      bias.value().fillInPlace(0f);
    }
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() == 0 || input.dim(-1) != features) {
      throw new ShapeMismatchException(
          this + ": expected input [..., " + features + "], got " + input);
    }
    return input;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.rank() < 2 || x.shape().dim(-1) != features) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, ..., " + features + "], got " + x.shape());
    }
    int rows = x.size() / features;
    Tensor y =
        training && output != null && output.shape().equals(x.shape())
            ? output
            : Tensor.zeros(x.shape().dims());
    Tensor xhat =
        !training
            ? null
            : normalized != null && normalized.shape().equals(x.shape())
                ? normalized
                : Tensor.zeros(x.shape().dims());
    float[] r = !training ? null : rstd != null && rstd.length == rows ? rstd : new float[rows];
    float[] xd = x.data();
    float[] yd = y.data();
    float[] w = weight == null ? null : weight.value().data();
    float[] b = bias == null ? null : bias.value().data();
    // The statistics in double (a row may hold thousands of values), the rest in float in plain
    // loops the compiler turns into vector instructions.
    float[] nb = xhat != null ? xhat.data() : yd;
    // Rows are independent: any split across threads gives the same bits.
    Parallel.forRanges(rows, grain(), (from, to) -> normalize(xd, nb, yd, w, b, r, from, to));
    if (training) {
      normalized = xhat;
      rstd = r;
      output = y;
    }
    return y;
  }

  /** Rows per thread's part: some 32K values. */
  private int grain() {
    return Math.max(1, (1 << 15) / features);
  }

  private void normalize(
      float[] xd, float[] nb, float[] yd, float[] w, float[] b, float[] r, int from, int to) {
    for (int i = from; i < to; i++) {
      int o = i * features;
      double mean = 0;
      for (int j = 0; j < features; j++) {
        mean += xd[o + j];
      }
      mean /= features;
      double var = 0;
      for (int j = 0; j < features; j++) {
        double d = xd[o + j] - mean;
        var += d * d;
      }
      var /= features;
      float inv = (float) (1.0 / Math.sqrt(var + eps));
      float m = (float) mean;
      for (int j = 0; j < features; j++) {
        nb[o + j] = (xd[o + j] - m) * inv;
      }
      if (w != null) {
        for (int j = 0; j < features; j++) {
          yd[o + j] = nb[o + j] * w[j] + b[j];
        }
      } else if (nb != yd) {
        System.arraycopy(nb, o, yd, o, features);
      }
      if (r != null) {
        r[i] = inv;
      }
    }
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (normalized == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (!dy.shape().equals(normalized.shape())) {
      throw new ShapeMismatchException(
          this + ": expected output gradient " + normalized.shape() + ", got " + dy.shape());
    }
    int rows = dy.size() / features;
    float[] d = dy.data();
    float[] xh = normalized.data();
    float[] w = weight == null ? null : weight.value().data();
    if (weight != null) {
      float[] gw = weight.grad().data();
      float[] gb = bias.grad().data();
      if (weight.takeZeroGrad()) {
        java.util.Arrays.fill(gw, 0f);
      }
      if (bias.takeZeroGrad()) {
        java.util.Arrays.fill(gb, 0f);
      }
      for (int i = 0; i < rows; i++) {
        int o = i * features;
        for (int j = 0; j < features; j++) {
          gw[j] += d[o + j] * xh[o + j];
          gb[j] += d[o + j];
        }
      }
    }
    if (gradInput == null || !gradInput.shape().equals(dy.shape())) {
      gradInput = Tensor.zeros(dy.shape().dims());
    }
    float[] dx = gradInput.data();
    Parallel.forRanges(rows, grain(), (from, to) -> backRows(d, xh, w, dx, from, to));
    return gradInput;
  }

  private void backRows(float[] d, float[] xh, float[] w, float[] dx, int from, int to) {
    float[] g = w == null ? d : new float[features];
    for (int i = from; i < to; i++) {
      int o = i * features;
      int go = w == null ? o : 0;
      if (w != null) {
        for (int j = 0; j < features; j++) {
          g[j] = d[o + j] * w[j];
        }
      }
      double mg = 0;
      double mgx = 0;
      for (int j = 0; j < features; j++) {
        mg += g[go + j];
        mgx += g[go + j] * xh[o + j];
      }
      float a = (float) (mg / features);
      float c = (float) (mgx / features);
      float ri = rstd[i];
      for (int j = 0; j < features; j++) {
        dx[o + j] = (g[go + j] - a - xh[o + j] * c) * ri;
      }
    }
  }

  /** Like {@code LayerNorm(features=16, eps=1.0E-5)}. */
  @Override
  public String toString() {
    return "LayerNorm(features="
        + features
        + ", eps="
        + eps
        + (weight == null ? ", elementwise_affine=false" : "")
        + ")";
  }
}
