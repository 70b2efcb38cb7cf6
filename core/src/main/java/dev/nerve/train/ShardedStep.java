package dev.nerve.train;

import dev.nerve.data.Batch;
import dev.nerve.loss.Loss;
import dev.nerve.nn.BatchRows;
import dev.nerve.nn.Buffer;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's gradients computed in {@code K} shards on this machine, added exactly as a cluster of
 * {@code K} workers adds them: the reference that data-parallel training (the {@code spark} module)
 * must match to the bit.
 *
 * <p>Example {@code i} of the data set belongs to shard {@code i mod K}; shard {@code k}'s slice of
 * a batch is that batch's examples of shard {@code k}, in batch order. Each slice runs the ordinary
 * {@link TrainingStep} with the whole batch's mean count ({@link #meanOver}), and the slices'
 * results are added in shard order ({@link StepResult#combine}'s arithmetic). What does not depend
 * on the split:
 *
 * <ul>
 *   <li>dropout's masks: each slice draws, row by row, what the whole batch draws for those rows
 *       ({@link Layer#drawAsRowsOf}), so they are the masks of ordinary training;
 *   <li>the generators' states afterwards, and so every later step.
 * </ul>
 *
 * What does: the order in which per-example gradients are added (so the weights differ from
 * ordinary training by rounding, within about 1e-6 relative per step), and batch normalisation,
 * whose batch statistics are each slice's own, as with PyTorch's {@code DistributedDataParallel}
 * without synchronised batch norm; its running statistics are those the first non-empty slice
 * computed (DDP keeps rank 0's).
 *
 * <pre>{@code
 * Trainer t = Trainer.builder(net, loss, adam).shards(4).build();   // as 4 workers would
 * }</pre>
 */
public final class ShardedStep implements GradientSource {
  private final Model model;
  private final Loss loss;
  private final int shards;
  private final TrainingStep step;
  private final List<Parameter> params;
  private final List<Buffer> buffers;

  /**
   * Computes each batch in {@code shards} slices.
   *
   * @throws IllegalArgumentException if {@code shards < 1}
   */
  public ShardedStep(Model model, Loss loss, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    refuseStateful(model);
    this.model = model;
    this.loss = loss;
    this.shards = shards;
    this.step = new TrainingStep(model, loss);
    this.params = List.copyOf(model.parameters());
    this.buffers = buffersOf(model);
  }

  /**
   * Refuses a model with a stateful recurrent layer: its state runs along the examples of one
   * stream from batch to batch, which no split of a batch into shards can carry.
   *
   * @throws IllegalArgumentException naming the layer
   */
  public static void refuseStateful(Model model) {
    for (Layer l : model.layers()) {
      refuseStateful(l);
    }
  }

  private static void refuseStateful(Layer l) {
    if (l instanceof dev.nerve.nn.Recurrent r && r.stateful()) {
      throw new IllegalArgumentException(
          r
              + " is stateful: its state follows streams from batch to batch, which sharded or"
              + " distributed training cannot split; train it on one machine without shards");
    }
    for (Layer c : l.children()) {
      refuseStateful(c);
    }
  }

  /** The number of shards. */
  public int shards() {
    return shards;
  }

  @Override
  public StepResult gradients(Batch batch) {
    int[][] positions = positions(batch, shards);
    long meanOver = meanOver(model, loss, batch);
    long[] random = model.randomState();
    float[][] start = snapshot(buffers);
    ShardSum sum = new ShardSum(params);
    for (int k = 0; k < shards && !sum.failed(); k++) {
      if (positions[k].length == 0) {
        continue;
      }
      // Every slice starts where the batch starts, as every worker does.
      if (random.length > 0) {
        model.restoreRandomState(random);
      }
      restore(buffers, start);
      StepResult r =
          runSlice(step, batch.rows(positions[k]), positions[k], batch.size(), meanOver, k);
      sum.add(
          k,
          r.lossSum(),
          r.terms(),
          r.sums(),
          r.examples(),
          r.positions(),
          r.correct(),
          r.finite() ? arrays(r.gradients()) : null,
          snapshot(buffers),
          model.randomState());
    }
    if (sum.failed()) {
      restore(buffers, start);
      if (random.length > 0) {
        model.restoreRandomState(random);
      }
    }
    return sum.finish(model, buffers);
  }

  /** The arrays of {@code tensors}, not copied. */
  public static float[][] arrays(List<Tensor> tensors) {
    float[][] out = new float[tensors.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = tensors.get(i).data();
    }
    return out;
  }

  /**
   * Runs {@code step} on one shard's slice of a batch: announces the rows to the layers that draw
   * random numbers, then the ordinary step with the whole batch's mean count. The model's
   * generators must be where the whole batch starts. What a worker runs for its partition.
   *
   * @param slice the slice's examples ({@link Batch#rows} of the batch, or the same examples read
   *     by a worker)
   * @param positions their positions in the whole batch
   * @param batchSize the whole batch's examples
   * @param meanOver the whole batch's {@link #meanOver}
   * @param shard the shard's number, for messages
   * @throws IllegalStateException naming the shard and its size if the step fails (a batch
   *     normalisation of a one-example slice, for one)
   */
  public static StepResult runSlice(
      TrainingStep step, Batch slice, int[] positions, int batchSize, long meanOver, int shard) {
    BatchRows rows = new BatchRows(positions, batchSize);
    List<Layer> layers = step.model().layers();
    for (Layer l : layers) {
      l.drawAsRowsOf(rows);
    }
    try {
      return step.run(slice, meanOver, null, null);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "shard "
              + shard
              + " ("
              + positions.length
              + " of the batch's "
              + batchSize
              + " examples): "
              + e.getMessage(),
          e);
    } finally {
      // An announcement a failed pass did not reach must not outlive it.
      for (Layer l : layers) {
        l.drawAsRowsOf(null);
      }
    }
  }

  /**
   * Each shard's positions in {@code batch}: position {@code p} belongs to shard {@code indices[p]
   * mod shards} (or {@code p mod shards} when the batch does not know its examples' indices), kept
   * in batch order.
   */
  public static int[][] positions(Batch batch, int shards) {
    int[] idx = batch.indices();
    if (idx == null) {
      idx = new int[batch.size()];
      Arrays.setAll(idx, i -> i);
    }
    return positions(idx, shards);
  }

  /**
   * Each shard's positions in a batch of the examples {@code indices}: position {@code p} belongs
   * to shard {@code indices[p] mod shards}, kept in batch order.
   */
  public static int[][] positions(int[] indices, int shards) {
    int[] count = new int[shards];
    int n = indices.length;
    int[] idx = indices;
    for (int p = 0; p < n; p++) {
      count[shardOf(idx[p], shards)]++;
    }
    int[][] out = new int[shards][];
    for (int k = 0; k < shards; k++) {
      out[k] = new int[count[k]];
    }
    Arrays.fill(count, 0);
    for (int p = 0; p < n; p++) {
      int k = shardOf(idx[p], shards);
      out[k][count[k]++] = p;
    }
    return out;
  }

  /** The shard example {@code index} belongs to: {@code index mod shards}. */
  public static int shardOf(long index, int shards) {
    return (int) Math.floorMod(index, (long) shards);
  }

  /**
   * The count a mean loss over the whole of {@code batch} runs over ({@link Loss#terms}), computed
   * from the model's output shape and the batch's mask without running the model.
   */
  public static long meanOver(Model model, Loss loss, Batch batch) {
    Tensor x = model.viewAsInput(batch.x());
    int[] d = x.shape().dims();
    Shape out = model.outputShape(Shape.of(Arrays.copyOfRange(d, 1, d.length)));
    int[] od = new int[out.rank() + 1];
    od[0] = d[0];
    System.arraycopy(out.dims(), 0, od, 1, out.rank());
    return loss.terms(Tensor.zeros(od), batch.mask());
  }

  /** Every buffer of the model's layers, in order. */
  public static List<Buffer> buffersOf(Model model) {
    List<Buffer> all = new ArrayList<>();
    for (Layer l : model.layers()) {
      all.addAll(l.buffers());
    }
    return List.copyOf(all);
  }

  /** Copies of the buffers' values. */
  public static float[][] snapshot(List<Buffer> buffers) {
    float[][] out = new float[buffers.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = buffers.get(i).value().data().clone();
    }
    return out;
  }

  /** Writes {@code values} (from {@link #snapshot}) back into the buffers. */
  public static void restore(List<Buffer> buffers, float[][] values) {
    for (int i = 0; i < values.length; i++) {
      float[] d = buffers.get(i).value().data();
      if (values[i].length != d.length) {
        throw new IllegalArgumentException(
            "buffer "
                + buffers.get(i).name()
                + " has "
                + d.length
                + " values, not "
                + values[i].length);
      }
      System.arraycopy(values[i], 0, d, 0, d.length);
    }
  }
}
