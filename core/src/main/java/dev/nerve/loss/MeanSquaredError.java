package dev.nerve.loss;

import dev.nerve.tensor.Tensor;

/**
 * {@code L = mean (prediction - target)^2} over every element (PyTorch's {@code MSELoss}); {@code
 * dL/d(prediction) = 2 (prediction - target) / N}, N the number of elements.
 */
public final class MeanSquaredError implements Loss {
  /** The JSON name. */
  public static final String NAME = "mse";

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
        double d = a[i] - b[i];
        s += d * d;
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
    float k = 2f / Math.max(1, meanOver);
    for (int i = 0; i < a.length; i++) {
      g[i] = m == null || m[i / c] != 0f ? k * (a[i] - b[i]) : 0f;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String toString() {
    return "MeanSquaredError()";
  }
}
