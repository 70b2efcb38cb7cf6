package dev.nerve.nn;

import dev.nerve.tensor.Tensor;

/**
 * A trainable tensor and the gradient of the loss with respect to it, of the same shape.
 *
 * <p>Layers add into {@link #grad()} during {@code backward}; whoever runs the training step clears
 * it ({@link #zeroGradInPlace()}), so gradients of several backward passes add up.
 */
public final class Parameter {
  private final String name;
  private final Tensor value;
  private final Tensor grad;

  /**
   * A parameter named {@code name} (such as "weight") holding {@code value}, with a zero gradient.
   */
  public Parameter(String name, Tensor value) {
    this.name = name;
    this.value = value;
    this.grad = Tensor.zeros(value.shape().dims());
  }

  /** The name within its layer, such as "weight" or "bias". */
  public String name() {
    return name;
  }

  /** The values, modified by optimisers. */
  public Tensor value() {
    return value;
  }

  /** The accumulated gradient, same shape as {@link #value()}. */
  public Tensor grad() {
    return grad;
  }

  /** Sets the gradient to zero. */
  public void zeroGradInPlace() {
    grad.fillInPlace(0f);
  }

  @Override
  public String toString() {
    return name + value.shape();
  }
}
