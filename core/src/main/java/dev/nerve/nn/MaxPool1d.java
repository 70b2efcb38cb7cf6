package dev.nerve.nn;

/**
 * The largest value of each window along the sequence ({@link Pool1d}); padding never wins. The
 * gradient goes to the first position holding that maximum, as PyTorch's.
 */
public final class MaxPool1d extends Pool1d {
  /** The type {@code max_pool1d}. */
  public static final LayerType<Settings, MaxPool1d> TYPE =
      type("max_pool1d", MaxPool1d.class, MaxPool1d::new);

  /** Windows of {@code kernel}, {@code kernel} apart, no padding. */
  public MaxPool1d(int kernel) {
    this(kernel, kernel, 0);
  }

  /**
   * Windows of {@code kernel}, {@code stride} apart, {@code padding} on each end.
   *
   * @throws IllegalArgumentException if a size is below 1, or the padding is negative or more than
   *     half the kernel
   */
  public MaxPool1d(int kernel, int stride, int padding) {
    super("MaxPool1d", kernel, stride, padding);
  }

  @Override
  boolean recordsIndex() {
    return true;
  }

  @Override
  void pool(float[] x, int xo, int length, float[] y, int yo, int lo, int[] arg) {
    for (int o = 0; o < lo; o++) {
      int start = o * stride - padding;
      int from = Math.max(0, start);
      int to = Math.min(length, start + kernel);
      int best = from;
      float max = x[xo + from];
      for (int i = from + 1; i < to; i++) {
        float v = x[xo + i];
        // The first maximum wins; a NaN wins and stays (v != v), as in PyTorch. Written as a
        // select rather than a branch: which of two neighbours is larger is a coin toss.
        boolean take = v > max || v != v && max == max;
        max = take ? v : max;
        best = take ? i : best;
      }
      y[yo + o] = max;
      if (arg != null) {
        arg[yo + o] = best;
      }
    }
  }

  @Override
  void unpool(float[] dy, int yo, int lo, float[] dx, int xo, int length, int[] arg) {
    for (int o = 0; o < lo; o++) {
      dx[xo + arg[yo + o]] += dy[yo + o];
    }
  }
}
