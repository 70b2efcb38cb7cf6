package dev.nerve.nn;

/**
 * The mean over the whole sequence, per channel ({@link GlobalPool1d}); with {@code channels_last}
 * and sequence lengths, over each example's real steps only.
 */
public final class GlobalAvgPool1d extends GlobalPool1d {
  /** The type {@code global_avg_pool1d}. */
  public static final LayerType<Settings, GlobalAvgPool1d> TYPE =
      type("global_avg_pool1d", GlobalAvgPool1d.class, GlobalAvgPool1d::new);

  /** Over the last axis of {@code [channels, length]}. */
  public GlobalAvgPool1d() {
    this(false);
  }

  /** Over axis 0 of {@code [time, features]} if {@code channelsLast}. */
  public GlobalAvgPool1d(boolean channelsLast) {
    super("GlobalAvgPool1d", channelsLast);
  }

  @Override
  boolean recordsIndex() {
    return false;
  }

  @Override
  float pool(float[] x, int at, int count, int step, int[] arg, int argAt) {
    double s = 0;
    for (int i = 0; i < count; i++) {
      s += x[at + i * step];
    }
    return (float) (s / count);
  }

  @Override
  void unpool(float g, float[] dx, int at, int count, int step, int[] arg, int argAt) {
    float share = g / count;
    for (int i = 0; i < count; i++) {
      dx[at + i * step] += share;
    }
  }
}
