package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pre-norm transformer encoder block, as PyTorch's {@code nn.TransformerEncoderLayer(d_model,
 * nhead, dim_feedforward, dropout, activation, batch_first=True, norm_first=True)}:
 *
 * <pre>
 * x = x + dropout(attention(norm1(x)))
 * x = x + dropout(linear2(dropout(activation(linear1(norm2(x))))))
 * </pre>
 *
 * <p>It is made of layers Nerve already has, and shows them: two {@link Residual} blocks, the first
 * {@code [LayerNorm, MultiHeadAttention, Dropout]} and the second {@code [LayerNorm, Dense, GELU
 * (or ReLU), Dropout, Dense, Dropout]}. Its parameters are theirs, saved as {@code 0.0.weight}
 * (norm1), {@code 0.1.in_proj_weight} (the attention), {@code 1.0.weight} (norm2), {@code
 * 1.1.weight} (linear1, stored {@code [in, out]} as every {@link Dense}: the transpose of
 * PyTorch's) and {@code 1.4.weight} (linear2). The attention's weights are dropped with the same
 * rate, as PyTorch's. Sequence lengths reach the attention as its padding mask.
 *
 * <p>Shapes: {@code [batch, time, width]} in and out.
 */
public final class TransformerEncoder implements Layer {
  /**
   * The settings of an encoder block in the network JSON ({@code "type": "transformer_encoder"});
   * the width comes from the last axis of the input.
   *
   * @param heads attention heads, {@code "heads"} (required; must divide the width)
   * @param feedforward the hidden width of the feed-forward part, {@code "feedforward"} (default 4
   *     × width; 0 here means that default)
   * @param dropout {@code "dropout"} (default 0.1, PyTorch's), in [0, 1)
   * @param activation {@code "activation"}: {@code gelu} (default) or {@code relu}
   * @param causal whether each position sees only itself and earlier ones, {@code "causal"}
   *     (default false)
   * @param eps the layer norms' eps, {@code "eps"} (default 1e-5)
   */
  public record Settings(
      int heads, int feedforward, float dropout, String activation, boolean causal, float eps)
      implements LayerSettings {
    @Override
    public LayerType<Settings, TransformerEncoder> type() {
      return TYPE;
    }

    /** The inner layers for inputs of {@code width} features. */
    List<LayerSettings> layers(int width) {
      int ff = feedforward > 0 ? feedforward : 4 * width;
      LayerSettings act =
          activation.equals("relu") ? new NoSettings(ReLU.TYPE) : new NoSettings(GELU.TYPE);
      LayerNorm.Settings norm = new LayerNorm.Settings(eps, true);
      Dropout.Settings drop = new Dropout.Settings(dropout);
      return List.of(
          new Residual.Settings(
              List.of(norm, new MultiHeadAttention.Settings(heads, causal, dropout, true), drop)),
          new Residual.Settings(
              List.of(
                  norm,
                  new Dense.Settings(ff, true, Init.xavierUniform(), Init.zeros()),
                  act,
                  drop,
                  new Dense.Settings(width, true, Init.xavierUniform(), Init.zeros()),
                  drop)));
    }
  }

  /** The type {@code transformer_encoder}. */
  public static final LayerType<Settings, TransformerEncoder> TYPE =
      new LayerType<>("transformer_encoder", TransformerEncoder.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.size("heads"),
              in.count("feedforward", 0),
              in.rate("dropout", 0.1f),
              in.choice("activation", "gelu", "gelu", "relu"),
              in.flag("causal", false),
              in.positive("eps", 1e-5f));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("heads", s.heads());
          out.put("feedforward", s.feedforward());
          out.put("dropout", s.dropout());
          out.put("activation", s.activation());
          out.put("causal", s.causal());
          out.put("eps", s.eps());
        }

        @Override
        public Settings describe(TransformerEncoder l) {
          return l.settings;
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          if (input.rank() != 2) {
            throw new ShapeMismatchException(
                name() + ": expected examples [time, width], got " + input);
          }
          try {
            return LayerTypes.walk(s.layers(input.dim(-1)), input);
          } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException(name() + ": " + e.getMessage());
          }
        }

        @Override
        public TransformerEncoder build(Settings s, Shape input) {
          return new TransformerEncoder(input.dim(-1), s);
        }
      };

  private final int width;
  private final Settings settings;
  private final List<Layer> blocks;
  private List<Tensor> blockOutputs; // the two residual blocks' outputs of the last training pass

  /** The names {@link #insides()} gives the inner layers' outputs, in the blocks' order. */
  private static final String[][] INNER = {
    {"norm1", "attention", "attention_kept"},
    {"norm2", "hidden", "activated", "activated_kept", "feedforward", "feedforward_kept"}
  };

  /**
   * A block over {@code width} features with {@code heads} heads, a feed-forward part 4 × width
   * wide, GELU, dropout 0.1, not causal.
   */
  public TransformerEncoder(int width, int heads) {
    this(width, new Settings(heads, 0, 0.1f, "gelu", false, 1e-5f));
  }

  /**
   * A block over {@code width} features.
   *
   * @throws IllegalArgumentException if the heads do not divide the width, or a setting is out of
   *     range
   */
  public TransformerEncoder(int width, Settings settings) {
    if (width < 1) {
      throw new IllegalArgumentException("TransformerEncoder needs a width of at least 1");
    }
    if (settings.heads() < 1 || width % settings.heads() != 0) {
      throw new IllegalArgumentException(
          "TransformerEncoder: " + settings.heads() + " heads do not divide the width " + width);
    }
    if (settings.feedforward() < 0) {
      throw new IllegalArgumentException(
          "TransformerEncoder: feedforward must be at least 1 (or 0 for 4 x width), got "
              + settings.feedforward());
    }
    if (!settings.activation().equals("gelu") && !settings.activation().equals("relu")) {
      throw new IllegalArgumentException(
          "TransformerEncoder: activation must be gelu or relu, got " + settings.activation());
    }
    this.width = width;
    this.settings = settings;
    this.blocks = LayerTypes.build(settings.layers(width), Shape.of(1, width));
  }

  /** The width of the input and output. */
  public int width() {
    return width;
  }

  /** The settings the block was built from. */
  public Settings settings() {
    return settings;
  }

  /** The attention inside the block. */
  public MultiHeadAttention attention() {
    return (MultiHeadAttention) blocks.get(0).children().get(1);
  }

  /** The two residual blocks: attention, then feed-forward. */
  @Override
  public List<Layer> children() {
    return blocks;
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 2 || input.dim(-1) != width) {
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
    try {
      List<Tensor> outs = training ? new ArrayList<>(2) : null;
      Tensor y = Chain.forward(blocks, x, lengths, training, outs, false);
      if (training) {
        blockOutputs = outs;
      }
      return y;
    } catch (ShapeMismatchException e) {
      throw new ShapeMismatchException(this + ": " + e.getMessage());
    }
  }

  @Override
  public Tensor backward(Tensor dy) {
    return backward(dy, true);
  }

  @Override
  public Tensor backward(Tensor dy, boolean inputGradient) {
    return Chain.backward(blocks, dy, inputGradient, null);
  }

  /**
   * What the last training pass computed inside the block, for the walkthrough (copies, {@code
   * [batch, time, ...]}): {@code norm1}; the attention's own insides ({@code qkv}, {@code weights},
   * {@code mixed}, see {@link MultiHeadAttention#insides()}); {@code attention} and, after dropout,
   * {@code attention_kept}; {@code residual1 = x + attention_kept}; {@code norm2}; {@code hidden}
   * (linear1), {@code activated} and {@code activated_kept}; {@code feedforward} (linear2) and
   * {@code feedforward_kept}. The block's output is {@code residual1 + feedforward_kept}.
   */
  @Override
  public Map<String, Tensor> insides() {
    if (blockOutputs == null) {
      return Map.of();
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int b = 0; b < 2; b++) {
      List<Tensor> inner = ((Residual) blocks.get(b)).innerOutputs();
      for (int i = 0; i < inner.size(); i++) {
        m.put(INNER[b][i], inner.get(i).copy());
        if (b == 0 && i == 0) {
          m.putAll(attention().insides());
        }
      }
      if (b == 0) {
        m.put("residual1", blockOutputs.get(0).copy());
      }
    }
    return m;
  }

  /** Like {@code TransformerEncoder(width=64, heads=4, feedforward=256, gelu, causal=true)}. */
  @Override
  public String toString() {
    return "TransformerEncoder(width="
        + width
        + ", heads="
        + settings.heads()
        + ", feedforward="
        + (settings.feedforward() > 0 ? settings.feedforward() : 4 * width)
        + ", "
        + settings.activation()
        + (settings.dropout() > 0f ? ", dropout=" + settings.dropout() : "")
        + (settings.causal() ? ", causal=true" : "")
        + ")";
  }
}
