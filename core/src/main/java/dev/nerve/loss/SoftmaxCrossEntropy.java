package dev.nerve.loss;

import dev.nerve.tensor.Tensor;

/**
 * Softmax and cross-entropy fused, on logits (the output of a linear layer, no softmax layer before
 * it): {@code L = -(1/B) sum_rows sum_c t_c log softmax(z)_c}, averaged over the B rows (PyTorch's
 * {@code CrossEntropyLoss} with one-hot or probability targets).
 *
 * <p>{@code log softmax(z)_c = z_c - max - log sum_k e^(z_k - max)} never overflows, and the
 * gradient is simply {@code (softmax(z) - t) / B}.
 */
public final class SoftmaxCrossEntropy implements Loss {
  /** The JSON name. */
  public static final String NAME = "softmax_cross_entropy";

  @Override
  public double value(Tensor z, Tensor t) {
    Loss.checkShapes(this, z, t, null);
    if (z.rank() != 2) {
      throw new dev.nerve.tensor.ShapeMismatchException(
          this + ": expected logits [batch, classes], got " + z.shape());
    }
    int rows = z.rows();
    int cols = z.cols();
    float[] a = z.data();
    float[] b = t.data();
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, a[o + c]);
      }
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += Math.exp(a[o + c] - max);
      }
      double logSum = Math.log(sum) + max;
      for (int c = 0; c < cols; c++) {
        if (b[o + c] != 0f) {
          total -= b[o + c] * (a[o + c] - logSum);
        }
      }
    }
    return rows == 0 ? 0 : total / rows;
  }

  @Override
  public void gradient(Tensor z, Tensor t, Tensor out) {
    Loss.checkShapes(this, z, t, out);
    int rows = z.rows();
    int cols = z.cols();
    float[] g = out.data();
    dev.nerve.tensor.kernel.ElementWise.softmaxRows(z.data(), g, rows, cols);
    float[] b = t.data();
    float inv = rows == 0 ? 0f : 1f / rows;
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      // d/dz_j of -sum_c t_c log softmax_c is (sum_c t_c) softmax_j - t_j: softmax - t for
      // one-hot or probability targets, and still right for targets that do not sum to 1.
      float mass = 0f;
      for (int c = 0; c < cols; c++) {
        mass += b[o + c];
      }
      for (int c = 0; c < cols; c++) {
        g[o + c] = (mass * g[o + c] - b[o + c]) * inv;
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String toString() {
    return "SoftmaxCrossEntropy()";
  }
}
