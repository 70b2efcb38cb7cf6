package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.tensor.kernel.Reduce;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-head self-attention (Vaswani et al.), as PyTorch's {@code nn.MultiheadAttention} with
 * {@code batch_first=True} and the same tensor for query, key and value. For each example and each
 * of {@code heads} heads of width {@code d = width / heads}:
 *
 * <pre>
 * [Q K V] = x · in_proj_weightᵀ + in_proj_bias          (each [time, width], split into heads)
 * A_h     = softmax(Q_h K_hᵀ / √d  + mask)                [time, time], one row per query
 * O_h     = dropout(A_h) · V_h                            [time, d]
 * y       = [O_1 … O_heads] · out_proj.weightᵀ + out_proj.bias
 * </pre>
 *
 * <p>Masks: with {@code causal}, query {@code i} sees keys {@code j ≤ i} only (a language model
 * cannot look ahead); with sequence lengths ({@link #forward(Tensor, int[], boolean)}), keys at or
 * after an example's length are padding and get weight zero (PyTorch's {@code key_padding_mask}).
 * Queries at padded positions are still computed (their rows see the real keys) and left to the
 * loss's mask, as in PyTorch.
 *
 * <p>Shapes: {@code [batch, time, width]} in and out. Parameters, named and laid out as in a
 * PyTorch {@code state_dict}: {@code in_proj_weight [3·width, width]} (Glorot uniform), {@code
 * in_proj_bias [3·width]} (zeros), {@code out_proj.weight [width, width]} (uniform ±1/√width, as
 * {@code nn.Linear}), {@code out_proj.bias [width]} (zeros).
 *
 * <p>Backward, per head: {@code dV = A'ᵀ dO}, {@code dA' = dO Vᵀ}, through dropout to {@code dA},
 * through the softmax {@code dZ = A ⊙ (dA − rowsum(dA ⊙ A))}, then {@code dQ = dZ K / √d} and
 * {@code dK = dZᵀ Q / √d}; the projections as in {@link Dense}. Heads and examples are independent,
 * so they are split across threads, each writing only its own rows: the result does not depend on
 * the thread count.
 */
public final class MultiHeadAttention implements Layer {
  /**
   * The settings of multi-head self-attention in the network JSON ({@code "type":
   * "multi_head_attention"}); the width comes from the last axis of the input.
   *
   * @param heads the number of heads, {@code "heads"} (required; must divide the width)
   * @param causal whether each position sees only itself and earlier ones, {@code "causal"}
   *     (default false)
   * @param dropout the probability of dropping an attention weight while training, {@code
   *     "dropout"} (default 0), in [0, 1)
   * @param bias whether the projections have biases, {@code "bias"} (default true)
   */
  public record Settings(int heads, boolean causal, float dropout, boolean bias)
      implements LayerSettings {
    @Override
    public LayerType<Settings, MultiHeadAttention> type() {
      return TYPE;
    }
  }

  /** The type {@code multi_head_attention} (alias {@code attention}). */
  public static final LayerType<Settings, MultiHeadAttention> TYPE =
      new LayerType<>(
          "multi_head_attention", MultiHeadAttention.class, Settings.class, "attention") {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.size("heads"),
              in.flag("causal", false),
              in.rate("dropout", 0f),
              in.flag("bias", true));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("heads", s.heads());
          out.put("causal", s.causal());
          out.put("dropout", s.dropout());
          out.put("bias", s.bias());
        }

        @Override
        public Settings describe(MultiHeadAttention l) {
          return new Settings(l.heads, l.causal, l.dropout, l.inBias != null);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          checkShape(name(), input, s.heads());
          long w = input.dim(-1);
          long params = plus(times(4 * w, w), s.bias() ? 4 * w : 0);
          checkValues(params);
          return new Sizes(input, params, 0);
        }

        @Override
        public MultiHeadAttention build(Settings s, Shape input) {
          return new MultiHeadAttention(
              input.dim(-1), s.heads(), s.causal(), s.dropout(), s.bias());
        }
      };

  private static void checkShape(String who, Shape input, int heads) {
    if (input.rank() != 2) {
      throw new ShapeMismatchException(
          who + ": expected examples [time, width], got " + input + " (rank " + input.rank() + ")");
    }
    if (input.dim(-1) % heads != 0) {
      throw new ShapeMismatchException(
          who
              + ": "
              + heads
              + " heads do not divide the width "
              + input.dim(-1)
              + " of input "
              + input);
    }
  }

  private final int width;
  private final int heads;
  private final int headWidth;
  private final boolean causal;
  private final float dropout;
  private final Parameter inWeight; // [3w, w]
  private final Parameter inBias; // [3w]
  private final Parameter outWeight; // [w, w]
  private final Parameter outBias; // [w]
  private Rng rng = new Rng(0xa77e17L);
  private BatchRows slice;

  // Kept by a training forward for backward.
  private Tensor input; // [B·T, w]
  private int batch;
  private int time;
  private int[] lengths;
  private Tensor qkv; // [B·T, 3w]
  private float[] weights; // softmax rows, [B, H, T, T]
  private float[] dropMask; // [B, H, T, T] (0 or 1/(1-p)), or null without dropout
  private float[] dropped; // weights ⊙ mask, or null without dropout
  private Tensor heads2d; // [B·T, w], the heads side by side
  private Tensor output;
  private Tensor gradQkv;
  private Tensor gradHeads;
  private Tensor gradInput;

  /** {@code heads} heads over {@code width} features, not causal, no dropout, with biases. */
  public MultiHeadAttention(int width, int heads) {
    this(width, heads, false, 0f, true);
  }

  /**
   * Self-attention over {@code width} features in {@code heads} heads.
   *
   * @throws IllegalArgumentException if a size is below 1, {@code heads} does not divide {@code
   *     width}, or {@code dropout} is outside [0, 1)
   */
  public MultiHeadAttention(int width, int heads, boolean causal, float dropout, boolean bias) {
    if (width < 1 || heads < 1) {
      throw new IllegalArgumentException(
          "MultiHeadAttention needs width and heads of at least 1, got " + width + ", " + heads);
    }
    if (width % heads != 0) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: " + heads + " heads do not divide the width " + width);
    }
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: dropout must be in [0, 1), got " + dropout);
    }
    this.width = width;
    this.heads = heads;
    this.headWidth = width / heads;
    this.causal = causal;
    this.dropout = dropout;
    this.inWeight = new Parameter("in_proj_weight", Tensor.zeros(3 * width, width));
    this.inBias = bias ? new Parameter("in_proj_bias", Tensor.zeros(3 * width)) : null;
    this.outWeight = new Parameter("out_proj.weight", Tensor.zeros(width, width));
    this.outBias = bias ? new Parameter("out_proj.bias", Tensor.zeros(width)) : null;
  }

  /** The width of the input and output. */
  public int width() {
    return width;
  }

  /** The number of heads. */
  public int heads() {
    return heads;
  }

  /** Whether each position sees only itself and earlier positions. */
  public boolean causal() {
    return causal;
  }

  @Override
  public List<Parameter> parameters() {
    return inBias == null
        ? List.of(inWeight, outWeight)
        : List.of(inWeight, inBias, outWeight, outBias);
  }

  /** As PyTorch: Glorot uniform for the input projection, ±1/√width for the output one. */
  @Override
  public void initialize(Rng rng) {
    Init.xavierUniform().fillInPlace(inWeight.value(), width, 3 * width, rng);
    float bound = (float) (1.0 / Math.sqrt(width));
    Init.uniform(-bound, bound).fillInPlace(outWeight.value(), width, width, rng);
    if (inBias != null) {
      inBias.value().fillInPlace(0f);
      outBias.value().fillInPlace(0f);
    }
    this.rng = new Rng(rng.nextLong());
  }

  @Override
  public void drawAsRowsOf(BatchRows rows) {
    this.slice = rows;
  }

  @Override
  public long[] randomState() {
    return dropout > 0f ? new long[] {rng.state()} : new long[0];
  }

  @Override
  public void restoreRandomState(long[] state) {
    if (state.length != randomState().length) {
      throw new IllegalArgumentException(
          this
              + " has "
              + randomState().length
              + " random generators; the saved state has "
              + state.length);
    }
    if (state.length == 1) {
      rng = Rng.fromState(state[0]);
    }
  }

  @Override
  public boolean trainsAsItPredicts() {
    return dropout == 0f;
  }

  @Override
  public Shape outputShape(Shape input) {
    checkShape(toString(), input, heads);
    if (input.dim(-1) != width) {
      throw new ShapeMismatchException(
          this + ": expected examples [time, " + width + "], got " + input);
    }
    return input;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    return forward(x, null, training);
  }

  @Override
  public Tensor forward(Tensor x, int[] lengths, boolean training) {
    if (x.rank() != 3 || x.shape().dim(2) != width) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, time, " + width + "], got " + x.shape());
    }
    int b = x.shape().dim(0);
    int t = x.shape().dim(1);
    if (lengths != null) {
      if (lengths.length != b) {
        throw new ShapeMismatchException(
            this + ": " + lengths.length + " sequence lengths for a batch of " + b);
      }
      for (int i = 0; i < b; i++) {
        if (lengths[i] < 1 || lengths[i] > t) {
          throw new ShapeMismatchException(
              this + ": example " + i + " has length " + lengths[i] + ", outside [1, " + t + "]");
        }
      }
    }
    if ((long) b * heads * t * t > 4L * LayerType.MAX_ACTIVATION) {
      throw new ShapeMismatchException(
          this
              + ": "
              + b
              + " examples of "
              + t
              + " steps need "
              + ((long) b * heads * t * t)
              + " attention weights, more than "
              + 4L * LayerType.MAX_ACTIVATION
              + "; use smaller batches or shorter sequences");
    }
    int rows = b * t;
    Tensor x2 = x.reshape(rows, width);
    Tensor q = training && qkv != null && qkv.rows() == rows ? qkv : Tensor.zeros(rows, 3 * width);
    project(x2, inWeight, inBias, q);
    Tensor h =
        training && heads2d != null && heads2d.rows() == rows ? heads2d : Tensor.zeros(rows, width);
    int tt = t * t;
    float[] a = training ? reuse(weights, b * heads * tt) : null;
    boolean drop = training && dropout > 0f;
    float[] mask = drop ? reuse(dropMask, b * heads * tt) : null;
    float[] ad = drop ? reuse(dropped, b * heads * tt) : null;
    if (drop) {
      // Drawn in one fixed order before the threads split the work, so the masks (and the bits)
      // do not depend on the thread count.
      float keep = 1f / (1f - dropout);
      BatchRows shard = slice;
      if (shard == null) {
        for (int i = 0; i < mask.length; i++) {
          mask[i] = rng.nextFloat() < dropout ? 0f : keep;
        }
      } else {
        // One shard of a batch: each example draws from where it starts in the whole batch.
        BatchRows.check(shard, x, this);
        int per = heads * tt;
        long start = rng.state();
        for (int r = 0; r < b; r++) {
          Rng g = Rng.fromState(shard.rowState(start, r, per));
          for (int i = r * per; i < (r + 1) * per; i++) {
            mask[i] = g.nextFloat() < dropout ? 0f : keep;
          }
        }
        rng = Rng.fromState(shard.endState(start, per));
      }
    }
    if (training) {
      slice = null;
    }
    int pairs = b * heads;
    int parts = Math.min(Parallel.threads(), pairs);
    float[] qd = q.data();
    float[] hd = h.data();
    Parallel.forEach(
        parts,
        part -> {
          float[] scratch = a == null ? new float[tt] : null;
          for (int p = part * pairs / parts; p < (part + 1) * pairs / parts; p++) {
            int ex = p / heads;
            int head = p % heads;
            int len = lengths == null ? t : lengths[ex];
            float[] s = a == null ? scratch : a;
            int so = a == null ? 0 : p * tt;
            attend(qd, ex, head, t, len, s, so);
            float[] used = s;
            if (drop) {
              for (int i = 0; i < tt; i++) {
                ad[p * tt + i] = s[so + i] * mask[p * tt + i];
              }
              used = ad;
            }
            int base = ex * t;
            Gemm.gemm(
                false,
                false,
                t,
                headWidth,
                t,
                used,
                so,
                t,
                qd,
                base * 3 * width + 2 * width + head * headWidth,
                3 * width,
                hd,
                base * width + head * headWidth,
                width,
                false);
          }
        });
    Tensor y =
        training && output != null && output.rows() == rows ? output : Tensor.zeros(rows, width);
    project(h, outWeight, outBias, y);
    if (training) {
      this.input = x2;
      this.batch = b;
      this.time = t;
      this.lengths = lengths == null ? null : lengths.clone();
      this.qkv = q;
      this.weights = a;
      this.dropMask = mask;
      this.dropped = ad;
      this.heads2d = h;
      this.output = y;
    }
    return y.reshape(b, t, width);
  }

  /** {@code out = x · wᵀ + bias}. */
  private static void project(Tensor x, Parameter w, Parameter bias, Tensor out) {
    if (bias != null) {
      ElementWise.broadcastRow(bias.value().data(), out.rows(), out.cols(), out.data());
      Tensor.matmul(x, false, w.value(), true, out, true);
    } else {
      Tensor.matmul(x, false, w.value(), true, out, false);
    }
  }

  /**
   * The softmax rows of one example's one head into {@code s[so .. so + t·t)}: scores {@code q·k /
   * √d}, masked keys (after the length, or after the query when causal) weight zero.
   */
  private void attend(float[] qd, int ex, int head, int t, int len, float[] s, int so) {
    int ld = 3 * width;
    int qo = ex * t * ld + head * headWidth;
    Gemm.gemm(false, true, t, t, headWidth, qd, qo, ld, qd, qo + width, ld, s, so, t, false);
    float scale = (float) (1.0 / Math.sqrt(headWidth));
    for (int i = 0; i < t; i++) {
      int row = so + i * t;
      int seen = causal ? Math.min(len, i + 1) : len;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < seen; j++) {
        float z = s[row + j] * scale;
        s[row + j] = z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int j = 0; j < seen; j++) {
        float e = (float) Math.exp(s[row + j] - max);
        s[row + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < seen; j++) {
        s[row + j] *= inv;
      }
      Arrays.fill(s, row + seen, row + t, 0f);
    }
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
    int rows = batch * time;
    if (dy.size() != rows * width || dy.shape().dim(-1) != width) {
      throw new ShapeMismatchException(
          this
              + ": expected output gradient ["
              + batch
              + ", "
              + time
              + ", "
              + width
              + "], got "
              + dy.shape());
    }
    Tensor g = dy.reshape(rows, width);
    // The output projection, as a dense layer.
    Tensor.matmul(g, true, heads2d, false, outWeight.grad(), !outWeight.takeZeroGrad());
    if (outBias != null) {
      Reduce.columnSums(g.data(), rows, width, outBias.grad().data(), !outBias.takeZeroGrad());
    }
    gradHeads = reuse(gradHeads, rows, width);
    Tensor.matmul(g, false, outWeight.value(), false, gradHeads, false);
    gradQkv = reuse(gradQkv, rows, 3 * width);
    int t = time;
    int tt = t * t;
    int pairs = batch * heads;
    int parts = Math.min(Parallel.threads(), pairs);
    float[] qd = qkv.data();
    float[] dh = gradHeads.data();
    float[] dq = gradQkv.data();
    float scale = (float) (1.0 / Math.sqrt(headWidth));
    int ld = 3 * width;
    Parallel.forEach(
        parts,
        part -> {
          float[] da = new float[tt];
          for (int p = part * pairs / parts; p < (part + 1) * pairs / parts; p++) {
            int ex = p / heads;
            int head = p % heads;
            int so = p * tt;
            int ho = ex * t * width + head * headWidth;
            int qo = ex * t * ld + head * headWidth;
            int ko = qo + width;
            int vo = qo + 2 * width;
            float[] used = dropped == null ? weights : dropped;
            // dV = A'ᵀ dO and dA' = dO Vᵀ.
            Gemm.gemm(true, false, t, headWidth, t, used, so, t, dh, ho, width, dq, vo, ld, false);
            Gemm.gemm(false, true, t, t, headWidth, dh, ho, width, qd, vo, ld, da, 0, t, false);
            // Through dropout and the softmax: dZ = A ⊙ (dA − Σ dA ⊙ A), times the scale.
            for (int i = 0; i < t; i++) {
              int row = so + i * t;
              double dot = 0;
              for (int j = 0; j < t; j++) {
                float d = dropMask == null ? da[i * t + j] : da[i * t + j] * dropMask[row + j];
                da[i * t + j] = d;
                dot += d * weights[row + j];
              }
              float fd = (float) dot;
              for (int j = 0; j < t; j++) {
                da[i * t + j] = weights[row + j] * (da[i * t + j] - fd) * scale;
              }
            }
            // dQ = dZ K and dK = dZᵀ Q.
            Gemm.gemm(false, false, t, headWidth, t, da, 0, t, qd, ko, ld, dq, qo, ld, false);
            Gemm.gemm(true, false, t, headWidth, t, da, 0, t, qd, qo, ld, dq, ko, ld, false);
          }
        });
    // The input projection, as a dense layer.
    Tensor.matmul(gradQkv, true, input, false, inWeight.grad(), !inWeight.takeZeroGrad());
    if (inBias != null) {
      Reduce.columnSums(dq, rows, ld, inBias.grad().data(), !inBias.takeZeroGrad());
    }
    if (!inputGradient) {
      return null;
    }
    gradInput = reuse(gradInput, rows, width);
    Tensor.matmul(gradQkv, false, inWeight.value(), false, gradInput, false);
    return gradInput.reshape(batch, time, width);
  }

  /**
   * What the last training pass computed, for the walkthrough (copies): {@code qkv}, the queries,
   * keys and values side by side {@code [batch, time, 3·width]} (head {@code h}'s query is columns
   * {@code h·d .. h·d + d}, its key {@code width} further, its value {@code 2·width} further);
   * {@code weights}, the attention weights {@code [batch, heads, time, time]} before dropout (row
   * {@code i} of head {@code h} says how much query {@code i} takes from each key); {@code mixed},
   * the weighted values of every head side by side {@code [batch, time, width]}, which the output
   * projection reads.
   */
  @Override
  public Map<String, Tensor> insides() {
    if (weights == null) {
      return Map.of();
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("qkv", qkv.copy().reshape(batch, time, 3 * width));
    m.put("weights", Tensor.wrap(weights.clone(), batch, heads, time, time));
    m.put("mixed", heads2d.copy().reshape(batch, time, width));
    return m;
  }

  private static float[] reuse(float[] a, int n) {
    return a != null && a.length == n ? a : new float[n];
  }

  private static Tensor reuse(Tensor t, int rows, int cols) {
    return t != null && t.rows() == rows && t.cols() == cols ? t : Tensor.zeros(rows, cols);
  }

  /** Like {@code MultiHeadAttention(width=64, heads=4, causal=true)}. */
  @Override
  public String toString() {
    return "MultiHeadAttention(width="
        + width
        + ", heads="
        + heads
        + (causal ? ", causal=true" : "")
        + (dropout > 0f ? ", dropout=" + dropout : "")
        + (inBias == null ? ", bias=false" : "")
        + ")";
  }
}
