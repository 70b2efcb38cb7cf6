package dev.nerve.nn;

import dev.nerve.tensor.kernel.ElementWise;

/** Hyperbolic tangent; slope {@code 1 - y^2}, from the output. */
public final class Tanh extends Activation {
  /** The type {@code tanh}. */
  public static final LayerType<NoSettings, Tanh> TYPE =
      LayerType.plain("tanh", Tanh.class, Tanh::new);

  @Override
  public float apply(float x) {
    return (float) Math.tanh(x);
  }

  @Override
  public float slope(float x, float y) {
    return 1f - y * y;
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    ElementWise.tanh(x, out, n);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    ElementWise.tanhBackward(y, dy, dx, n);
  }
}
