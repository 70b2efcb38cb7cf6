package dev.nerve.report;

/**
 * Min/max bucketing: shortens a long series for drawing while keeping its visual envelope.
 *
 * <p>The first and last points are kept. The points in between are cut into equal runs of
 * consecutive indices ("buckets"); from each bucket the point with the smallest y and the one with
 * the largest y are kept, in index order. A bucket that holds a gap (a NaN y) also keeps one NaN
 * point at the gap's place, so the line still breaks there. The bucket count is chosen so the
 * result never exceeds the limit: {@code (limit - 2) / 2} buckets when the series has no gap,
 * {@code (limit - 2) / 3} when it has one.
 */
final class Thinning {

  private Thinning() {}

  /**
   * Thins {@code (x, y)} to at most {@code limit} points, or returns the arrays themselves when
   * they are short enough.
   *
   * @param x the x values, same length as {@code y}; a NaN here must pair with a NaN in y
   * @param y the y values; NaN marks a gap
   * @param limit at least 8
   * @return {@code {x', y'}}, each of length at most {@code limit}
   */
  static double[][] minMax(double[] x, double[] y, int limit) {
    if (limit < 8) {
      throw new IllegalArgumentException("limit " + limit + " is below 8");
    }
    int n = y.length;
    if (n <= limit) {
      return new double[][] {x, y};
    }
    boolean gaps = false;
    for (double v : y) {
      if (Double.isNaN(v)) {
        gaps = true;
        break;
      }
    }
    int buckets = (limit - 2) / (gaps ? 3 : 2);
    double[] ox = new double[limit];
    double[] oy = new double[limit];
    int k = 0;
    ox[k] = x[0];
    oy[k++] = y[0];
    int interior = n - 2;
    for (int b = 0; b < buckets; b++) {
      int from = 1 + (int) ((long) interior * b / buckets);
      int to = 1 + (int) ((long) interior * (b + 1) / buckets);
      int lo = -1;
      int hi = -1;
      int gap = -1;
      for (int i = from; i < to; i++) {
        double v = y[i];
        if (Double.isNaN(v)) {
          if (gap < 0) {
            gap = i;
          }
        } else {
          if (lo < 0 || v < y[lo]) {
            lo = i;
          }
          if (hi < 0 || v > y[hi]) {
            hi = i;
          }
        }
      }
      int[] keep = sorted(lo, hi, gap);
      for (int i : keep) {
        if (i >= 0) {
          ox[k] = x[i];
          oy[k++] = y[i];
        }
      }
    }
    ox[k] = x[n - 1];
    oy[k++] = y[n - 1];
    return new double[][] {java.util.Arrays.copyOf(ox, k), java.util.Arrays.copyOf(oy, k)};
  }

  /** The distinct indices among a, b, c in increasing order; -1 (absent) sorts first. */
  private static int[] sorted(int a, int b, int c) {
    if (a == b) {
      b = -1;
    }
    int[] v = {a, b, c};
    java.util.Arrays.sort(v);
    return v;
  }
}
