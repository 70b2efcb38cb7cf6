package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;

/**
 * Softmax over each row: {@code y_j = e^(x_j - max) / sum_k e^(x_k - max)} (the shift by the row
 * maximum keeps it finite).
 *
 * <p>Not element-wise: its slope is a matrix per row, {@code dy_j/dx_k = y_j (delta_jk - y_k)}, so
 * backward is {@code dX = Y * (dY - rowsum(dY * Y))}. For classification prefer a linear output
 * with {@link dev.nerve.loss.SoftmaxCrossEntropy}, which fuses the two stably.
 */
public final class Softmax implements Layer {
  /** The type {@code softmax}. */
  public static final LayerType<NoSettings, Softmax> TYPE =
      LayerType.plain("softmax", Softmax.class, Softmax::new);

  private Tensor output;
  private Tensor outputBuffer;
  private Tensor gradInputBuffer;

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 1) {
      throw new ShapeMismatchException(this + ": expected a vector per example, got " + input);
    }
    return input;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.rank() != 2) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, classes], got " + x.shape());
    }
    Tensor y;
    if (training) {
      outputBuffer = Dense.reuse(outputBuffer, x.rows(), x.cols());
      y = outputBuffer;
      output = y;
    } else {
      y = Tensor.zeros(x.rows(), x.cols());
    }
    ElementWise.softmaxRows(x.data(), y.data(), x.rows(), x.cols());
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (output == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (!dy.shape().equals(output.shape())) {
      throw new ShapeMismatchException(
          this + ": expected output gradient " + output.shape() + ", got " + dy.shape());
    }
    int rows = dy.rows();
    int cols = dy.cols();
    gradInputBuffer = Dense.reuse(gradInputBuffer, rows, cols);
    float[] y = output.data();
    float[] g = dy.data();
    float[] dx = gradInputBuffer.data();
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double dot = 0;
      for (int c = 0; c < cols; c++) {
        dot += g[o + c] * y[o + c];
      }
      for (int c = 0; c < cols; c++) {
        dx[o + c] = (float) (y[o + c] * (g[o + c] - dot));
      }
    }
    return gradInputBuffer;
  }

  @Override
  public String toString() {
    return "Softmax()";
  }
}
