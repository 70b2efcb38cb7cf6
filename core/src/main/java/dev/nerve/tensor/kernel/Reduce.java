package dev.nerve.tensor.kernel;

/**
 * Row and column reductions over a row-major {@code rows x cols} array. Sums run in index order, so
 * results do not depend on thread count or vector width.
 */
public final class Reduce {
  private Reduce() {}

  /**
   * Sums each column: {@code out[c] (+)= sum over r of x[r][c]} (numpy {@code sum(axis=0)}).
   *
   * @param accumulate add into {@code out} instead of overwriting it
   */
  public static void columnSums(float[] x, int rows, int cols, float[] out, boolean accumulate) {
    if (!accumulate) {
      java.util.Arrays.fill(out, 0, cols, 0f);
    }
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int c = 0; c < cols; c++) {
        out[c] += x[o + c];
      }
    }
  }

  /** Sums each row: {@code out[r] = sum over c of x[r][c]} (numpy {@code sum(axis=1)}). */
  public static void rowSums(float[] x, int rows, int cols, float[] out) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = 0f;
      for (int c = 0; c < cols; c++) {
        s += x[o + c];
      }
      out[r] = s;
    }
  }

  /** The largest value of each row; {@code -Infinity} for a row of no columns. */
  public static void rowMax(float[] x, int rows, int cols, float[] out) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float m = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        m = Math.max(m, x[o + c]);
      }
      out[r] = m;
    }
  }

  /** The column index of each row's largest value (the first one on ties). */
  public static void argmaxRows(float[] x, int rows, int cols, int[] out) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      int best = 0;
      for (int c = 1; c < cols; c++) {
        if (x[o + c] > x[o + best]) {
          best = c;
        }
      }
      out[r] = best;
    }
  }

  /** The sum of the first {@code n} values, in double precision, in index order. */
  public static double sum(float[] x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[i];
    }
    return s;
  }
}
