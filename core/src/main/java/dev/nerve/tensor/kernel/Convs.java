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
   * {@code y[img][o][oy][ox] = bias[o] + Σ weight[o][ch][i][j] · x[img][ch][oy + i - pad][ox + j -
   * pad]} for images {@code [from, to)} of the batch {@code x} ({@code [n, c, h, w]}) into those of
   * {@code y} ({@code [n, out, oh, ow]}, overwritten); {@code bias} may be null.
   */
  public static void forward(
      float[] x,
      int from,
      int to,
      int c,
      int h,
      int w,
      float[] weight,
      float[] bias,
      int out,
      int k,
      int pad,
      float[] y) {
    kernel().forward(x, from, to, c, h, w, weight, bias, out, k, pad, y);
  }

  /**
   * The input gradient of one image, {@code dx[ch][iy][ix] = Σ_taps Σ_o weight[o][ch][i][j] ·
   * dy[o][iy - i + pad][ix - j + pad]} (over the taps whose output position exists), into {@code
   * dx[dxOff..]} ({@code [c, h, w]}, overwritten); {@code pad ≤ k - 1}.
   *
   * <p>The vector kernel also adds the chains of taps that fall outside the output, on zeros: they
   * are +0 and leave every sum as it was (a sum that starts at +0 never becomes -0). With an
   * infinite or NaN weight (a network that has diverged) such a chain is NaN, where the lowered
   * path and the plain kernel skip the tap: only then can the two differ.
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

  /**
   * The weight gradient of a batch: {@code dW[o][(ch, i, j)] (+)= Σ_img Σ_pos dy[img][o][pos] ·
   * x[img][ch][oy + i - pad][ox + j - pad]}, the same bits as {@link Dots#gemmNT} of the output
   * gradient laid out {@code [out, n·oh·ow]} with the batch's unfolded columns {@code [c·k·k,
   * n·oh·ow]} — without either: the columns are unfolded a few images at a time (whole multiples of
   * Dots' 16 lanes, at most the batch; for small planes a buffer that stays in cache, never more
   * than the batch's columns), and their terms go into Dots' partial sums in the same order.
   * Threads split the taps, as Dots splits the rows of B.
   */
  public static void weightGradient(
      float[] x,
      int n,
      int c,
      int h,
      int w,
      float[] dy,
      int out,
      int k,
      int pad,
      float[] dw,
      boolean accumulate) {
    int oh = h + 2 * pad - k + 1;
    int ow = w + 2 * pad - k + 1;
    int p = oh * ow;
    int taps = c * k * k;
    if (n == 0 || p <= 0) {
      // No terms: Dots' sums are +0, added or stored.
      for (int i = 0; i < out * taps; i++) {
        dw[i] = accumulate ? dw[i] + 0f : 0f;
      }
      return;
    }
    // Images per chunk: the fewest whose positions fill whole sets of 16 lanes, so that every
    // chunk starts on lane 0 and its local term index has the global one's lane.
    // Then as many such groups as make some 1024 terms, over which each tile of sums stays in
    // registers (a chunk of 400, LeNet-5's second layer, spent a sixth on loading and storing
    // them).
    int lanesWhole = Dots.LANES / gcd(p, Dots.LANES);
    int per = lanesWhole * Math.max(1, Dots.KB / (lanesWhole * p));
    ConvKernel conv = kernel();
    DotKernel dots = Dots.kernel();
    float[] partial = new float[out * taps * Dots.LANES];
    // The taps in equal shares (not Parallel.forRanges' multiples of 16: LeNet-5's first layer
    // has 25), when there are enough multiply-adds to pay for a hand-over.
    long work = (long) out * taps * n * p;
    int parts = work < (1L << 20) ? 1 : Math.min(Parallel.threads(), taps);
    Parallel.forEach(
        parts,
        part -> {
          int r0 = (int) ((long) taps * part / parts);
          int r1 = (int) ((long) taps * (part + 1) / parts);
          Chunks buf = CHUNKS.get();
          int ld = Math.min(per, n) * p; // a batch smaller than a chunk is one chunk
          float[] cols = buf.cols((r1 - r0) * ld);
          float[] a = per == 1 ? dy : buf.grad(out * ld);
          for (int img = 0; img < n; img += per) {
            int count = Math.min(per, n - img);
            int width = count * p;
            conv.columns(x, img * c * h * w, count, c, h, w, k, pad, r0, r1, cols, ld);
            int aOff;
            int lda;
            if (per == 1) {
              aOff = img * out * p;
              lda = p;
            } else {
              for (int o = 0; o < out; o++) {
                for (int m = 0; m < count; m++) {
                  System.arraycopy(dy, ((img + m) * out + o) * p, a, o * ld + m * p, p);
                }
              }
              aOff = 0;
              lda = ld;
            }
            dots.partials(out, r0, r1, taps, 0, width, a, aOff, lda, cols, -r0 * ld, ld, partial);
          }
          for (int o = 0; o < out; o++) {
            for (int r = r0; r < r1; r++) {
              float v = Dots.reduce(partial, (o * taps + r) * Dots.LANES);
              int at = o * taps + r;
              dw[at] = accumulate ? dw[at] + v : v;
            }
          }
        });
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** A thread's buffers for {@link #weightGradient}: a chunk's columns and output gradient. */
  private static final class Chunks {
    float[] cols = new float[0];
    float[] grad = new float[0];

    float[] cols(int size) {
      if (cols.length < size) {
        cols = new float[size];
      }
      return cols;
    }

    float[] grad(int size) {
      if (grad.length < size) {
        grad = new float[size];
      }
      return grad;
    }
  }

  private static final ThreadLocal<Chunks> CHUNKS = ThreadLocal.withInitial(Chunks::new);

  static final class ScalarConvs implements ConvKernel {
    @Override
    public void columns(
        float[] x,
        int xOff,
        int count,
        int c,
        int h,
        int w,
        int k,
        int pad,
        int r0,
        int r1,
        float[] b,
        int ldb) {
      int oh = h + 2 * pad - k + 1;
      int ow = w + 2 * pad - k + 1;
      int p = oh * ow;
      for (int r = r0; r < r1; r++) {
        int ch = r / (k * k);
        int i = r / k % k;
        int j = r % k;
        for (int m = 0; m < count; m++) {
          int src = xOff + (m * c + ch) * h * w;
          int dst = (r - r0) * ldb + m * p;
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy + i - pad;
            for (int ox = 0; ox < ow; ox++) {
              int ix = ox + j - pad;
              boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
              b[dst + oy * ow + ox] = inside ? x[src + iy * w + ix] : 0f;
            }
          }
        }
      }
    }

    @Override
    public void forward(
        float[] x,
        int from,
        int to,
        int c,
        int h,
        int w,
        float[] weight,
        float[] bias,
        int out,
        int k,
        int pad,
        float[] y) {
      int oh = h + 2 * pad - k + 1;
      int ow = w + 2 * pad - k + 1;
      for (int img = from; img < to; img++) {
        int xOff = img * c * h * w;
        int yOff = img * out * oh * ow;
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
