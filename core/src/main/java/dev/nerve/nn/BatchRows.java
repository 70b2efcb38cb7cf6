package dev.nerve.nn;

import java.util.Arrays;

/**
 * Which rows of a larger batch the next training pass sees, so that a layer that draws random
 * numbers (dropout's masks) draws for each row exactly what it would draw for that row in the whole
 * batch, and leaves its generator where the whole batch leaves it. The training step of one shard
 * of a batch ({@link dev.nerve.train.ShardedStep}, a Spark partition) announces its rows with
 * {@link Layer#drawAsRowsOf}; the masks then depend neither on how the batch is split nor on which
 * machine computes a part.
 *
 * @param positions the rows' positions in the whole batch, strictly increasing, each in [0,
 *     batchSize)
 * @param batchSize the whole batch's examples
 */
public record BatchRows(int[] positions, int batchSize) {
  /**
   * Checks and copies the positions.
   *
   * @throws IllegalArgumentException if a position is out of range or out of order
   */
  public BatchRows {
    positions = positions.clone();
    int last = -1;
    for (int p : positions) {
      if (p <= last || p >= batchSize) {
        throw new IllegalArgumentException(
            "row positions must increase within [0, "
                + batchSize
                + "), got "
                + Arrays.toString(positions));
      }
      last = p;
    }
  }

  /** The rows this pass sees. */
  public int rows() {
    return positions.length;
  }

  /**
   * Checks that {@code x} has one row per announced position.
   *
   * @throws IllegalStateException naming {@code layer} if not
   */
  static void check(BatchRows rows, dev.nerve.tensor.Tensor x, Layer layer) {
    if (x.rank() == 0 || x.shape().dim(0) != rows.rows()) {
      throw new IllegalStateException(
          layer + " was told of " + rows.rows() + " rows of a batch, then got input " + x.shape());
    }
  }

  /**
   * The generator state from which row {@code r} of this slice draws, in a layer that draws {@code
   * perRow} values per row and whose whole-batch pass starts from {@code start}.
   */
  public long rowState(long start, int r, long perRow) {
    return dev.nerve.tensor.Rng.stateAfter(start, positions[r] * perRow);
  }

  /** Where a layer drawing {@code perRow} values per row leaves its generator after the batch. */
  public long endState(long start, long perRow) {
    return dev.nerve.tensor.Rng.stateAfter(start, batchSize * perRow);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchRows b
        && batchSize == b.batchSize
        && Arrays.equals(positions, b.positions);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(positions) + batchSize;
  }

  @Override
  public String toString() {
    return "rows " + Arrays.toString(positions) + " of " + batchSize;
  }
}
