package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A lookup table from token ids to vectors: the first layer of a network that reads text. Row
 * {@code i} of the weight is the vector of token {@code i} (PyTorch's {@code nn.Embedding}, same
 * layout: {@code weight [num_embeddings, embedding_dim]}).
 *
 * <p>Shapes: input {@code [batch, time]} of token ids (whole numbers stored as floats, as every
 * input is), output {@code [batch, time, embedding_dim]}; any rank works, a vector is added as a
 * last axis.
 *
 * <p>With a padding id, that token's vector starts at zero and never receives a gradient, so it
 * stays zero: padded positions feed zeros to the layer after.
 *
 * <p>Backward: the gradient of row {@code i} is the sum of the output gradients at every position
 * that holds token {@code i}; the ids have no gradient (this layer returns none).
 *
 * <pre>{@code
 * Embedding e = new Embedding(100, 16, 0);   // 100 tokens, 16 values each, id 0 is padding
 * }</pre>
 */
public final class Embedding implements Layer {
  /**
   * The settings of an embedding in the network JSON ({@code "type": "embedding"}), named as
   * PyTorch names them.
   *
   * @param numEmbeddings the vocabulary size, {@code "num_embeddings"} (required)
   * @param embeddingDim the size of each vector, {@code "embedding_dim"} (required)
   * @param paddingIdx the padding token, {@code "padding_idx"}, or -1 for none (default)
   */
  public record Settings(int numEmbeddings, int embeddingDim, int paddingIdx)
      implements LayerSettings {
    @Override
    public LayerType<Settings, Embedding> type() {
      return TYPE;
    }
  }

