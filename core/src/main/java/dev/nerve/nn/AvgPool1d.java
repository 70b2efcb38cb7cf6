package dev.nerve.nn;

/**
 * The mean of each window along the sequence ({@link Pool1d}); padded cells count as zeros, so a
 * window is always divided by {@code kernel} (PyTorch's {@code count_include_pad=True}). Backward
 * spreads each output's gradient evenly over its window.
 */
public final class AvgPool1d extends Pool1d {
  /** The type {@code avg_pool1d}. */
  public static final LayerType<Settings, AvgPool1d> TYPE =
      type("avg_pool1d", AvgPool1d.class, AvgPool1d::new);

  /** Windows of {@code kernel}, {@code kernel} apart, no padding. */
  public AvgPool1d(int kernel) {
    this(kernel, kernel, 0);
  }

  /**
   * Windows of {@code kernel}, {@code stride} apart, {@code padding} on each end.
   *
   * @throws IllegalArgumentException if a size is below 1, or the padding is negative or more than
   *     half the kernel
   */
  public AvgPool1d(int kernel, int stride, int padding) {
    super("AvgPool1d", kernel, stride, padding);
  }

  @Override
  boolean recordsIndex() {
    return false;
  }

  @Override
  void pool(float[] x, int xo, int length, float[] y, int yo, int lo, int[] arg) {
    float inv = 1f / kernel;
    for (int o = 0; o < lo; o++) {
      int start = o * stride - padding;
      float s = 0;
      for (int i = Math.max(0, start); i < Math.min(length, start + kernel); i++) {
        s += x[xo + i];
      }
      y[yo + o] = s * inv;
    }
  }

  @Override
  void unpool(float[] dy, int yo, int lo, float[] dx, int xo, int length, int[] arg) {
    float inv = 1f / kernel;
    for (int o = 0; o < lo; o++) {
      int start = o * stride - padding;
      float g = dy[yo + o] * inv;
      for (int i = Math.max(0, start); i < Math.min(length, start + kernel); i++) {
        dx[xo + i] += g;
      }
    }
  }
}
