package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * The mean of each channel over all positions: {@code [batch, channels, h, w] → [batch, channels]},
 * ready for a dense layer (PyTorch's {@code AdaptiveAvgPool2d(1)} then flatten).
 */
public final class GlobalAvgPool2d implements Layer {
  /** The type {@code global_avg_pool2d}. */
  public static final LayerType<NoSettings, GlobalAvgPool2d> TYPE =
      LayerType.plain("global_avg_pool2d", GlobalAvgPool2d.class, GlobalAvgPool2d::new);

  private int[] inputDims;
  private Tensor gradInput;

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 3) {
      throw new ShapeMismatchException(
          this + ": expected input [channels, height, width], got " + input);
    }
    return Shape.of(input.dims()[0]);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] d = x.shape().dims();
    if (d.length != 4) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, channels, height, width], got " + x.shape());
    }
    int plane = d[2] * d[3];
    Tensor y = Tensor.zeros(d[0], d[1]);
    float[] xd = x.data();
    for (int i = 0; i < d[0] * d[1]; i++) {
      float s = 0;
      for (int j = 0; j < plane; j++) {
        s += xd[i * plane + j];
      }
      y.data()[i] = s / plane;
    }
    if (training) {
      inputDims = d.clone();
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int[] d = inputDims;
    int plane = d[2] * d[3];
    gradInput = Conv2d.reuse4(gradInput, d[0], d[1], d[2], d[3]);
    float[] g = gradInput.data();
    for (int i = 0; i < d[0] * d[1]; i++) {
      float share = dy.data()[i] / plane;
      java.util.Arrays.fill(g, i * plane, (i + 1) * plane, share);
    }
    return gradInput;
  }

  @Override
  public String toString() {
    return "GlobalAvgPool2d()";
  }
}
