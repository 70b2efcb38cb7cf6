package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/** The window arithmetic the pooling layers share. */
final class Pooling {
  final String name;
  final int kernel;
  final int stride;
  final int padding;

  Pooling(String name, int kernel, int stride, int padding) {
    if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
      throw new IllegalArgumentException(
          name
              + " needs kernel and stride of at least 1 and padding from 0 to half the kernel,"
              + " got kernel "
              + kernel
              + ", stride "
              + stride
              + ", padding "
              + padding);
    }
    this.name = name;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  int out(int size) {
    return (int) ((size + 2L * padding - kernel) / stride + 1);
  }

  /** The output shape for {@code input}; errors name {@code layer} (this pooling's own name). */
  Shape outputShape(Object layer, Shape input) {
    int[] d = input.dims();
    if (d.length != 3) {
      throw new ShapeMismatchException(
          layer + ": expected input [channels, height, width], got " + input);
    }
    if (d[1] + 2L * padding < kernel || d[2] + 2L * padding < kernel) {
      throw new ShapeMismatchException(
          layer + ": a " + kernel + "×" + kernel + " window does not fit input " + input);
    }
    return Shape.of(d[0], out(d[1]), out(d[2]));
  }

  int[] check(Layer layer, Tensor x) {
    int[] d = x.shape().dims();
    if (d.length != 4) {
      throw new ShapeMismatchException(
          layer + ": expected input [batch, channels, height, width], got " + x.shape());
    }
    outputShape(layer, Shape.of(d[1], d[2], d[3]));
    return d;
  }

  @Override
  public String toString() {
    return name
        + "(kernel="
        + kernel
        + (stride != kernel ? ", stride=" + stride : "")
        + (padding != 0 ? ", padding=" + padding : "")
        + ")";
  }
}
