package dev.nerve.tensor;

import java.util.Arrays;

/**
 * The dimensions of a {@link Tensor}, outermost first (row-major). Immutable.
 *
 * <p>A matrix of 3 rows and 4 columns has shape {@code [3, 4]}; a vector of 4 values has shape
 * {@code [4]}. Every dimension is zero or positive.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /**
   * A shape with the given dimensions.
   *
   * @throws IllegalArgumentException if a dimension is negative or the size overflows an int
   */
  public static Shape of(int... dims) {
    int[] copy = dims.clone();
    long size = 1;
    for (int d : copy) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(copy));
      }
      size *= d;
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(copy) + " has more than 2^31-1 elements");
      }
    }
    return new Shape(copy);
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end ({@code -1} is the last). */
  public int dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements: the product of the dimensions (1 for rank 0). */
  public int size() {
    int s = 1;
    for (int d : dims) {
      s *= d;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Like {@code [3, 4]}. */
  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
