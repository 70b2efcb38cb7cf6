package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import java.util.Map;

/**
 * Exponential linear unit: {@code x} for {@code x > 0}, else {@code α (e^x - 1)}; slope 1, or
 * {@code y + α} below zero.
 */
public final class ELU extends Activation {
  /**
   * The settings of an ELU in the network JSON ({@code "type": "elu"}).
   *
   * @param alpha α, {@code "alpha"} (default 1)
   */
  public record Settings(float alpha) implements LayerSettings {
    @Override
    public LayerType<Settings, ELU> type() {
      return TYPE;
    }
  }

  /** The type {@code elu}. */
  public static final LayerType<Settings, ELU> TYPE =
      new LayerType<>("elu", ELU.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(in.real("alpha", 1f));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("alpha", s.alpha());
        }

        @Override
        public Settings describe(ELU l) {
          return new Settings(l.alpha);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          return Sizes.of(input);
        }

        @Override
        public ELU build(Settings s, Shape input) {
          return new ELU(s.alpha());
        }
      };

  private final float alpha;

  /** With α = 1, as PyTorch's default. */
  public ELU() {
    this(1f);
  }

  /**
   * With the given α.
   *
   * @throws IllegalArgumentException if α is not finite
   */
  public ELU(float alpha) {
    if (!Float.isFinite(alpha)) {
      throw new IllegalArgumentException("ELU alpha must be finite, got " + alpha);
    }
    this.alpha = alpha;
  }

  /** The value α reaches for very negative inputs, negated. */
  public float alpha() {
    return alpha;
  }

  @Override
  public float apply(float x) {
    return x > 0 ? x : alpha * (float) Math.expm1(x);
  }

  @Override
  public float slope(float x, float y) {
    return x > 0 ? 1f : y + alpha;
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = apply(x[i]);
    }
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    for (int i = 0; i < n; i++) {
      dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha);
    }
  }

  @Override
  public String toString() {
    return "ELU(alpha=" + alpha + ")";
  }

  /** Yes: {@link Init#auto()} chooses He initialisation before this activation. */
  @Override
  public boolean reluLike() {
    return true;
  }
}
