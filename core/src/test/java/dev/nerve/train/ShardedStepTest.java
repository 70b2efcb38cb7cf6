package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Batch;
import dev.nerve.data.Dataset;
import dev.nerve.loss.Loss;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.BatchRows;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GRU;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.TransformerEncoder;
import dev.nerve.optim.Adam;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.text.TextDatasets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The single-machine "K shards" mode: a batch's gradients from K slices added in shard order, as K
 * workers of a cluster compute them. One shard is ordinary training to the bit; more shards differ
 * from it only by the order of addition (within 1e-5 relative after a whole run); dropout draws the
 * same masks however the batch is split.
 */
class ShardedStepTest {
  private static Sequential mlp(boolean dropout) {
    return dropout
        ? new Sequential(
                Shape.of(6),
                new Dense(6, 16),
                new ReLU(),
                new Dropout(0.3f),
                new Dense(16, 8),
                new ReLU(),
                new Dense(8, 3))
            .initialize(5)
        : new Sequential(Shape.of(6), new Dense(6, 16), new ReLU(), new Dense(16, 3)).initialize(5);
  }

  private static Dataset data(int n, long seed) {
    Rng r = new Rng(seed);
    Tensor x = Tensor.uniform(r, -1, 1, n, 6);
    Tensor y = Tensor.zeros(n, 3);
    for (int i = 0; i < n; i++) {
      float[] row = Arrays.copyOfRange(x.data(), i * 6, i * 6 + 6);
      int c = row[0] + row[1] > 0.3f ? 0 : row[2] - row[3] > 0 ? 1 : 2;
      y.setInPlace(1, i, c);
    }
    return new Dataset(x, y);
  }

  private static Batch batchOf(Dataset d, int[] indices) {
    Batch all = new Batch(d.x(), d.y(), null, null, null);
    Batch b = all.rows(indices);
    return new Batch(b.x(), b.y(), null, null, indices);
  }

