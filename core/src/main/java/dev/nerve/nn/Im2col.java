package dev.nerve.nn;

/**
 * Unfolding image patches into columns and folding them back, the lowering that turns a convolution
 * into one matrix multiply. Row {@code (c·k + i)·k + j} of the column matrix holds tap {@code (i,
 * j)} of channel {@code c} for every output position of every image, images one after another:
 * {@code [channels·k·k, batch·outH·outW]}.
 */
final class Im2col {
  private Im2col() {}

  /** Fills {@code cols} from {@code x} ({@code [n, c, h, w]}); padding reads as 0. */
  static void unfold(
      float[] x,
      int n,
      int c,
      int h,
      int w,
      int k,
      int stride,
      int pad,
      int dil,
      int oh,
      int ow,
      float[] cols) {
    int p = oh * ow;
    int width = n * p;
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          int row = ((ch * k + i) * k + j) * width;
          for (int img = 0; img < n; img++) {
            int src = (img * c + ch) * h * w;
            int dst = row + img * p;
            for (int oy = 0; oy < oh; oy++) {
              int iy = oy * stride - pad + i * dil;
              int d = dst + oy * ow;
              if (iy < 0 || iy >= h) {
                java.util.Arrays.fill(cols, d, d + ow, 0f);
                continue;
              }
              int rowStart = src + iy * w;
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox * stride - pad + j * dil;
                cols[d + ox] = ix >= 0 && ix < w ? x[rowStart + ix] : 0f;
              }
            }
          }
        }
      }
    }
  }

  /** Sums {@code cols} back onto {@code dx} ({@code [n, c, h, w]}, overwritten). */
  static void fold(
      float[] cols,
      int n,
      int c,
      int h,
      int w,
      int k,
      int stride,
      int pad,
      int dil,
      int oh,
      int ow,
      float[] dx) {
    java.util.Arrays.fill(dx, 0, n * c * h * w, 0f);
    int p = oh * ow;
    int width = n * p;
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          int row = ((ch * k + i) * k + j) * width;
          for (int img = 0; img < n; img++) {
            int dst = (img * c + ch) * h * w;
            int src = row + img * p;
            for (int oy = 0; oy < oh; oy++) {
              int iy = oy * stride - pad + i * dil;
              if (iy < 0 || iy >= h) {
                continue;
              }
              int rowStart = dst + iy * w;
              int s = src + oy * ow;
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox * stride - pad + j * dil;
                if (ix >= 0 && ix < w) {
                  dx[rowStart + ix] += cols[s + ox];
                }
              }
            }
          }
        }
      }
    }
  }
}
