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
 * @param indices each example's index in its dataset, or null when not known; a sharded step
 *     assigns examples to shards by it ({@link dev.nerve.train.ShardedStep})
 */
public record Batch(Tensor x, Tensor y, Tensor mask, int[] lengths, int[] indices) {
  /**
   * Checks that the parts agree on the number of examples.
   *
   * @throws IllegalArgumentException if the targets, mask, lengths or indices have another count
   */
  public Batch {
    int n = x.rank() == 0 ? 1 : x.shape().dim(0);
    if ((y.rank() == 0 ? 1 : y.shape().dim(0)) != n
        || (mask != null && mask.shape().dim(0) != n)
        || (lengths != null && lengths.length != n)
        || (indices != null && indices.length != n)) {
      throw new IllegalArgumentException(
          "a batch of "
              + n
              + " inputs has targets "
              + y.shape()
              + (mask == null ? "" : ", mask " + mask.shape())
              + (lengths == null ? "" : ", " + lengths.length + " lengths")
              + (indices == null ? "" : ", " + indices.length + " indices"));
    }
  }

  /** A batch whose examples' indices are not known. */
  public Batch(Tensor x, Tensor y, Tensor mask, int[] lengths) {
    this(x, y, mask, lengths, null);
  }

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

  /**
   * The examples at {@code positions} of this batch, in that order, as a new batch (copies):
   * inputs, targets, mask, lengths and indices. The time axis keeps this batch's length, so a slice
   * of a padded batch is the same numbers as those rows of it.
   *
   * @throws IndexOutOfBoundsException if a position is outside the batch
   */
  public Batch rows(int[] positions) {
    int[] len = null;
    int[] idx = null;
    if (lengths != null) {
      len = new int[positions.length];
      for (int i = 0; i < positions.length; i++) {
        len[i] = lengths[positions[i]];
      }
    }
    if (indices != null) {
      idx = new int[positions.length];
      for (int i = 0; i < positions.length; i++) {
        idx[i] = indices[positions[i]];
      }
    }
    return new Batch(
        rowsOf(x, positions),
        rowsOf(y, positions),
        mask == null ? null : rowsOf(mask, positions),
        len,
        idx);
  }

  /**
   * This batch of padded sequences with only the first {@code steps} time steps: the inputs, and
   * the targets and mask too when the targets are per step. Unchanged when the batch has no lengths
   * or is no longer than that. How the {@link Batcher} cuts a batch to its longest example; a
   * worker cuts its slice to the whole batch's length with it.
   */
  public Batch cutTime(int steps) {
    if (lengths == null || x.rank() < 2 || steps >= x.shape().dim(1)) {
      return this;
    }
    int full = x.shape().dim(1);
    Tensor cx = cut(x, steps);
    Tensor cy = y;
    Tensor cm = mask;
    if (y.rank() >= 3 && y.shape().dim(1) == full) {
      cy = cut(y, steps);
      cm = mask == null ? null : cut(mask, steps);
    }
    return new Batch(cx, cy, cm, lengths, indices);
  }

  /** {@code t} {@code [batch, steps, ...]} with only its first {@code keep} steps: a new tensor. */
  private static Tensor cut(Tensor t, int keep) {
    int[] d = t.shape().dims();
    int per = t.size() / (d[0] * d[1]); // values per step
    d[1] = keep;
    Tensor out = Tensor.zeros(d);
    int rowIn = t.size() / d[0];
    int rowOut = keep * per;
    for (int b = 0; b < d[0]; b++) {
      System.arraycopy(t.data(), b * rowIn, out.data(), b * rowOut, rowOut);
    }
    return out;
  }

  private static Tensor rowsOf(Tensor t, int[] positions) {
    int[] d = t.shape().dims();
    int per = t.size() / d[0];
    d[0] = positions.length;
    Tensor out = Tensor.zeros(d);
    for (int i = 0; i < positions.length; i++) {
      int p = java.util.Objects.checkIndex(positions[i], t.shape().dim(0));
      System.arraycopy(t.data(), p * per, out.data(), i * per, per);
    }
    return out;
  }
}