  /** The type {@code embedding}. */
  public static final LayerType<Settings, Embedding> TYPE =
      new LayerType<>("embedding", Embedding.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.size("num_embeddings"), in.size("embedding_dim"), in.count("padding_idx", -1));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("num_embeddings", s.numEmbeddings());
          out.put("embedding_dim", s.embeddingDim());
          if (s.paddingIdx() >= 0) {
            out.put("padding_idx", s.paddingIdx());
          }
        }

        @Override
        public Settings describe(Embedding e) {
          return new Settings(e.vocabulary, e.dim, e.paddingId);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          if (s.paddingIdx() >= s.numEmbeddings()) {
            throw new ShapeMismatchException(
                "embedding: padding_idx "
                    + s.paddingIdx()
                    + " is outside the vocabulary of "
                    + s.numEmbeddings());
          }
          long values = times(s.numEmbeddings(), s.embeddingDim());
          checkValues(values);
          return new Sizes(outputShapeOf(input, s.embeddingDim()), values, 0);
        }

        @Override
        public Embedding build(Settings s, Shape input) {
          return new Embedding(s.numEmbeddings(), s.embeddingDim(), s.paddingIdx());
        }
      };

  private final int vocabulary;
  private final int dim;
  private final int paddingId;
  private final Parameter weight;

  private int[] ids; // kept by a training forward for backward
  private Tensor outputBuffer;

  /** A table of {@code vocabulary} vectors of {@code dim} values, without a padding id. */
  public Embedding(int vocabulary, int dim) {
    this(vocabulary, dim, -1);
  }

  /**
   * A table whose vector for {@code paddingId} stays zero (-1: no padding id).
   *
   * @throws IllegalArgumentException if a size is not positive or the padding id is out of range
   */
  public Embedding(int vocabulary, int dim, int paddingId) {
    if (vocabulary <= 0 || dim <= 0) {
      throw new IllegalArgumentException(
          "Embedding needs positive sizes, got num_embeddings="
              + vocabulary
              + ", embedding_dim="
              + dim);
    }
    if (paddingId < -1 || paddingId >= vocabulary) {
      throw new IllegalArgumentException(
          "Embedding: padding id " + paddingId + " is outside the vocabulary of " + vocabulary);
    }
    this.vocabulary = vocabulary;
    this.dim = dim;
    this.paddingId = paddingId;
    this.weight = new Parameter("weight", Tensor.zeros(vocabulary, dim));
  }

  /** The vocabulary size. */
  public int vocabulary() {
    return vocabulary;
  }

  /** The size of each vector. */
  public int dim() {
    return dim;
  }

  /** The padding id, or -1. */
  public int paddingId() {
    return paddingId;
  }

  /** The table, {@code [num_embeddings, embedding_dim]}. */
  public Parameter weight() {
    return weight;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight);
  }

  /** Standard normal values, as PyTorch draws them; the padding row zero. */
  @Override
  public void initialize(Rng rng) {
    float[] w = weight.value().data();
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    if (paddingId >= 0) {
      java.util.Arrays.fill(w, paddingId * dim, (paddingId + 1) * dim, 0f);
    }
  }

  static Shape outputShapeOf(Shape input, int dim) {
    int[] d = input.dims();
    int[] o = java.util.Arrays.copyOf(d, d.length + 1);
    o[d.length] = dim;
    return Shape.of(o);
  }

  /** {@code [time]} ids give {@code [time, embedding_dim]}: an axis is added. */
  @Override
  public Shape outputShape(Shape input) {
    return outputShapeOf(input, dim);
  }

  /**
   * Looks up every id.
   *
   * @throws IllegalArgumentException naming this layer, the position, the id and the vocabulary
   *     size if an id is not a whole number in [0, num_embeddings)
   */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    float[] xd = x.data();
    int n = xd.length;
    int[] at = training && ids != null && ids.length == n ? ids : new int[n];
    for (int i = 0; i < n; i++) {
      float v = xd[i];
      int id = (int) v;
      if (id != v || id < 0 || id >= vocabulary) {
        throw new IllegalArgumentException(
            this
                + ": token id "
                + v
                + " at position "
                + position(x.shape(), i)
                + " is outside the vocabulary of "
                + vocabulary
                + " (ids 0 to "
                + (vocabulary - 1)
                + ")");
      }
      at[i] = id;
    }
    int[] od = outputShapeOf(x.shape(), dim).dims();
    Tensor y;
    if (training) {
      ids = at;
      if (outputBuffer == null || outputBuffer.size() != n * dim) {
        outputBuffer = Tensor.zeros(n * dim);
      }
      y = outputBuffer.reshape(od);
    } else {
      y = Tensor.zeros(od);
    }
    float[] w = weight.value().data();
    float[] yd = y.data();
    for (int i = 0; i < n; i++) {
      System.arraycopy(w, at[i] * dim, yd, i * dim, dim);
    }
    return y;
  }

  private static String position(Shape s, int flat) {
    int[] d = s.dims();
    int[] idx = new int[d.length];
    for (int k = d.length - 1; k >= 0; k--) {
      idx[k] = flat % d[k];
      flat /= d[k];
    }
    return java.util.Arrays.toString(idx);
  }

  @Override
  public Tensor backward(Tensor dy) {
    return backward(dy, true);
  }

  /** Adds each position's gradient into its token's row; returns null (ids have no gradient). */
  @Override
  public Tensor backward(Tensor dy, boolean inputGradient) {
    if (ids == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (dy.size() != ids.length * dim) {
      throw new ShapeMismatchException(
          this + ": expected an output gradient of " + ids.length + " x " + dim + ", got " + dy);
    }
    float[] g = weight.grad().data();
    if (weight.takeZeroGrad()) {
      java.util.Arrays.fill(g, 0f);
    }
    float[] d = dy.data();
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      if (id == paddingId) {
        continue;
      }
      int o = id * dim;
      int s = i * dim;
      for (int j = 0; j < dim; j++) {
        g[o + j] += d[s + j];
      }
    }
    return null;
  }

  /** Like {@code Embedding(num_embeddings=100, embedding_dim=16, padding_idx=0)}. */
  @Override
  public String toString() {
    return "Embedding(num_embeddings="
        + vocabulary
        + ", embedding_dim="
        + dim
        + (paddingId >= 0 ? ", padding_idx=" + paddingId : "")
        + ")";
  }
}
