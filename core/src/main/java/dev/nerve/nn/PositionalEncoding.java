package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adds to each time step a vector that says where it is, so that attention (which is blind to
 * order) can tell positions apart. Two kinds:
 *
 * <ul>
 *   <li>{@code sinusoidal} (Vaswani et al.), fixed: for position {@code p} and feature pair {@code
 *       2i, 2i+1}, {@code PE[p, 2i] = sin(p / 10000^(2i/width))} and {@code PE[p, 2i+1] = cos(p /
 *       10000^(2i/width))}. Nothing is trained or saved.
 *   <li>{@code learned}: a trained table {@code weight [max_length, width]} (as an {@code
 *       nn.Embedding} of positions, initialised from N(0, 0.02²) as GPT-2's).
 * </ul>
 *
 * <p>Shapes: {@code [batch, time, width]} in and out, {@code time ≤ max_length}; a longer sequence
 * is refused naming the layer, the length and the limit. Backward passes the gradient through
 * unchanged and, for {@code learned}, adds its sum over the batch to row {@code p} of the table.
 */
public final class PositionalEncoding implements Layer {
  /**
   * The settings of a positional encoding in the network JSON ({@code "type":
   * "positional_encoding"}); the width comes from the last axis of the input.
   *
   * @param kind {@code "kind"}: {@code sinusoidal} (default) or {@code learned}
   * @param maxLength the longest sequence, {@code "max_length"} (default 512)
   */
  public record Settings(String kind, int maxLength) implements LayerSettings {
    @Override
    public LayerType<Settings, PositionalEncoding> type() {
      return TYPE;
    }
  }

  /** The type {@code positional_encoding}. */
  public static final LayerType<Settings, PositionalEncoding> TYPE =
      new LayerType<>("positional_encoding", PositionalEncoding.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.choice("kind", "sinusoidal", "sinusoidal", "learned"), in.size("max_length", 512));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("kind", s.kind());
          out.put("max_length", s.maxLength());
        }

        @Override
        public Settings describe(PositionalEncoding l) {
          return new Settings(l.learned() ? "learned" : "sinusoidal", l.maxLength);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          check(name(), input, s.maxLength());
          long params = s.kind().equals("learned") ? times(s.maxLength(), input.dim(-1)) : 0;
          checkValues(params);
          return new Sizes(input, params, 0);
        }

        @Override
        public PositionalEncoding build(Settings s, Shape input) {
          return new PositionalEncoding(input.dim(-1), s.maxLength(), s.kind().equals("learned"));
        }
      };

  private static void check(String who, Shape input, int maxLength) {
    if (input.rank() != 2) {
      throw new ShapeMismatchException(
          who + ": expected examples [time, width], got " + input + " (rank " + input.rank() + ")");
    }
    if (input.dim(0) > maxLength) {
      throw new ShapeMismatchException(
          who
              + ": sequences of "
              + input.dim(0)
              + " steps are longer than max_length "
              + maxLength
              + " (input "
              + input
              + ")");
    }
  }

  private final int width;
  private final int maxLength;
  private final Parameter table; // learned: [maxLength, width]
  private final float[] fixed; // sinusoidal: [maxLength, width], computed once

  private Tensor output;
  private int[] lastShape;

  /**
   * Positions up to {@code maxLength} over {@code width} features.
   *
   * @param learned a trained table instead of the fixed sinusoids
   * @throws IllegalArgumentException if a size is below 1, or the table would be too large
   */
  public PositionalEncoding(int width, int maxLength, boolean learned) {
    if (width < 1 || maxLength < 1) {
      throw new IllegalArgumentException(
          "PositionalEncoding needs width and max_length of at least 1, got "
              + width
              + ", "
              + maxLength);
    }
    if ((long) width * maxLength > LayerType.MAX_ACTIVATION) {
      throw new IllegalArgumentException(
          "PositionalEncoding: a table of "
              + maxLength
              + " x "
              + width
              + " is more than "
              + LayerType.MAX_ACTIVATION
              + " values");
    }
    this.width = width;
    this.maxLength = maxLength;
    this.table = learned ? new Parameter("weight", Tensor.zeros(maxLength, width)) : null;
    this.fixed = learned ? null : sinusoids(maxLength, width);
  }

  /** The fixed table, {@code [rows, width]} row-major, computed in double precision. */
  static float[] sinusoids(int rows, int width) {
    float[] pe = new float[rows * width];
    for (int i = 0; i < width; i += 2) {
      double rate = Math.exp(-Math.log(10000.0) * i / width);
      for (int p = 0; p < rows; p++) {
        pe[p * width + i] = (float) Math.sin(p * rate);
        if (i + 1 < width) {
          pe[p * width + i + 1] = (float) Math.cos(p * rate);
        }
      }
    }
    return pe;
  }

  /** Whether the table is trained. */
  public boolean learned() {
    return table != null;
  }

  /** The longest sequence this layer takes. */
  public int maxLength() {
    return maxLength;
  }

  @Override
  public List<Parameter> parameters() {
    return table == null ? List.of() : List.of(table);
  }

  @Override
  public void initialize(Rng rng) {
    if (table != null) {
      Init.normal(0f, 0.02f).fillInPlace(table.value(), maxLength, width, rng);
    }
  }

  @Override
  public Shape outputShape(Shape input) {
    check(toString(), input, maxLength);
    if (input.dim(-1) != width) {
      throw new ShapeMismatchException(
          this + ": expected examples [time, " + width + "], got " + input);
    }
    return input;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.rank() != 3 || x.shape().dim(2) != width) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, time, " + width + "], got " + x.shape());
    }
    int t = x.shape().dim(1);
    if (t > maxLength) {
      throw new ShapeMismatchException(
          this
              + ": a sequence of "
              + t
              + " steps is longer than max_length "
              + maxLength
              + " (input "
              + x.shape()
              + ")");
    }
    Tensor y =
        training && output != null && output.shape().equals(x.shape())
            ? output
            : Tensor.zeros(x.shape().dims());
    float[] pe = table == null ? fixed : table.value().data();
    float[] xd = x.data();
    float[] yd = y.data();
    int step = t * width;
    for (int o = 0; o < xd.length; o += step) {
      for (int i = 0; i < step; i++) {
        yd[o + i] = xd[o + i] + pe[i];
      }
    }
    if (training) {
      output = y;
      lastShape = x.shape().dims();
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (lastShape == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (!java.util.Arrays.equals(dy.shape().dims(), lastShape)) {
      throw new ShapeMismatchException(
          this + ": expected output gradient " + Shape.of(lastShape) + ", got " + dy.shape());
    }
    if (table != null) {
      float[] g = table.grad().data();
      if (table.takeZeroGrad()) {
        java.util.Arrays.fill(g, 0f);
      }
      float[] d = dy.data();
      int step = lastShape[1] * width;
      for (int o = 0; o < d.length; o += step) {
        for (int i = 0; i < step; i++) {
          g[i] += d[o + i];
        }
      }
    }
    return dy;
  }

  /** Like {@code PositionalEncoding(width=64, max_length=512, kind=sinusoidal)}. */
  @Override
  public String toString() {
    return "PositionalEncoding(width="
        + width
        + ", max_length="
        + maxLength
        + ", kind="
        + (table == null ? "sinusoidal" : "learned")
        + ")";
  }
}
