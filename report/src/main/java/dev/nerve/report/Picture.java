package dev.nerve.report;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * A grid of values drawn as a picture in a report: a log-mel spectrogram (mel bands × frames, the
 * lowest band at the bottom, time to the right), or any other example whose rows and columns mean
 * something. Colours run from dark (the smallest value of the picture) to bright (the largest).
 *
 * @param caption what it shows, such as {@code seven (en-us+m3)}
 * @param rows the rows, 1 to 4,096 (drawn bottom to top)
 * @param cols the columns, 1 to 4,096 (drawn left to right)
 * @param values {@code rows × cols} values, row by row
 */
public record Picture(String caption, int rows, int cols, float[] values) {
  /**
   * Copies the values.
   *
   * @throws IllegalArgumentException if a size is out of range or the values do not fill it
   */
  public Picture {
    Objects.requireNonNull(values, "values");
    if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
      throw new IllegalArgumentException(
          "a picture needs 1 to 4096 rows and columns, got " + rows + " x " + cols);
    }
    if (values.length != rows * cols) {
      throw new IllegalArgumentException(
          rows + " x " + cols + " needs " + rows * cols + " values, got " + values.length);
    }
    values = values.clone();
  }

  /** The values (a copy). */
  @Override
  public float[] values() {
    return values.clone();
  }

  /** Colours from dark to bright (a perceptual ramp: black, purple, orange, pale yellow). */
  private static final int[][] RAMP = {
    {0, 0, 4}, {81, 18, 124}, {183, 55, 121}, {252, 137, 97}, {252, 253, 191}
  };

  /** The colour of {@code t} in [0, 1] on {@link #RAMP}, as 0xRRGGBB. */
  static int colour(double t) {
    double x = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (RAMP.length - 1);
    int i = Math.min(RAMP.length - 2, (int) x);
    double f = x - i;
    int rgb = 0;
    for (int c = 0; c < 3; c++) {
      rgb = rgb << 8 | (int) Math.round(RAMP[i][c] + f * (RAMP[i + 1][c] - RAMP[i][c]));
    }
    return rgb;
  }

  /**
   * The picture as PNG bytes, each value a {@code scale × scale} square, row 0 at the bottom.
   *
   * @throws IllegalArgumentException if {@code scale} is outside 1..16
   */
  public byte[] png(int scale) {
    if (scale < 1 || scale > 16) {
      throw new IllegalArgumentException("scale must be 1 to 16, got " + scale);
    }
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      if (Float.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    double span = hi > lo ? hi - lo : 1;
    BufferedImage img = new BufferedImage(cols * scale, rows * scale, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int rgb = colour((values[r * cols + c] - lo) / span);
        int y0 = (rows - 1 - r) * scale;
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(c * scale + dx, y0 + dy, rgb);
          }
        }
      }
    }
    return Charts.encodePng(img);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Picture p
        && Objects.equals(caption, p.caption)
        && rows == p.rows
        && cols == p.cols
        && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caption, rows, cols, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "Picture[" + caption + ", " + rows + " x " + cols + "]";
  }
}
