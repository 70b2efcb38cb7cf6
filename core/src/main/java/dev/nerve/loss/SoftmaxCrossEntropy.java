package dev.nerve.loss;

import dev.nerve.tensor.Tensor;

/**
 * Softmax and cross-entropy fused, on logits (the output of a linear layer, no softmax layer before
 * it): {@code L = -(1/B) sum_rows sum_c t_c log softmax(z)_c}, averaged over the B rows (PyTorch's
 * {@code CrossEntropyLoss} with one-hot or probability targets).
 *
 * <p>{@code log softmax(z)_c = z_c - max - log sum_k e^(z_k - max)} never overflows, and the
 * gradient is simply {@code (softmax(z) - t) / B}. On sequences {@code [batch, time, classes]} each
 * time step is a row, and the mean runs over the real (unmasked) steps.
 */
public final class SoftmaxCrossEntropy implements Loss {
  /** The JSON name. */
  public static final String NAME = "softmax_cross_entropy";

  @Override
  public double sum(Tensor z, Tensor t, Tensor mask) {
    Loss.checkShapes(this, z, t, null);
    if (z.rank() < 2) {
      throw new dev.nerve.tensor.ShapeMismatchException(
          this + ": expected logits [batch, classes], got " + z.shape());
    }
    Loss.checkMask(this, z, mask);
    int cols = z.shape().dim(-1);
    int rows = (int) Loss.positions(z);
    float[] a = z.data();
    float[] b = t.data();
    float[] m = mask == null ? null : mask.data();
    double total = 0;
    for (int r = 0; r < rows; r++) {
      if (m != null && m[r] == 0f) {
        continue;
      }
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
    return total;
  }

  /** The kept positions (rows): the mean is over examples, or over the real steps of sequences. */
  @Override
  public long terms(Tensor z, Tensor mask) {
    return Loss.kept(z, mask);
  }

  @Override
  public void gradient(Tensor z, Tensor t, Tensor mask, Tensor out, long meanOver) {
    Loss.checkShapes(this, z, t, out);
    Loss.checkMask(this, z, mask);
    int cols = z.rank() == 0 ? 1 : z.shape().dim(-1);
    int rows = (int) Loss.positions(z);
    float[] g = out.data();
    dev.nerve.tensor.kernel.ElementWise.softmaxRows(z.data(), g, rows, cols);
    float[] b = t.data();
    float[] m = mask == null ? null : mask.data();
    float inv = meanOver == 0 ? 0f : 1f / meanOver;
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      if (m != null && m[r] == 0f) {
        java.util.Arrays.fill(g, o, o + cols, 0f);
        continue;
      }
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
