package dev.nerve.loss;

import dev.nerve.tensor.Tensor;

/**
 * Tutorial 1's error: {@code L = 1/2 * sum (prediction - target)^2}, summed over the batch; {@code
 * dL/d(prediction) = prediction - target}, the negative of the tutorial's {@code E = y - output}.
 * With SGD at learning rate {@code lr} this reproduces the tutorial's update {@code wout +=
 * hiddenlayer_activations.T . d_output * lr} exactly.
 */
public final class HalfSquaredError implements Loss {
  /** The JSON name. */
  public static final String NAME = "half_squared_error";

  @Override
  public double sum(Tensor p, Tensor t, Tensor mask) {
    Loss.checkShapes(this, p, t, null);
    Loss.checkMask(this, p, mask);
    float[] a = p.data();
    float[] b = t.data();
    double s = 0;
    if (mask == null) {
      for (int i = 0; i < a.length; i++) {
        double d = a[i] - b[i];
        s += d * d;
      }
    } else {
      float[] m = mask.data();
      int c = p.shape().dim(-1);
      for (int i = 0; i < a.length; i++) {
        if (m[i / c] != 0f) {
          double d = a[i] - b[i];
          s += d * d;
        }
      }
    }
    return 0.5 * s;
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
      g[i] = m == null || m[i / c] != 0f ? a[i] - b[i] : 0f;
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
    return "HalfSquaredError()";
  }
}
