package dev.nerve.tensor.kernel;

/**
 * A convolution with stride 1 and no dilation computed directly on one image, without unfolding its
 * patches into columns (im2col) first. Weights are {@code [out, c, k, k]}, images {@code [c, h, w]}
 * channels-first, {@code pad} zeros on every side; the output is {@code [out, oh, ow]} with {@code
 * oh = h + 2 pad - k + 1} (and likewise {@code ow}).
 *
 * <p>Why: with few channels (LeNet-5's 1 → 6 → 16), the unfolded columns are many times the image,
 * and writing them, reading them back and multiplying a 6-row matrix took most of a convolution's
 * time; a direct kernel reads each input row from L1 for every tap.
 *
 * <p>The arithmetic is the lowered one's, term for term, so both give the same bits: an output is a
 * chain of fused multiply-adds over {@code (channel, ky, kx)} in increasing order starting from 0,
 * then plus the bias (the matrix multiply's {@code W × cols}, then the bias pass); an input
 * gradient is, for each tap in increasing order, the chain of fused multiply-adds over the output
 * channels ({@code Wᵀ × dY}) added onto it (col2im's sums). The plain-Java kernel is the
 * definition, the Vector API kernel ({@code VectorConvs}) a lane-width of output columns at once;
 * {@code ConvsTest} holds them to each other and to the lowered path bit for bit.
 */
public final class Convs {
  private static final ConvKernel VECTOR = VectorModule.load("VectorConvs", ConvKernel.class);

  /** The definition in plain Java: the reference the vector kernel is tested against. */
  static final ConvKernel SCALAR = new ScalarConvs();

  private Convs() {}

  /**
   * True when a convolution with these settings is computed here rather than by im2col and the
   * matrix multiply: only the Vector API kernel beats the lowered path, and only for stride 1
   * without dilation and with at most {@code kernel - 1} zeros of padding (every tap of the input
   * gradient then reads inside a bordered copy of the output gradient).
   */
  public static boolean direct(int stride, int dilation, int kernel, int padding) {
    return VECTOR != null
        && Gemm.vectorized()
        && stride == 1
        && dilation == 1
        && padding <= kernel - 1;
  }

  private static ConvKernel kernel() {
    return VECTOR != null && Gemm.vectorized() ? VECTOR : SCALAR;
  }

  /**
   * {@code y[o][oy][ox] = bias[o] + Σ weight[o][ch][i][j] · x[ch][oy + i - pad][ox + j - pad]} for
   * the image at {@code x[xOff..]} into {@code y[yOff..]} (overwritten); {@code bias} may be null.
   */
  public static void forward(
      float[] x,
      int xOff,
      int c,
      int h,
      int w,
      float[] weight,
      float[] bias,
      int out,
      int k,
      int pad,
      float[] y,
      int yOff) {
    kernel().forward(x, xOff, c, h, w, weight, bias, out, k, pad, y, yOff);
  }

  /**
   * The input gradient of one image, {@code dx[ch][iy][ix] = Σ_taps Σ_o weight[o][ch][i][j] ·
   * dy[o][iy - i + pad][ix - j + pad]} (over the taps whose output position exists), into {@code
   * dx[dxOff..]} ({@code [c, h, w]}, overwritten); {@code pad ≤ k - 1}.
   *
   * <p>The vector kernel also adds the chains of taps that fall outside the output, on zeros: they
   * are +0 and leave every sum as it was (a sum that starts at +0 never becomes -0), unless a
   * weight is infinite or NaN, when the forward pass's outputs are NaN already.
   */
  public static void backwardInput(
      float[] dy,
      int dyOff,
      int out,
      float[] weight,
      int c,
      int h,
      int w,
      int k,
      int pad,
      float[] dx,
      int dxOff) {
    kernel().backwardInput(dy, dyOff, out, weight, c, h, w, k, pad, dx, dxOff);
  }

  static final class ScalarConvs implements ConvKernel {
    @Override
    public void forward(
        float[] x,
        int xOff,
        int c,
        int h,
        int w,
        float[] weight,
        float[] bias,
        int out,
        int k,
        int pad,
        float[] y,
        int yOff) {
      int oh = h + 2 * pad - k + 1;
      int ow = w + 2 * pad - k + 1;
      for (int o = 0; o < out; o++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            float s = 0f;
            for (int ch = 0; ch < c; ch++) {
              for (int i = 0; i < k; i++) {
                int iy = oy + i - pad;
                for (int j = 0; j < k; j++) {
                  int ix = ox + j - pad;
                  boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                  float v = inside ? x[xOff + (ch * h + iy) * w + ix] : 0f;
                  s = Math.fma(weight[((o * c + ch) * k + i) * k + j], v, s);
                }
              }
            }
            y[yOff + (o * oh + oy) * ow + ox] = bias == null ? s : s + bias[o];
          }
        }
      }
    }

    @Override
    public void backwardInput(
        float[] dy,
        int dyOff,
        int out,
        float[] weight,
        int c,
        int h,
        int w,
        int k,
        int pad,
        float[] dx,
        int dxOff) {
      int oh = h + 2 * pad - k + 1;
      int ow = w + 2 * pad - k + 1;
      java.util.Arrays.fill(dx, dxOff, dxOff + c * h * w, 0f);
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            for (int oy = 0; oy < oh; oy++) {
              int iy = oy + i - pad;
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox + j - pad;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                  continue;
                }
                float s = 0f;
                for (int o = 0; o < out; o++) {
                  s =
                      Math.fma(
                          weight[((o * c + ch) * k + i) * k + j],
                          dy[dyOff + (o * oh + oy) * ow + ox],
                          s);
                }
                dx[dxOff + (ch * h + iy) * w + ix] += s;
              }
            }
          }
        }
      }
    }
  }
}
