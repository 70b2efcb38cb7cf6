package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;

/**
 * Each example's values in one row: {@code [batch, c, h, w] → [batch, c·h·w]}, channel by channel
 * and row by row (PyTorch's order), without copying. The usual step from convolutions to dense
 * layers; the network's build-time check then names both widths if the dense layer does not fit.
 */
public final class Flatten implements Layer {
  /** The type {@code flatten}. */
  public static final LayerType<NoSettings, Flatten> TYPE =
      LayerType.plain("flatten", Flatten.class, Flatten::new);

  private int[] inputDims;

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(input.size());
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int n = x.shape().dims()[0];
    if (training) {
      inputDims = x.shape().dims();
    }
    return x.reshape(n, n == 0 ? 0 : x.size() / n);
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    return dy.reshape(inputDims);
  }

  @Override
  public String toString() {
    return "Flatten()";
  }
}
