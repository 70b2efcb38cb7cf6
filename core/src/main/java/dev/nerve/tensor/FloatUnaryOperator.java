package dev.nerve.tensor;

/** A function of one float, applied element by element by {@link Tensor#map}. */
@FunctionalInterface
public interface FloatUnaryOperator {
  /** The result for one element. */
  float apply(float x);
}
