package dev.nerve.tensor.kernel;

/**
 * Max pooling of whole planes whose windows lie inside the plane (no padding), in the plain-Java
 * loop or on the Vector API ({@code VectorPools}, a lane-width of windows at once). Both read each
 * window's taps in the same order and keep the same one — the first maximum, or a NaN (the last
 * one) — so they give the same values and the same argmax, bit for bit.
 *
 * <p>Why a kernel: in the scalar loop, which tap of a window is largest is a coin toss for the
 * branch predictor, and LeNet-5's first pooling took 12 ns per window (a sixth of a training
 * epoch); compares and blends on lanes have no branch to mispredict.
 */
public final class Pools {
  private static final PoolKernel VECTOR = VectorModule.load("VectorPools", PoolKernel.class);

  /** The plain-Java loop: also the reference the vector kernel is tested against. */
  static final PoolKernel SCALAR = new ScalarPools();

  private Pools() {}

  private static PoolKernel kernel() {
    return VECTOR != null && Gemm.vectorized() ? VECTOR : SCALAR;
  }

  /**
   * Pools planes {@code [fromPlane, toPlane)} of {@code x} (each {@code h × w}) with {@code k × k}
   * windows every {@code stride}, into {@code y} (each plane {@code oh × ow}, at the same plane
   * index), and if {@code arg} is not null, each output's source index in {@code x}.
   */
  public static void maxPool(
      float[] x,
      float[] y,
      int[] arg,
      int fromPlane,
      int toPlane,
      int h,
      int w,
      int oh,
      int ow,
      int k,
      int stride) {
    kernel().maxPool(x, y, arg, fromPlane, toPlane, h, w, oh, ow, k, stride);
  }

  static final class ScalarPools implements PoolKernel {
    @Override
    public void maxPool(
        float[] xd,
        float[] yd,
        int[] arg,
        int fromPlane,
        int toPlane,
        int h,
        int w,
        int oh,
        int ow,
        int k,
        int stride) {
      int o = fromPlane * oh * ow;
      for (int plane = fromPlane; plane < toPlane; plane++) {
        int base = plane * h * w;
        for (int oy = 0; oy < oh; oy++) {
          int rowStart = base + oy * stride * w;
          for (int ox = 0; ox < ow; ox++, o++) {
            int start = rowStart + ox * stride;
            int at = start;
            float best = xd[start];
            for (int i = 0; i < k; i++) {
              int r = start + i * w;
              for (int j = 0; j < k; j++) {
                float v = xd[r + j];
                if (v > best || v != v) {
                  best = v;
                  at = r + j;
                }
              }
            }
            yd[o] = best;
            if (arg != null) {
              arg[o] = at;
            }
          }
        }
      }
    }
  }
}
