package dev.nerve.nn;

import dev.nerve.tensor.Shape;

/**
 * What the 2-D pooling layers share: a square window, its stride and padding, and the output shape
 * they give. {@link MaxPool2d} and {@link AvgPool2d} differ only in what they compute over each
 * window.
 */
public abstract sealed class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
  final Pooling p;

  Pool2d(String name, int kernel, int stride, int padding) {
    this.p = new Pooling(name, kernel, stride, padding);
  }

  /** Window height and width. */
  public int kernel() {
    return p.kernel;
  }

  /** Step between windows. */
  public int stride() {
    return p.stride;
  }

  /** Cells added on each side. */
  public int padding() {
    return p.padding;
  }

  @Override
  public Shape outputShape(Shape input) {
    return p.outputShape(this, input);
  }

  @Override
  public String toString() {
    return p.toString();
  }
}
