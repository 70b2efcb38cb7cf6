package dev.nerve.data;

import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * Examples and their targets, one row each: {@code x} is {@code [examples, features]}, {@code y} is
 * {@code [examples, outputs]}.
 *
 * @param x the inputs, as the tutorials' {@code X}
 * @param y the targets, as the tutorials' {@code y}
 */
public record Dataset(Tensor x, Tensor y) {
  /**
   * Checks that both are matrices with one row per example.
   *
   * @throws ShapeMismatchException if the row counts differ or a tensor is not a matrix
   */
  public Dataset {
    if (x.rank() != 2 || y.rank() != 2) {
      throw new ShapeMismatchException(
          "dataset: inputs " + x.shape() + " and targets " + y.shape() + " must be matrices");
    }
    if (x.rows() != y.rows()) {
      throw new ShapeMismatchException(
          "dataset: "
              + x.rows()
              + " input rows "
              + x.shape()
              + " but "
              + y.rows()
              + " target rows "
              + y.shape());
    }
  }

  /** Number of examples. */
  public int size() {
    return x.rows();
  }

  /**
   * One-hot rows for class indices: row i has a 1 in column {@code labels[i]}.
   *
   * @throws IllegalArgumentException if a label is outside [0, classes)
   */
  public static Tensor oneHot(int[] labels, int classes) {
    Tensor t = Tensor.zeros(labels.length, classes);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " at row " + i + " is outside [0, " + classes + ")");
      }
      t.data()[i * classes + labels[i]] = 1f;
    }
    return t;
  }
}
