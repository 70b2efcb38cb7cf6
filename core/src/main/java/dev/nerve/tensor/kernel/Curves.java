package dev.nerve.tensor.kernel;

/**
 * The logistic sigmoid, tanh and GELU over ranges of an array, built on one exponential that uses
 * only multiplications, additions, a division and exponent bits (Cephes' {@code expf}: range
 * reduction by ln 2, a degree-6 polynomial, relative error below 2e-7). Because it uses nothing
 * else, the plain-Java loop and the Vector API one ({@code VectorCurves}, a lane-width at once)
 * give the same bits, so a recurrent network computes the same numbers with or without the Vector
 * API; {@link Math#exp} is neither vectorisable nor reproducible lane by lane.
 */
public final class Curves {
  private static final CurveKernel VECTOR = VectorModule.load("VectorCurves", CurveKernel.class);
  static final CurveKernel SCALAR = new ScalarCurves();

  private Curves() {}

  private static CurveKernel kernel() {
    return VECTOR != null && Gemm.vectorized() ? VECTOR : SCALAR;
  }

  /** {@code x[i] = 1 / (1 + e^-x[i])} for {@code i} in {@code [from, to)}. */
  public static void sigmoidInPlace(float[] x, int from, int to) {
    kernel().sigmoid(x, from, to);
  }

  /** {@code x[i] = tanh(x[i]) = 1 - 2 / (e^(2 x[i]) + 1)} for {@code i} in {@code [from, to)}. */
  public static void tanhInPlace(float[] x, int from, int to) {
    kernel().tanh(x, from, to);
  }

  /** {@code tanh(v)}, the same bits as {@link #tanhInPlace}. */
  public static float tanh(float v) {
    return ScalarCurves.tanh(v);
  }

  /**
   * {@code out[i] = x[i] Φ(x[i])} (GELU, exact form: Φ the standard normal distribution) for {@code
   * i} in {@code [from, to)}; {@code out} may be {@code x}.
   */
  public static void gelu(float[] x, float[] out, int from, int to) {
    kernel().gelu(x, out, from, to);
  }

  /** {@code dx[i] = dy[i] (Φ(x[i]) + x[i] φ(x[i]))}, GELU's backward, for {@code i} in range. */
  public static void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
    kernel().geluBackward(x, dy, dx, from, to);
  }

  /**
   * {@code dx[i] = x[i] > 0 ? dy[i] : slope · dy[i]} for {@code i} in range: the (leaky) ReLU's
   * backward from its input; a NaN input takes the slope, as {@code x > 0} is false for it.
   */
  public static void leakyReluBackward(
      float slope, float[] x, float[] dy, float[] dx, int from, int to) {
    kernel().leakyReluBackward(slope, x, dy, dx, from, to);
  }

  /** GELU of one value, the same bits as {@link #gelu(float[], float[], int, int)}. */
  public static float gelu(float v) {
    return ScalarCurves.gelu(v);
  }

  /** GELU's slope at one value, the same bits as {@link #geluBackward}. */
  public static float geluSlope(float v) {
    return ScalarCurves.geluSlope(v);
  }

  /** {@code e^v} as this class computes it. */
  public static float exp(float v) {
    return ScalarCurves.exp(v);
  }

  // The constants both kernels share.
  static final float HI = 88.0f;
  static final float LO = -88.0f;
  static final float LOG2E = 1.44269504088896341f;
  static final float MAGIC = 12582912f; // 1.5 * 2^23: x + MAGIC - MAGIC rounds x to an integer
  static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC); // and x + MAGIC's bits hold it
  static final float C1 = 0.693359375f;
  static final float C2 = -2.12194440e-4f;
  static final float P0 = 1.9875691500e-4f;
  static final float P1 = 1.3981999507e-3f;
  static final float P2 = 8.3334519073e-3f;
  static final float P3 = 4.1665795894e-2f;
  static final float P4 = 1.6666665459e-1f;
  static final float P5 = 5.0000001201e-1f;
  static final float SQRT_HALF = 0.70710678118654752f;
  static final float INV_SQRT_2PI = 0.39894228040143268f;

  /**
   * erfc(z) for z ≥ 0 is {@code t e^(−z² + E(t))} with {@code t = 1 / (1 + z/2)} and E this
   * polynomial (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7), lowest power first.
   */
  static final float[] E = {
    -1.26551223f,
    1.00002368f,
    0.37409196f,
    0.09678418f,
    -0.18628806f,
    0.27886807f,
    -1.13520398f,
    1.48851587f,
    -0.82215223f,
    0.17087277f
  };

  /** The plain-Java kernel: one element at a time, the operations of the vector one in order. */
  static final class ScalarCurves implements CurveKernel {
    static float exp(float v) {
      float x = Math.min(Math.max(v, LO), HI);
      float t = x * LOG2E + MAGIC;
      float n = t - MAGIC;
      float r = x - n * C1;
      r = r - n * C2;
      float p = P0;
      p = p * r + P1;
      p = p * r + P2;
      p = p * r + P3;
      p = p * r + P4;
      p = p * r + P5;
      p = p * (r * r) + r;
      p = p + 1f;
      return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (MAGIC_BITS - 127)) << 23);
    }

    /**
     * Φ(v) = (1 + erf(v/√2)) / 2, as 1 − erfc/2 or erfc/2 by sign (no cancellation for negative v,
     * where Φ is small).
     */
    static float cdf(float v) {
      float u = v * SQRT_HALF;
      float z = Math.abs(u);
      float t = 1f / (1f + z * 0.5f);
      float q = E[9];
      for (int k = 8; k >= 0; k--) {
        q = q * t + E[k];
      }
      float half = t * exp(q - z * z) * 0.5f;
      return u >= 0f ? 1f - half : half;
    }

    static float gelu(float v) {
      return v * cdf(v);
    }

    static float geluSlope(float v) {
      return cdf(v) + v * INV_SQRT_2PI * exp(v * v * -0.5f);
    }

    @Override
    public void gelu(float[] x, float[] out, int from, int to) {
      for (int i = from; i < to; i++) {
        out[i] = gelu(x[i]);
      }
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
      for (int i = from; i < to; i++) {
        dx[i] = dy[i] * geluSlope(x[i]);
      }
    }

    @Override
    public void leakyReluBackward(
        float slope, float[] x, float[] dy, float[] dx, int from, int to) {
      // "x > 0" as a bit mask, so the loop has no branch: the bits of x minus one are
      // non-negative for x > +0, and below those of NaN for x at most +infinity.
      for (int i = from; i < to; i++) {
        int b = Float.floatToRawIntBits(x[i]);
        int keep = ~((b - 1) >> 31) & ((b - 0x7f800001) >> 31);
        int g = Float.floatToRawIntBits(dy[i]);
        int s = Float.floatToRawIntBits(slope * dy[i]);
        dx[i] = Float.intBitsToFloat((g & keep) | (s & ~keep));
      }
    }

    static float sigmoid(float v) {
      return 1f / (1f + exp(-v));
    }

    static float tanh(float v) {
      return 1f - 2f / (exp(v + v) + 1f);
    }

    @Override
    public void sigmoid(float[] x, int from, int to) {
      for (int i = from; i < to; i++) {
        x[i] = sigmoid(x[i]);
      }
    }

    @Override
    public void tanh(float[] x, int from, int to) {
      for (int i = from; i < to; i++) {
        x[i] = tanh(x[i]);
      }
    }
  }
}
