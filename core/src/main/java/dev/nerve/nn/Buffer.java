package dev.nerve.nn;

import dev.nerve.tensor.Tensor;

/**
 * A tensor a layer keeps and saves with its weights but never trains, such as batch normalisation's
 * running mean and variance: it has no gradient, and optimisers never see it (PyTorch's buffers,
 * Keras's non-trainable weights).
 */
public final class Buffer {
  private final String name;
  private final Tensor value;

  /** A buffer named {@code name} (such as "running_mean") holding {@code value}. */
  public Buffer(String name, Tensor value) {
    this.name = name;
    this.value = value;
  }

  /** The name within its layer. */
  public String name() {
    return name;
  }

  /** The values, updated in place by the layer that owns them. */
  public Tensor value() {
    return value;
  }

  @Override
  public String toString() {
    return name + value.shape();
  }
}
