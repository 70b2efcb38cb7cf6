package dev.nerve.spark;

import dev.nerve.data.Batch;
import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.io.Serializable;

/**
 * One partition's examples as plain arrays, the form Spark caches between steps (and serialises if
 * it ever moves the block to another executor): inputs, targets, mask and lengths of the examples
 * {@code shard, shard + shards, shard + 2 shards, ...} of the data set. {@code Serializable}
 * because Spark moves cached blocks and task data with Java serialization only; it is never a file
 * format (see SPARK.md).
 */
final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  final int shard;
  final int shards;
  final int size;
  final int[] inputShape;
  final int[] targetShape;
  final float[] x;
  final float[] y;
  final float[] mask;
  final int maskCols;
  final int[] lengths;
  private transient Batch all;

  Shard(int shard, int shards, Dataset d) {
    this.shard = shard;
    this.shards = shards;
    this.size = d.size();
    this.inputShape = d.inputShape().dims();
    this.targetShape = d.targetShape().dims();
    this.x = d.features().toTensor().data();
    this.y = d.targets().toTensor().data();
    this.mask = d.mask() == null ? null : d.mask().toTensor().data();
    this.maskCols = d.mask() == null ? 0 : d.mask().cols();
    this.lengths = d.lengthArray();
  }

  /** A 64-bit FNV-1a hash of every value (inputs, targets, mask, lengths), to compare copies. */
  long hash() {
    long h = 0xcbf29ce484222325L;
    for (float[] a : new float[][] {x, y, mask == null ? new float[0] : mask}) {
      for (float v : a) {
        h = (h ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
      }
      h = (h ^ a.length) * 0x100000001b3L;
    }
    if (lengths != null) {
      for (int v : lengths) {
        h = (h ^ v) * 0x100000001b3L;
      }
    }
    return h;
  }

  /** The shard's examples as a data set again. */
  Dataset dataset() {
    int xc = size == 0 ? 0 : x.length / size;
    int yc = size == 0 ? 0 : y.length / size;
    Dataset d =
        new Dataset(
            Features.of(Tensor.wrap(x, size, xc)),
            Shape.of(inputShape),
            Features.of(Tensor.wrap(y, size, yc)),
            Shape.of(targetShape),
            mask == null ? null : Features.of(Tensor.wrap(mask, size, maskCols)),
            null);
    return lengths == null ? d : d.withLengths(lengths);
  }

  /** The examples at local rows {@code rows}, as one uncut batch; kept whole for reuse. */
  synchronized Batch rows(int[] rows, int[] indices) {
    if (all == null) {
      all = dataset().batch(null);
    }
    Batch b = all.rows(rows);
    return new Batch(b.x(), b.y(), b.mask(), b.lengths(), indices);
  }
}
