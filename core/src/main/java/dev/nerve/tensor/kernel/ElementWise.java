package dev.nerve.tensor.kernel;

import dev.nerve.tensor.FloatBinaryOperator;
import dev.nerve.tensor.FloatUnaryOperator;

/**
 * Element-wise loops over float arrays. The activations have their own loops rather than going
 * through {@link #map}: a lambda per element cannot be inlined once a call site has seen several,
 * and these loops are on every training step.
 *
 * <p>Every method writes only its {@code out} (or {@code y}) argument; {@code out} may be the same
 * array as an input.
 */
public final class ElementWise {
  /**
   * Arrays at least twice this long are split across {@link Parallel}'s threads by the passes over
   * parameters (the optimiser's update, the finiteness check): below it a hand-over costs more than
   * it saves.
   */
  static final int PARALLEL_GRAIN = 1 << 15;

  private static final Scans SCANS = VectorModule.load("VectorScans", Scans.class);

  private ElementWise() {}

  /** {@code out[i] = f(x[i])} for {@code i < n}. */
  public static void map(float[] x, float[] out, int n, FloatUnaryOperator f) {
    for (int i = 0; i < n; i++) {
      out[i] = f.apply(x[i]);
    }
  }

  /** {@code out[i] = f(a[i], b[i])} for {@code i < n}. */
  public static void zip(float[] a, float[] b, float[] out, int n, FloatBinaryOperator f) {
    for (int i = 0; i < n; i++) {
      out[i] = f.apply(a[i], b[i]);
    }
  }

  /**
   * Runs {@code task} over {@code [0, n)}: inline for short arrays, split across {@link Parallel}'s
   * threads from {@code 2 * PARALLEL_GRAIN} elements. For element-wise passes only, whose result
   * does not depend on how the range is cut.
   */
  public static void forRanges(int n, Parallel.Range task) {
    if (n < 2 * PARALLEL_GRAIN) {
      task.run(0, n);
    } else {
      Parallel.forRanges(n, PARALLEL_GRAIN, task);
    }
  }

  /** {@code y[i] += alpha * x[i]} (BLAS axpy). */
  public static void axpy(float alpha, float[] x, float[] y, int n) {
    forRanges(n, (from, to) -> axpy(alpha, x, y, from, to));
  }

  private static void axpy(float alpha, float[] x, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = Math.fma(alpha, x[i], y[i]);
    }
  }

  /** {@code out[i] = a[i] + b[i]}. */
  public static void add(float[] a, float[] b, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = a[i] + b[i];
    }
  }

  /** {@code out[i] = a[i] - b[i]}. */
  public static void sub(float[] a, float[] b, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = a[i] - b[i];
    }
  }

  /** {@code out[i] = a[i] * b[i]}. */
  public static void mul(float[] a, float[] b, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = a[i] * b[i];
    }
  }

  /** {@code out[i] = s * x[i]}. */
  public static void scale(float s, float[] x, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = s * x[i];
    }
  }

  /**
   * Copies {@code row} (length {@code cols}) into every one of {@code rows} rows of {@code out}.
   */
  public static void broadcastRow(float[] row, int rows, int cols, float[] out) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(row, 0, out, r * cols, cols);
    }
  }

  /** {@code out[r][c] = x[r][c] + row[c]}: adds a row vector to every row. */
  public static void addRow(float[] x, float[] row, int rows, int cols, float[] out) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int c = 0; c < cols; c++) {
        out[o + c] = x[o + c] + row[c];
      }
    }
  }

  /** Logistic sigmoid {@code 1 / (1 + e^-x)}, written to avoid overflow for large |x|. */
  public static float sigmoid(float x) {
    if (x >= 0) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
    double e = Math.exp(x);
    return (float) (e / (1.0 + e));
  }

  /** {@code out[i] = sigmoid(x[i])}. */
  public static void sigmoid(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = sigmoid(x[i]);
    }
  }

  /** {@code dx[i] = dy[i] * y[i] * (1 - y[i])}: the sigmoid's slope from its output. */
  public static void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
    for (int i = 0; i < n; i++) {
      float v = y[i];
      dx[i] = dy[i] * (v * (1f - v));
    }
  }

  /** {@code out[i] = tanh(x[i])}. */
  public static void tanh(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = (float) Math.tanh(x[i]);
    }
  }

  /** {@code dx[i] = dy[i] * (1 - y[i]^2)}: tanh's slope from its output. */
  public static void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    for (int i = 0; i < n; i++) {
      float v = y[i];
      dx[i] = dy[i] * (1f - v * v);
    }
  }

  /** {@code out[i] = x[i] > 0 ? x[i] : slope * x[i]}; slope 0 is ReLU. */
  public static void leakyRelu(float slope, float[] x, float[] out, int n) {
    forRanges(n, (from, to) -> leakyRelu(slope, x, out, from, to));
  }

  private static void leakyRelu(float slope, float[] x, float[] out, int from, int to) {
    // Math.max compiles to vector max instructions: no branch to mispredict on random signs (25x
    // faster on a ReLU's typical input).
    if (slope == 0f) {
      // ReLU, as PyTorch's: 0 for every x <= 0 (-infinity included), NaN stays NaN.
      for (int i = from; i < to; i++) {
        out[i] = Math.max(x[i], 0f);
      }
      return;
    }
    if (slope > 0f && slope <= 1f) {
      // For 0 < slope <= 1, max(v, slope v) is v > 0 ? v : slope v (NaN and -0 included).
      for (int i = from; i < to; i++) {
        float v = x[i];
        out[i] = Math.max(v, slope * v);
      }
      return;
    }
    for (int i = from; i < to; i++) {
      float v = x[i];
      out[i] = v > 0f ? v : slope * v;
    }
  }

  /** {@code dx[i] = x[i] > 0 ? dy[i] : slope * dy[i]}, from the layer's input {@code x}. */
  public static void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int n) {
    forRanges(n, (from, to) -> Curves.leakyReluBackward(slope, x, dy, dx, from, to));
  }

  /** Row-wise softmax of a {@code rows x cols} array into {@code out} (may be {@code x}). */
  public static void softmaxRows(float[] x, float[] out, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, x[o + c]);
      }
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        float e = (float) Math.exp(x[o + c] - max);
        out[o + c] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int c = 0; c < cols; c++) {
        out[o + c] *= inv;
      }
    }
  }

  /** True if every one of the first {@code n} values is finite (no NaN, no infinity). */
  public static boolean allFinite(float[] x, int n) {
    if (n < 2 * PARALLEL_GRAIN) {
      return allFinite(x, 0, n);
    }
    boolean[] bad = new boolean[1]; // any thread may set it, none clears it
    Parallel.forRanges(
        n,
        PARALLEL_GRAIN,
        (from, to) -> {
          if (!allFinite(x, from, to)) {
            bad[0] = true;
          }
        });
    return !bad[0];
  }

  private static boolean allFinite(float[] x, int from, int to) {
    if (SCANS != null) {
      return SCANS.allFinite(x, from, to);
    }
    // x * 0 is 0 for every finite x and NaN for NaN or an infinity; four sums keep the loop free
    // of branches and of one long dependency chain (the trainer checks every gradient per batch).
    float a = 0;
    float b = 0;
    float c = 0;
    float d = 0;
    int i = from;
    for (; i + 4 <= to; i += 4) {
      a += x[i] * 0f;
      b += x[i + 1] * 0f;
      c += x[i + 2] * 0f;
      d += x[i + 3] * 0f;
    }
    for (; i < to; i++) {
      a += x[i] * 0f;
    }
    return a + b + c + d == 0f;
  }
}
