package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * An element-wise activation {@code y = f(x)} and its derivative, the tutorials' "slope".
 *
 * <p>Backward: {@code dX = dY * f'(x)}, element by element. Subclasses give the formula for one
 * element ({@link #apply}, {@link #slope}) for teaching and checking, and fast loops over arrays
 * for training.
 */
public abstract class Activation implements Layer {
  private Tensor input;
  private Tensor output;
  private Tensor outputBuffer;
  private Tensor gradInputBuffer;

  /** f(x) for one value. */
  public abstract float apply(float x);

  /**
   * f'(x) for one value, given also {@code y = f(x)} (sigmoid's slope is {@code y(1-y)}, computed
   * from the output as in the tutorials).
   */
  public abstract float slope(float x, float y);

  /** {@code out[i] = f(x[i])} for {@code i < n}. */
  protected abstract void forward(float[] x, float[] out, int n);

  /** {@code dx[i] = dy[i] * f'(x[i])}, given {@code y = f(x)}. */
  protected abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int n);

  /**
   * The slope at every element of a forward pass: {@code f'(input)}, computed from the input and
   * its output (the tutorials' {@code derivatives_sigmoid(output)}).
   */
  public Tensor slope(Tensor input, Tensor output) {
    Tensor s = Tensor.zeros(input.shape().dims());
    float[] x = input.data();
    float[] y = output.data();
    for (int i = 0; i < s.size(); i++) {
      s.data()[i] = slope(x[i], y[i]);
    }
    return s;
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    Tensor y;
    if (training) {
      if (outputBuffer == null || !outputBuffer.shape().equals(x.shape())) {
        outputBuffer = Tensor.zeros(x.shape().dims());
      }
      y = outputBuffer;
      input = x;
      output = y;
    } else {
      y = Tensor.zeros(x.shape().dims());
    }
    forward(x.data(), y.data(), x.size());
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
    if (gradInputBuffer == null || !gradInputBuffer.shape().equals(dy.shape())) {
      gradInputBuffer = Tensor.zeros(dy.shape().dims());
    }
    backward(input.data(), output.data(), dy.data(), gradInputBuffer.data(), dy.size());
    return gradInputBuffer;
  }

  /** Like {@code Sigmoid()}. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "()";
  }
}
