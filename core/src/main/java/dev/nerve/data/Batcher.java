package dev.nerve.data;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;

/**
 * Splits a {@link Dataset} into batches for one epoch after another.
 *
 * <p>With a generator, the order of the examples is shuffled at the start of every epoch; batches
 * are gathered into two buffers reused from batch to batch, so an epoch never copies the whole
 * dataset. A full batch without shuffling is the dataset itself, not a copy.
 *
 * <p>Batch size {@code n}: all examples at once is full-batch gradient descent, 1 is stochastic
 * gradient descent, anything between is mini-batch. The last batch of an epoch holds what is left
 * over and may be smaller.
 */
public final class Batcher {
  private final Dataset data;
  private final int batchSize;
  private Rng rng;
  private final int[] order;
  // One pair of buffers for full batches and one for the smaller last batch, so an epoch
  // whose size is not a multiple of the batch size does not reallocate at every epoch.
  private final Tensor[] xBuf = new Tensor[2];
  private final Tensor[] yBuf = new Tensor[2];
  private final Tensor[] maskBuf = new Tensor[2];
  private final Tensor[] lengthBuf = new Tensor[2];
  private final int[] lengths; // every example's input length, or null
  private boolean bucketing;

  /** Batches gathered by bucketing hold examples of similar length: this many batches a bucket. */
  static final int BUCKET_BATCHES = 32;

  /**
   * Batches of {@code batchSize} examples, shuffled each epoch by {@code rng} (null: in order).
   *
   * @throws IllegalArgumentException if {@code batchSize < 1}
   */
  public Batcher(Dataset data, int batchSize, Rng rng) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    this.data = data;
    this.batchSize = Math.min(batchSize, Math.max(1, data.size()));
    this.rng = rng;
    this.order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    this.lengths = data.lengthArray();
  }

  /**
   * Groups examples of similar length into batches (for data with sequence lengths), so that each
   * batch, cut to its longest example, carries little padding: after the shuffle, every run of
   * {@value #BUCKET_BATCHES} batches is sorted by length. Returns this batcher.
   */
  public Batcher bucketByLength(boolean on) {
    this.bucketing = on && lengths != null;
    return this;
  }

  /** Batches per epoch. */
  public int batchesPerEpoch() {
    return batchesPerEpoch(data.size(), batchSize);
  }

  /**
   * Batches per epoch for {@code examples} examples in batches of {@code batchSize} (the last one
   * smaller if need be); 0 for no examples.
   */
  public static int batchesPerEpoch(int examples, int batchSize) {
    int b = Math.min(batchSize, Math.max(1, examples));
    return (examples + b - 1) / b;
  }

  /** The batch size (at most the dataset size). */
  public int batchSize() {
    return batchSize;
  }

  /** Starts an epoch: reshuffles the order when shuffling. */
  public void startEpoch() {
    if (rng != null) {
      rng.shuffleInPlace(order);
    }
    if (bucketing) {
      int span = BUCKET_BATCHES * batchSize;
      for (int from = 0; from < order.length; from += span) {
        int to = Math.min(order.length, from + span);
        Integer[] part = new Integer[to - from];
        for (int i = 0; i < part.length; i++) {
          part[i] = order[from + i];
        }
        java.util.Arrays.sort(part, java.util.Comparator.comparingInt(i -> lengths[i])); // stable
        // The span's batches in a shuffled order, not shortest first every time.
        int batches = (part.length + batchSize - 1) / batchSize;
        int[] which = new int[batches];
        for (int k = 0; k < batches; k++) {
          which[k] = k;
        }
        if (rng != null && part.length == span) {
          rng.shuffleInPlace(
              which); // (a ragged last span keeps its order: its last batch is short)
        }
        int at = from;
        for (int k : which) {
          for (int i = k * batchSize; i < Math.min(part.length, (k + 1) * batchSize); i++) {
            order[at++] = part[i];
          }
        }
      }
    }
  }

  /** The current order of the examples (a copy), for checkpoints. */
  public int[] order() {
    return order.clone();
  }

  /**
   * Continues from a checkpoint: the order of the examples and the shuffling generator's state, as
   * {@link #order()} and {@link #rngState()} gave them.
   *
   * @throws IllegalArgumentException if the order is not a permutation of this data set's examples
   */
  public void restoreInPlace(int[] savedOrder, long rngState) {
    if (savedOrder.length != order.length) {
      throw new IllegalArgumentException(
          "the saved order has " + savedOrder.length + " examples, this data set " + order.length);
    }
    boolean[] seen = new boolean[order.length];
    for (int i : savedOrder) {
      if (i < 0 || i >= order.length || seen[i]) {
        throw new IllegalArgumentException("the saved order is not a permutation of the examples");
      }
      seen[i] = true;
    }
    System.arraycopy(savedOrder, 0, order, 0, order.length);
    if (rng != null) {
      rng = Rng.fromState(rngState);
    }
  }

  /** The generator's state, for checkpoints; 0 when not shuffling. */
  public long rngState() {
    return rng == null ? 0 : rng.state();
  }

  /**
   * Batch {@code b} of the current epoch: inputs, targets and mask in the dataset's shapes. Valid
   * until the next call.
   */
  public Batch batch(int b) {
    int[] len = lengths(b);
    int from = b * batchSize;
    int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(data.size(), from + batchSize));
    Batch batch = new Batch(x(b), y(b), mask(b), len, idx);
    if (len == null) {
      return batch;
    }
    // Padded per batch: cut the padding after the batch's longest example (it changes nothing,
    // recurrent layers stop at each example's length).
    int longest = 0;
    for (int l : len) {
      longest = Math.max(longest, l);
    }
    return batch.cutTime(longest);
  }

  /**
   * The real input length of each example of batch {@code b}, or null if the dataset has none. A
   * new array.
   */
  public int[] lengths(int b) {
    if (data.lengths() == null) {
      return null;
    }
    float[] v = gather(b, data.lengths(), lengthBuf).data();
    int n = Math.min(data.size(), (b + 1) * batchSize) - b * batchSize;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) v[i];
    }
    return out;
  }

  /**
   * The inputs of batch {@code b} of the current epoch, {@code [batch, ...inputShape]}. Valid until
   * the next call.
   */
  public Tensor x(int b) {
    return Dataset.shaped(gather(b, data.features(), xBuf), data.inputShape());
  }

  /** The targets of batch {@code b}, {@code [batch, ...targetShape]}. Valid until the next call. */
  public Tensor y(int b) {
    return Dataset.shaped(gather(b, data.targets(), yBuf), data.targetShape());
  }

  /**
   * The mask of batch {@code b}, {@code [batch, positions...]}, or null if the dataset has none.
   * Valid until the next call.
   */
  public Tensor mask(int b) {
    if (data.mask() == null) {
      return null;
    }
    return Dataset.shaped(gather(b, data.mask(), maskBuf), data.maskShape());
  }

  private Tensor gather(int b, Features src, Tensor[] bufs) {
    int from = b * batchSize;
    int to = Math.min(data.size(), from + batchSize);
    if (rng == null && from == 0 && to == data.size()) {
      // The whole dataset in order: the backing matrix itself, or one copy made once.
      if (bufs[0] == null) {
        bufs[0] = src.toTensor();
      }
      return bufs[0];
    }
    int n = to - from;
    int slot = n == batchSize ? 0 : 1;
    Tensor buf = bufs[slot];
    if (buf == null) {
      buf = Tensor.zeros(n, src.cols());
      bufs[slot] = buf;
    }
    src.gather(order, from, n, buf.data());
    return buf;
  }
}
