package dev.nerve.data;

import dev.nerve.tensor.Tensor;

/**
 * One batch as the training step takes it.
 *
 * @param x the inputs, {@code [batch, ...inputShape]}
 * @param y the targets, {@code [batch, ...targetShape]}
 * @param mask 1 (real) or 0 (padding) per target position, {@code [batch, positions...]}, or null
 *     when every position is real
 * @param lengths the real length of each example's input sequence, or null when every example uses
 *     every step
 */
public record Batch(Tensor x, Tensor y, Tensor mask, int[] lengths) {
  /** A batch without a mask. */
  public Batch(Tensor x, Tensor y) {
    this(x, y, null, null);
  }

  /** A batch of full-length examples. */
  public Batch(Tensor x, Tensor y, Tensor mask) {
    this(x, y, mask, null);
  }

  /** Examples in the batch. */
  public int size() {
    return x.shape().dim(0);
  }
}
