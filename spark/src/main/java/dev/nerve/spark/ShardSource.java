package dev.nerve.spark;

import dev.nerve.data.Dataset;
import dev.nerve.data.Idx;
import dev.nerve.data.Normalizer;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a partition's examples come from: partition {@code k} of {@code K} holds the data set's
 * examples whose index is {@code k} modulo {@code K}, in increasing order (the core's shard rule,
 * {@link dev.nerve.train.ShardedStep#shardOf}). Sent to the executors, so it must be serializable;
 * it runs there once per partition (again only if Spark loses the cached partition).
 *
 * <pre>{@code
 * ShardSource data = ShardSource.idx("/data/train-images-idx3-ubyte.gz",
 *     "/data/train-labels-idx1-ubyte.gz", 10, 1f / 255);   // files every worker can read
 * }</pre>
 */
@FunctionalInterface
public interface ShardSource extends Serializable {
  /**
   * The examples of shard {@code shard} of {@code shards}.
   *
   * @throws IOException if the data cannot be read on this machine
   */
  Dataset load(int shard, int shards) throws IOException;

  /** Reads a whole data set on a worker. */
  @FunctionalInterface
  interface Reader extends Serializable {
    /** The whole data set, as the driver reads it. */
    Dataset read() throws IOException;
  }

  /**
   * Each partition reads the whole data set with {@code reader} (a file every worker can read, the
   * same way the driver reads it) and keeps its own examples. Simple and exact for any format the
   * core reads; the price is that every worker parses the whole file once.
   */
  static ShardSource reading(Reader reader) {
    return (shard, shards) -> shardOf(reader.read(), shard, shards);
  }

  /**
   * IDX images and labels (as MNIST and Fashion-MNIST ship, gzipped or not), one-hot targets of
   * {@code classes} columns, pixels multiplied by {@code scale} (1 for none); paths as the workers
   * see them.
   */
  static ShardSource idx(String images, String labels, int classes, float scale) {
    return reading(
        () -> {
          Dataset d = Idx.readDataset(Path.of(images), Path.of(labels), classes);
          return scale == 1f ? d : d.normalized(Normalizer.scale(scale));
        });
  }

  /** The examples of {@code data} whose index is {@code shard} modulo {@code shards}. */
  static Dataset shardOf(Dataset data, int shard, int shards) {
    int n = data.size();
    int count = n > shard ? (n - shard + shards - 1) / shards : 0;
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = shard + i * shards;
    }
    return data.subset(rows);
  }
}
