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
  public double value(Tensor p, Tensor t) {
    Loss.checkShapes(this, p, t, null);
    float[] a = p.data();
    float[] b = t.data();
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return a.length == 0 ? 0 : s / a.length;
  }

  @Override
  public void gradient(Tensor p, Tensor t, Tensor out) {
    Loss.checkShapes(this, p, t, out);
    float[] a = p.data();
    float[] b = t.data();
    float[] g = out.data();
    float k = 2f / Math.max(1, a.length);
    for (int i = 0; i < a.length; i++) {
      g[i] = k * (a[i] - b[i]);
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
