package dev.nerve.data;

import dev.nerve.tensor.Tensor;

/** Rows of a float matrix. */
final class TensorFeatures implements Features {
  private final Tensor t;

  TensorFeatures(Tensor t) {
    if (t.rank() != 2) {
      throw new IllegalArgumentException("features must be a matrix, got shape " + t.shape());
    }
    this.t = t;
  }

  @Override
  public int rows() {
    return t.rows();
  }

  @Override
  public int cols() {
    return t.cols();
  }

  @Override
  public void gather(int[] rowIndex, int from, int count, float[] out) {
    int cols = t.cols();
    float[] s = t.data();
    if (rowIndex == null) {
      System.arraycopy(s, from * cols, out, 0, count * cols);
      return;
    }
    for (int i = 0; i < count; i++) {
      System.arraycopy(s, rowIndex[from + i] * cols, out, i * cols, cols);
    }
  }

  @Override
  public Tensor toTensor() {
    return t;
  }
}
