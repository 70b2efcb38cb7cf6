package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.kernel.ElementWise;
import java.util.Map;

/**
 * {@code x} for {@code x > 0}, else {@code negativeSlope * x}; slope 1 or {@code negativeSlope}.
 */
public final class LeakyReLU extends Activation {
  /**
   * The settings of a leaky ReLU in the network JSON ({@code "type": "leaky_relu"}).
   *
   * @param negativeSlope the slope for negative inputs, {@code "negative_slope"} (default 0.01)
   */
  public record Settings(float negativeSlope) implements LayerSettings {
    @Override
    public LayerType<Settings, LeakyReLU> type() {
      return TYPE;
    }
  }

  /** The type {@code leaky_relu}. */
  public static final LayerType<Settings, LeakyReLU> TYPE =
      new LayerType<>("leaky_relu", LeakyReLU.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(in.real("negative_slope", 0.01f));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("negative_slope", s.negativeSlope());
        }

        @Override
        public Settings describe(LeakyReLU l) {
          return new Settings(l.negativeSlope);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          return Sizes.of(input);
        }

        @Override
        public LeakyReLU build(Settings s, Shape input) {
          return new LeakyReLU(s.negativeSlope());
        }
      };

  private final float negativeSlope;

  /** With PyTorch's default negative slope, 0.01. */
  public LeakyReLU() {
    this(0.01f);
  }

  /**
   * With the given slope for negative inputs.
   *
   * @throws IllegalArgumentException if the slope is not finite
   */
  public LeakyReLU(float negativeSlope) {
    if (!Float.isFinite(negativeSlope)) {
      throw new IllegalArgumentException("negative slope must be finite, got " + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  /** The slope for negative inputs. */
  public float negativeSlope() {
    return negativeSlope;
  }

  @Override
  public float apply(float x) {
    return x > 0f ? x : negativeSlope * x;
  }

  @Override
  public float slope(float x, float y) {
    return x > 0f ? 1f : negativeSlope;
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    ElementWise.leakyRelu(negativeSlope, x, out, n);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    ElementWise.leakyReluBackward(negativeSlope, x, dy, dx, n);
  }

  @Override
  public String toString() {
    return "LeakyReLU(negativeSlope=" + negativeSlope + ")";
  }

  /** Yes: {@link Init#auto()} chooses He initialisation before this activation. */
  @Override
  public boolean reluLike() {
    return true;
  }
}
