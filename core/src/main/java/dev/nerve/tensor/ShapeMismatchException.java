package dev.nerve.tensor;

/**
 * Two shapes that must agree do not. The message names where (a layer, an operation) and both
 * shapes, such as {@code "Dense(in=4, out=3) at layer 0: expected input [*, 4], got [3, 5]"}.
 */
public class ShapeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** With a complete message naming the place and both shapes. */
  public ShapeMismatchException(String message) {
    super(message);
  }
}
