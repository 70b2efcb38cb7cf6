package dev.nerve.nn;

import dev.nerve.tensor.kernel.ElementWise;

/**
 * {@code x} for {@code x > 0}, else {@code negativeSlope * x}; slope 1 or {@code negativeSlope}.
 */
public final class LeakyReLU extends Activation {
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
}