  private static List<float[]> grads(Sequential net) {
    List<float[]> g = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      g.add(p.grad().data().clone());
    }
    return g;
  }

  private static byte[] weights(Sequential net) {
    int n = 0;
    for (Parameter p : net.parameters()) {
      n += p.value().size();
    }
    ByteBuffer b = ByteBuffer.allocate(4 * n);
    for (Parameter p : net.parameters()) {
      for (float v : p.value().data()) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  private static void assertClose(List<float[]> want, List<float[]> got, double rel) {
    for (int k = 0; k < want.size(); k++) {
      float[] a = want.get(k);
      float[] b = got.get(k);
      double scale = 0;
      for (float v : a) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], rel * Math.max(scale, 1e-12), "parameter " + k + " value " + i);
      }
    }
  }

  @Test
  void shardsTakeExamplesByIndexModuloKInBatchOrder() {
    Dataset d = data(10, 1);
    Batch b = batchOf(d, new int[] {7, 2, 4, 9, 0, 5});
    int[][] p = ShardedStep.positions(b, 3);
    assertArrayEquals(new int[] {3, 4}, p[0]); // examples 9 and 0
    assertArrayEquals(new int[] {0, 2}, p[1]); // 7 and 4
    assertArrayEquals(new int[] {1, 5}, p[2]); // 2 and 5
  }

  @Test
  void oneShardIsOrdinaryTrainingToTheBit() {
    Dataset d = data(40, 2);
    Batch b = batchOf(d, new int[] {3, 17, 9, 22, 1, 30, 12, 5});
    Sequential a = mlp(true);
    Sequential s = mlp(true);
    Loss loss = new SoftmaxCrossEntropy();
    StepResult ra = new TrainingStep(a, loss).run(b);
    StepResult rs = new ShardedStep(s, loss, 1).gradients(b);
    assertEquals(ra.lossSum(), rs.lossSum(), 0.0);
    List<float[]> ga = grads(a);
    List<float[]> gs = grads(s);
    for (int k = 0; k < ga.size(); k++) {
      assertArrayEquals(ga.get(k), gs.get(k));
    }
    assertArrayEquals(a.randomState(), s.randomState());
  }

  @Test
  void kShardsGiveTheBatchsGradientAndTheSameDropoutMasks() {
    Dataset d = data(40, 3);
    Batch b = batchOf(d, new int[] {3, 17, 9, 22, 1, 30, 12, 5, 8, 38, 27});
    for (Loss loss : List.of(new SoftmaxCrossEntropy(), new MeanSquaredError())) {
      for (int k : new int[] {2, 3, 5, 11, 16}) {
        Sequential a = mlp(true);
        Sequential s = mlp(true);
        StepResult ra = new TrainingStep(a, loss).run(b);
        StepResult rs = new ShardedStep(s, loss, k).gradients(b);
        assertEquals(ra.lossSum(), rs.lossSum(), 1e-9 * Math.abs(ra.lossSum()));
        assertEquals(ra.terms(), rs.terms());
        assertEquals(ra.examples(), rs.examples());
        assertEquals(ra.correct(), rs.correct());
        // Different masks would change the gradients far beyond rounding.
        assertClose(grads(a), grads(s), 1e-6);
        assertArrayEquals(a.randomState(), s.randomState(), "generators end where one batch's do");
      }
    }
  }

  @Test
  void aShardRowsDropoutMaskIsThatRowsMaskInTheWholeBatch() {
    Dropout whole = new Dropout(0.5f);
    whole.initialize(new Rng(9));
    Dropout part = new Dropout(0.5f);
    part.initialize(new Rng(9));
    Tensor x = ones(6, 4);
    float[] all = whole.forward(x, true).data().clone();
    part.drawAsRowsOf(new BatchRows(new int[] {1, 4}, 6));
    float[] some = part.forward(ones(2, 4), true).data();
    assertArrayEquals(Arrays.copyOfRange(all, 4, 8), Arrays.copyOfRange(some, 0, 4));
    assertArrayEquals(Arrays.copyOfRange(all, 16, 20), Arrays.copyOfRange(some, 4, 8));
    assertArrayEquals(whole.randomState(), part.randomState());
    // The announcement holds for one pass only.
    assertArrayEquals(whole.forward(x, true).data(), part.forward(ones(6, 4), true).data());
    part.drawAsRowsOf(new BatchRows(new int[] {0, 1}, 6));
    assertThrows(IllegalStateException.class, () -> part.forward(ones(3, 4), true));
    assertThrows(IllegalArgumentException.class, () -> new BatchRows(new int[] {2, 1}, 6));
    assertThrows(IllegalArgumentException.class, () -> new BatchRows(new int[] {6}, 6));
  }

  @Test
  void attentionDropoutAndSequencesWithLengthsSplitTheSameWay() {
    Supplier<Sequential> transformer =
        () ->
            new Sequential(
                    Shape.of(5, 8), new TransformerEncoder(8, 2), new Flatten(), new Dense(40, 3))
                .initialize(11);
    Rng r = new Rng(4);
    Tensor x = Tensor.uniform(r, -1, 1, 9, 5, 8);
    Tensor y = Tensor.zeros(9, 3);
    for (int i = 0; i < 9; i++) {
      y.setInPlace(1, i, i % 3);
    }
    Batch b = new Batch(x, y, null, null, new int[] {4, 0, 8, 2, 6, 1, 3, 7, 5});
    Sequential a = transformer.get();
    Sequential s = transformer.get();
    Loss loss = new SoftmaxCrossEntropy();
    new TrainingStep(a, loss).run(b);
    new ShardedStep(s, loss, 4).gradients(b);
    assertClose(grads(a), grads(s), 1e-5);
    assertArrayEquals(a.randomState(), s.randomState());

    int[][] seqs = {{2, 3, 4}, {5}, {2, 2, 6, 7}, {3, 4}, {7, 7, 7}, {6}, {2, 5, 3, 4}};
    Dataset words = TextDatasets.padded(seqs, 4, new int[] {0, 1, 0, 1, 1, 0, 1}, 2);
    Supplier<Sequential> gru =
        () ->
            new Sequential(Shape.of(4), new Embedding(8, 3), new GRU(3, 5), new Dense(5, 2))
                .initialize(2);
    Batch wb =
        new Batch(words.x(), words.y(), null, words.lengthArray(), new int[] {0, 1, 2, 3, 4, 5, 6});
    Sequential ga = gru.get();
    Sequential gs = gru.get();
    new TrainingStep(ga, loss).run(wb);
    new ShardedStep(gs, loss, 3).gradients(wb);
    assertClose(grads(ga), grads(gs), 1e-5);
  }

  @Test
  void theMeanCountComesFromTheOutputShapeAndTheMask() {
    Sequential net = mlp(false);
    Dataset d = data(7, 5);
    Tensor mask = Tensor.zeros(7, 1);
    mask.data()[0] = 1;
    mask.data()[3] = 1;
    mask.data()[6] = 1;
    Batch b = new Batch(d.x(), d.y(), mask, null, null);
    for (Loss loss : List.of(new SoftmaxCrossEntropy(), new MeanSquaredError())) {
      Tensor out = net.predict(d.x());
      assertEquals(loss.terms(out, mask), ShardedStep.meanOver(net, loss, b));
      assertEquals(loss.terms(out, null), ShardedStep.meanOver(net, loss, new Batch(d.x(), d.y())));
    }
  }

  @Test
  void batchNormKeepsTheFirstShardsRunningStatistics() {
    Supplier<Sequential> net =
        () ->
            new Sequential(
                    Shape.of(6), new Dense(6, 8), new BatchNorm(8), new ReLU(), new Dense(8, 3))
                .initialize(7);
    Dataset d = data(20, 6);
    Batch b = batchOf(d, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    Sequential sharded = net.get();
    new ShardedStep(sharded, new SoftmaxCrossEntropy(), 2).gradients(b);
    Sequential first = net.get();
    new TrainingStep(first, new SoftmaxCrossEntropy()).run(b.rows(new int[] {0, 2, 4, 6}));
    float[][] want = ShardedStep.snapshot(ShardedStep.buffersOf(first));
    float[][] got = ShardedStep.snapshot(ShardedStep.buffersOf(sharded));
    assertEquals(want.length, got.length);
    assertTrue(want.length > 0);
    for (int i = 0; i < want.length; i++) {
      assertArrayEquals(want[i], got[i]);
    }
  }

  /** A layer that draws random numbers while training but ignores {@code drawAsRowsOf}. */
  private static final class Noise implements dev.nerve.nn.Layer {
    private Rng rng = new Rng(1);

    @Override
    public Shape outputShape(Shape input) {
      return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
      if (training) {
        for (int i = 0; i < x.size(); i++) {
          rng.nextFloat();
        }
      }
      return x;
    }

    @Override
    public Tensor backward(Tensor dy) {
      return dy;
    }

    @Override
    public long[] randomState() {
      return new long[] {rng.state()};
    }

    @Override
    public void restoreRandomState(long[] state) {
      rng = Rng.fromState(state[0]);
    }
  }

  @Test
  void aLayerWhoseDrawsDependOnTheSplitIsRefused() {
    Sequential net =
        new Sequential(Shape.of(6), new Dense(6, 4), new Noise(), new Dense(4, 3)).initialize(1);
    Dataset d = data(5, 1);
    Batch b = batchOf(d, new int[] {0, 1, 2, 3, 4}); // shards of 3 and 2 rows
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new ShardedStep(net, new SoftmaxCrossEntropy(), 2).gradients(b));
    assertTrue(e.getMessage().contains("without honouring Layer.drawAsRowsOf"), e.getMessage());
  }

  @Test
  void aOneExampleSliceOfBatchNormNamesTheShard() {
    Sequential net =
        new Sequential(Shape.of(6), new Dense(6, 8), new BatchNorm(8), new Dense(8, 3))
            .initialize(2);
    Batch b = batchOf(data(5, 2), new int[] {0, 1, 2, 3, 4});
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new ShardedStep(net, new SoftmaxCrossEntropy(), 4).gradients(b));
    assertTrue(
        e.getMessage().startsWith("shard 1 (1 of the batch's 5 examples): "), e.getMessage());
  }

  @Test
  void tracingAShardedRunIsRefused() {
    Sequential net = mlp(false);
    TrainingListener tracer =
        new TrainingListener() {
          @Override
          public boolean wantsStep(int epoch, int batch, long iteration) {
            return iteration == 2;
          }
        };
    Trainer t =
        Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.01f))
            .batchSize(4)
            .shards(2)
            .listener(tracer)
            .build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(data(12, 3)));
    assertTrue(e.getMessage().startsWith("epoch 1, batch 2: a listener traces"), e.getMessage());
  }

  @Test
  void aShardedRunIsRepeatableAndWithinRoundingOfOrdinaryTraining() {
    Dataset d = data(200, 8);
    byte[] ordinary = train(d, 1);
    byte[] three = train(d, 3);
    assertArrayEquals(three, train(d, 3), "same shards, same bytes");
    assertFalse(Arrays.equals(ordinary, three), "the order of addition shows in the last bits");
    float[] o = toFloats(ordinary);
    float[] t = toFloats(three);
    double norm = 0;
    double diff = 0;
    for (int i = 0; i < o.length; i++) {
      norm += (double) o[i] * o[i];
      diff += (double) (o[i] - t[i]) * (o[i] - t[i]);
    }
    assertTrue(Math.sqrt(diff / norm) < 1e-5, "relative difference " + Math.sqrt(diff / norm));
  }

  private static Tensor ones(int... dims) {
    Tensor t = Tensor.zeros(dims);
    t.fillInPlace(1f);
    return t;
  }

  private static float[] toFloats(byte[] b) {
    float[] f = new float[b.length / 4];
    ByteBuffer.wrap(b).asFloatBuffer().get(f);
    return f;
  }

  private static byte[] train(Dataset d, int shards) {
    Sequential net = mlp(true);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.01f))
        .epochs(3)
        .batchSize(16)
        .shuffle(4)
        .shards(shards)
        .build()
        .fit(d);
    return weights(net);
  }
}
