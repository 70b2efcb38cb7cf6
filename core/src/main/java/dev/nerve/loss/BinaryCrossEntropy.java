package dev.nerve.loss;

import dev.nerve.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities (the output of a sigmoid): {@code L = -mean [t log p + (1 -
 * t) log(1 - p)]} over every element (PyTorch's {@code BCELoss}); {@code dL/dp = (p - t) / (p (1 -
 * p)) / N}.
 *
 * <p>Predictions are clamped to {@code [1e-7, 1 - 1e-7]} so that a saturated sigmoid gives a large
 * finite loss rather than infinity.
 */
public final class BinaryCrossEntropy implements Loss {
  /** The JSON name. */
  public static final String NAME = "binary_cross_entropy";

  private static final double EPS = 1e-7;

  private static double clamp(float p) {
    return Math.min(1 - EPS, Math.max(EPS, p));
  }

  @Override
  public double sum(Tensor p, Tensor t, Tensor mask) {
    Loss.checkShapes(this, p, t, null);
    Loss.checkMask(this, p, mask);
    float[] a = p.data();
    float[] b = t.data();
    float[] m = mask == null ? null : mask.data();
    int c = p.shape().dim(-1);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (m == null || m[i / c] != 0f) {
        double q = clamp(a[i]);
        s -= b[i] * Math.log(q) + (1 - b[i]) * Math.log(1 - q);
      }
    }
    return s;
  }

  @Override
  public void gradient(Tensor p, Tensor t, Tensor mask, Tensor out, long meanOver) {
    Loss.checkShapes(this, p, t, out);
    Loss.checkMask(this, p, mask);
    float[] a = p.data();
    float[] b = t.data();
    float[] g = out.data();
    float[] m = mask == null ? null : mask.data();
    int c = p.shape().dim(-1);
    double n = Math.max(1, meanOver);
    for (int i = 0; i < a.length; i++) {
      if (m == null || m[i / c] != 0f) {
        double q = clamp(a[i]);
        g[i] = (float) ((q - b[i]) / (q * (1 - q)) / n);
      } else {
        g[i] = 0f;
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String toString() {
    return "BinaryCrossEntropy()";
  }
}
