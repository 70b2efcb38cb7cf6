package dev.nerve.nn;

import dev.nerve.tensor.kernel.ElementWise;

/**
 * Rectified linear unit {@code max(0, x)}; slope 1 for {@code x > 0}, else 0 (0 at 0, as PyTorch).
 */
public final class ReLU extends Activation {
  /** The type {@code relu}. */
  public static final LayerType<NoSettings, ReLU> TYPE =
      LayerType.plain("relu", ReLU.class, ReLU::new);

  @Override
  public float apply(float x) {
    return x > 0f ? x : 0f;
  }

  @Override
  public float slope(float x, float y) {
    return x > 0f ? 1f : 0f;
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    ElementWise.leakyRelu(0f, x, out, n);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    ElementWise.leakyReluBackward(0f, x, dy, dx, n);
  }

  /** Yes: {@link Init#auto()} chooses He initialisation before this activation. */
  @Override
  public boolean reluLike() {
    return true;
  }
}
