package dev.nerve.tensor;

/** A function of two floats, applied pairwise by {@link Tensor#zip}. */
@FunctionalInterface
public interface FloatBinaryOperator {
  /** The result for one pair of elements. */
  float apply(float a, float b);
}
