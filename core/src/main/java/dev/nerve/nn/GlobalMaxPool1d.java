package dev.nerve.nn;

/**
 * The largest value over the whole sequence, per channel ({@link GlobalPool1d}); with {@code
 * channels_last} and sequence lengths, over each example's real steps only. The gradient goes to
 * the first step holding the maximum.
 */
public final class GlobalMaxPool1d extends GlobalPool1d {
  /** The type {@code global_max_pool1d}. */
  public static final LayerType<Settings, GlobalMaxPool1d> TYPE =
      type("global_max_pool1d", GlobalMaxPool1d.class, GlobalMaxPool1d::new);

  /** Over the last axis of {@code [channels, length]}. */
  public GlobalMaxPool1d() {
    this(false);
  }

  /** Over axis 0 of {@code [time, features]} if {@code channelsLast}. */
  public GlobalMaxPool1d(boolean channelsLast) {
    super("GlobalMaxPool1d", channelsLast);
  }

  @Override
  boolean recordsIndex() {
    return true;
  }

  @Override
  float pool(float[] x, int at, int count, int step, int[] arg, int argAt) {
    int best = 0;
    float max = x[at];
    for (int i = 1; i < count; i++) {
      float v = x[at + i * step];
      if (v > max) {
        max = v;
        best = i;
      }
    }
    if (arg != null) {
      arg[argAt] = best;
    }
    return max;
  }

  @Override
  void unpool(float g, float[] dx, int at, int count, int step, int[] arg, int argAt) {
    dx[at + arg[argAt] * step] += g;
  }
}
