package dev.nerve.nn;

import dev.nerve.tensor.Tensor;

/**
 * A trainable tensor and the gradient of the loss with respect to it, of the same shape.
 *
 * <p>Layers add into {@link #grad()} during {@code backward}; whoever runs the training step clears
 * it ({@link #zeroGradInPlace()}), so gradients of several backward passes add up.
 *
 * <p>Clearing is lazy, as PyTorch's {@code zero_grad(set_to_none=True)}: the zeros are only written
 * when {@link #grad()} is next read. A layer that computes a whole gradient in one pass asks {@link
 * #takeZeroGrad()} first and, when it says yes, writes the gradient instead of adding to zeros.
 * This saves two passes over every weight per batch (a write of zeros and a read of them), which
 * for a large layer is memory traffic that costs as much as a matrix multiply.
 */
public final class Parameter {
  private final String name;
  private final Tensor value;
  private final Tensor grad;
  private boolean zeroPending;

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
    if (zeroPending) {
      zeroPending = false;
      grad.fillInPlace(0f);
    }
    return grad;
  }

  /** Sets the gradient to zero (lazily: see the class comment). */
  public void zeroGradInPlace() {
    zeroPending = true;
  }

  /**
   * True if the gradient was cleared and nothing has been added since: the caller then owns every
   * element of {@link #grad()} and must overwrite all of them (its values are stale, not zeros).
   * False if the gradient holds values to add to. Either way the clearing is no longer pending.
   */
  public boolean takeZeroGrad() {
    boolean z = zeroPending;
    zeroPending = false;
    return z;
  }

  @Override
  public String toString() {
    return name + value.shape();
  }
}
