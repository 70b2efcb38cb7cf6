package dev.nerve.loss;

import dev.nerve.tensor.Tensor;

/**
 * Tutorial 2's error: {@code L = sum (target - prediction)^2}, summed over the batch; {@code
 * dL/d(prediction) = 2 (prediction - target)}. With SGD at learning rate 1 this reproduces the
 * tutorial's {@code weights += d_weights}, whose {@code 2*(self.y - self.output)} is this
 * gradient's negative.
 */
public final class SumSquaredError implements Loss {
  /** The JSON name. */
  public static final String NAME = "sum_squared_error";

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
    for (int i = 0; i < a.length; i++) {
      g[i] = m == null || m[i / c] != 0f ? 2f * (a[i] - b[i]) : 0f;
    }
  }

  @Override
  public boolean sumsOverBatch() {
    return true;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String toString() {
    return "SumSquaredError()";
  }
}
