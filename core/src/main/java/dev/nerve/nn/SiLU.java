package dev.nerve.nn;

/**
 * Sigmoid linear unit, also called Swish: {@code y = x σ(x)}; slope {@code σ(x) (1 + x (1 -
 * σ(x)))}.
 */
public final class SiLU extends Activation {
  /** The type {@code silu} (also read as {@code swish}). */
  public static final LayerType<NoSettings, SiLU> TYPE =
      LayerType.plain("silu", SiLU.class, SiLU::new, "swish");

  @Override
  public float apply(float x) {
    return (float) (x / (1 + Math.exp(-x)));
  }

  @Override
  public float slope(float x, float y) {
    double s = 1 / (1 + Math.exp(-x));
    return (float) (s * (1 + x * (1 - s)));
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
