package dev.nerve.nn;

import java.util.Arrays;

/**
 * Unfolding image patches into columns and folding them back, the lowering that turns a convolution
 * into one matrix multiply. Row {@code (c·k + i)·k + j} of the column matrix holds tap {@code (i,
 * j)} of channel {@code c} for every output position of every image, images one after another:
 * {@code [channels·k·k, batch·outH·outW]}.
 *
 * <p>For each tap and output row, the output columns whose input falls inside the image form one
 * range, computed once; stride 1 copies it with {@code System.arraycopy}, and only the padding
 * around it is zero-filled, so no per-element bounds test remains in the hot loop.
 */
final class Im2col {
  private Im2col() {}

  /** First output column whose input {@code ox·stride + offset} is at least 0. */
  private static int firstInside(int offset, int stride) {
    return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  }

  /** One past the last output column whose input is below {@code w} (at most {@code ow}). */
  private static int endInside(int offset, int stride, int w, int ow) {
    if (offset >= w) {
      return 0;
    }
    return Math.min(ow, (w - 1 - offset) / stride + 1);
  }

  /**
   * Fills the columns of images {@code [from, to)} of {@code x} ({@code [n, c, h, w]}); padding
   * reads as 0. Image {@code img} goes to columns {@code (img - base)·p ..} of rows {@code width}
   * floats long: the whole batch side by side ({@code width = n·p, base = 0}) or one image alone.
   * With {@code paddingZero} the padding's places already hold 0 (a buffer only this layer's
   * unfolding of the same geometry ever wrote, or a new one) and are not written again: for a few
   * floats per row, the writes cost more than the copies (a third of LeNet-5's inference).
   */
  static void unfold(
      float[] x,
      int from,
      int to,
      int c,
      int h,
      int w,
      int k,
      int stride,
      int pad,
      int dil,
      int oh,
      int ow,
      float[] cols,
      int width,
      int base,
      boolean paddingZero) {
    int p = oh * ow;
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          int row = ((ch * k + i) * k + j) * width;
          int offset = j * dil - pad;
          int lo = firstInside(offset, stride);
          int hi = Math.max(lo, endInside(offset, stride, w, ow));
          for (int img = from; img < to; img++) {
            int src = (img * c + ch) * h * w;
            int dst = row + (img - base) * p;
            for (int oy = 0; oy < oh; oy++) {
              int iy = oy * stride - pad + i * dil;
              int d = dst + oy * ow;
              if (iy < 0 || iy >= h) {
                if (!paddingZero) {
                  zero(cols, d, d + ow);
                }
                continue;
              }
              if (!paddingZero) {
                zero(cols, d, d + lo);
              }
              int s = src + iy * w + offset;
              if (stride == 1) {
                if (hi > lo) {
                  // (Not even an empty copy where the tap's column lies wholly in the padding:
                  // its source position may pass the end of x, which arraycopy refuses.)
                  System.arraycopy(x, s + lo, cols, d + lo, hi - lo);
                }
              } else {
                for (int ox = lo; ox < hi; ox++) {
                  cols[d + ox] = x[s + ox * stride];
                }
              }
              if (!paddingZero) {
                zero(cols, d + hi, d + ow);
              }
            }
          }
        }
      }
    }
  }

  /**
   * {@code a[from, to)} = 0 in a plain loop: the padding around a row is a few floats, for which
   * {@link Arrays#fill}'s call and range check cost more than the stores (a fifth of a LeNet-5
   * convolution's time).
   */
  private static void zero(float[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      a[i] = 0f;
    }
  }

  /**
   * Sums the columns of images {@code [from, to)} (laid out as {@link #unfold} writes them) back
   * onto those images of {@code dx} ({@code [n, c, h, w]}; their part overwritten).
   */
  static void fold(
      float[] cols,
      int width,
      int base,
      int from,
      int to,
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
    Arrays.fill(dx, from * c * h * w, to * c * h * w, 0f);
    int p = oh * ow;
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          int row = ((ch * k + i) * k + j) * width;
          int offset = j * dil - pad;
          int lo = firstInside(offset, stride);
          int hi = endInside(offset, stride, w, ow);
          for (int img = from; img < to; img++) {
            int dst = (img * c + ch) * h * w;
            int src = row + (img - base) * p;
            for (int oy = 0; oy < oh; oy++) {
              int iy = oy * stride - pad + i * dil;
              if (iy < 0 || iy >= h) {
                continue;
              }
              int d = dst + iy * w + offset;
              int s = src + oy * ow;
              if (stride == 1) {
                for (int ox = lo; ox < hi; ox++) {
                  dx[d + ox] += cols[s + ox];
                }
              } else {
                for (int ox = lo; ox < hi; ox++) {
                  dx[d + ox * stride] += cols[s + ox];
                }
              }
            }
          }
        }
      }
    }
  }
}
