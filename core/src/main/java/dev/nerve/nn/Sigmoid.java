package dev.nerve.nn;

import dev.nerve.tensor.kernel.ElementWise;

/** Logistic sigmoid {@code 1 / (1 + e^-x)}; slope {@code y (1 - y)}, from the output. */
public final class Sigmoid extends Activation {
  /** The type {@code sigmoid}. */
  public static final LayerType<NoSettings, Sigmoid> TYPE =
      LayerType.plain("sigmoid", Sigmoid.class, Sigmoid::new);

  @Override
  public float apply(float x) {
    return ElementWise.sigmoid(x);
  }

  @Override
  public float slope(float x, float y) {
    return y * (1f - y);
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    ElementWise.sigmoid(x, out, n);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    ElementWise.sigmoidBackward(y, dy, dx, n);
  }
}
