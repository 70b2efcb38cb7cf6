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
  public double value(Tensor p, Tensor t) {
    Loss.checkShapes(this, p, t, null);
    float[] a = p.data();
    float[] b = t.data();
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  @Override
  public void gradient(Tensor p, Tensor t, Tensor out) {
    Loss.checkShapes(this, p, t, out);
    float[] a = p.data();
    float[] b = t.data();
    float[] g = out.data();
    for (int i = 0; i < a.length; i++) {
      g[i] = 2f * (a[i] - b[i]);
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
