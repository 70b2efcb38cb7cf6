package dev.nerve.nn;

/**
 * A smooth ReLU: {@code y = log(1 + e^x)}; slope {@code σ(x)}. Above {@code x = 20} it returns
 * {@code x} itself (PyTorch's threshold), where the two agree to float precision.
 */
public final class Softplus extends Activation {
  /** The type {@code softplus}. */
  public static final LayerType<NoSettings, Softplus> TYPE =
      LayerType.plain("softplus", Softplus.class, Softplus::new);

  private static final float THRESHOLD = 20f;

  @Override
  public float apply(float x) {
    return x > THRESHOLD ? x : (float) Math.log1p(Math.exp(x));
  }

  @Override
  public float slope(float x, float y) {
    return x > THRESHOLD ? 1f : (float) (1 / (1 + Math.exp(-x)));
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
      dx[i] = dy[i] * slope(x[i], y[i]);
    }
  }
}
