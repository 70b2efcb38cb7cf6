package dev.nerve.nn;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel), exact form as PyTorch's default: {@code y = x
 * Φ(x) = x/2 (1 + erf(x/√2))}; slope {@code Φ(x) + x φ(x)}, with φ the standard normal density.
 */
public final class GELU extends Activation {
  /** The type {@code gelu}. */
  public static final LayerType<NoSettings, GELU> TYPE =
      LayerType.plain("gelu", GELU.class, GELU::new);

  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  @Override
  public float apply(float x) {
    return (float) (0.5 * x * (1 + Erf.erf(x * SQRT_HALF)));
  }

  @Override
  public float slope(float x, float y) {
    double cdf = 0.5 * (1 + Erf.erf(x * SQRT_HALF));
    return (float) (cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
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

  /** Yes: {@link Init#auto()} chooses He initialisation before this activation. */
  @Override
  public boolean reluLike() {
    return true;
  }
}
