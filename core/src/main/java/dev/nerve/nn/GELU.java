package dev.nerve.nn;

import dev.nerve.tensor.kernel.Curves;
import dev.nerve.tensor.kernel.Parallel;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel), exact form as PyTorch's default: {@code y = x
 * Φ(x) = x/2 (1 + erf(x/√2))}; slope {@code Φ(x) + x φ(x)}, with φ the standard normal density.
 *
 * <p>Computed in float by {@link Curves} (erfc by a Chebyshev fit times the library's own
 * exponential, relative error some 3e-7), the same bits with or without the Vector API, split
 * across threads for large inputs.
 */
public final class GELU extends Activation {
  /** The type {@code gelu}. */
  public static final LayerType<NoSettings, GELU> TYPE =
      LayerType.plain("gelu", GELU.class, GELU::new);

  /** Values per thread's part: a GELU costs some 40 operations a value. */
  private static final int GRAIN = 1 << 13;

  @Override
  public float apply(float x) {
    return Curves.gelu(x);
  }

  @Override
  public float slope(float x, float y) {
    return Curves.geluSlope(x);
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    Parallel.forRanges(n, GRAIN, (from, to) -> Curves.gelu(x, out, from, to));
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    Parallel.forRanges(n, GRAIN, (from, to) -> Curves.geluBackward(x, dy, dx, from, to));
  }

  /** Yes: {@link Init#auto()} chooses He initialisation before this activation. */
  @Override
  public boolean reluLike() {
    return true;
  }
}
