package dev.nerve.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GRU;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.TransformerEncoder;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.text.TextDatasets;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training on Spark in local mode with two worker threads ({@code local[2]}): the weights end
 * byte-identical to the core's K-shard run with the same K, for dense, dropout, batch-norm,
 * attention and recurrent networks, from data the driver sends or the executors read; errors are
 * one clear line.
 */
class SparkStepTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = SparkRuns.local("local[2]");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void kPartitionsEndWithTheBytesOfKShards() {
    Dataset d = SparkRuns.data(150, 1);
    for (int k : new int[] {1, 2, 3}) {
      byte[] want = SparkRuns.sharded(SparkRuns::mlp, d, k, 3);
      Sequential net = SparkRuns.mlp();
      try (SparkStep spark =
          SparkStep.builder(sc, net, new SoftmaxCrossEntropy()).partitions(k).data(d).build()) {
        assertEquals(150, spark.examples());
        assertArrayEquals(want, SparkRuns.run(net, spark, d, 3), k + " partitions");
        Stats s = spark.stats();
        assertEquals(3 * 10, s.steps());
        assertEquals(k, s.partitions());
        assertTrue(s.wallNanos() >= s.computeNanos() && s.computeNanos() > 0, s.toString());
      }
    }
  }

  @Test
  void executorsReadTheirOwnExamplesFromASource() {
    Dataset d = SparkRuns.data(90, 2);
    byte[] want = SparkRuns.sharded(SparkRuns::mlp, d, 2, 2);
    Sequential net = SparkRuns.mlp();
    ShardSource source = ShardSource.reading(() -> SparkRuns.data(90, 2));
    try (SparkStep spark =
        SparkStep.builder(sc, net, new SoftmaxCrossEntropy()).partitions(2).data(source).build()) {
      spark.requireSameSize(d);
      assertArrayEquals(want, SparkRuns.run(net, spark, d, 2));
    }
  }

  /** Fashion-MNIST's test images read by each executor from the IDX files, as the driver does. */
  @Test
  void executorsReadIdxFilesByIndex() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("/usr/share/datasets/fashion-mnist");
    java.nio.file.Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
    java.nio.file.Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
    if (!"1".equals(System.getenv("NERVE_CI"))) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          java.nio.file.Files.exists(images), "dataset-fashion-mnist is not installed");
    }
    Dataset d =
        dev.nerve.data.Idx.readDataset(images, labels, 10)
            .normalized(dev.nerve.data.Normalizer.scale(1f / 255))
            .range(0, 3000);
    Supplier<Sequential> net =
        () ->
            new Sequential(Shape.of(784), new Dense(784, 32), new ReLU(), new Dense(32, 10))
                .initialize(1);
    byte[] want = SparkRuns.sharded(net, d, 2, 1);
    Sequential n = net.get();
    String x = images.toString();
    String y = labels.toString();
    ShardSource source =
        ShardSource.reading(() -> ShardSource.idx(x, y, 10, 1f / 255).load(0, 1).range(0, 3000));
    try (SparkStep spark =
        SparkStep.builder(sc, n, new SoftmaxCrossEntropy()).partitions(2).data(source).build()) {
      spark.requireSameSize(d);
      assertArrayEquals(want, SparkRuns.run(n, spark, d, 1));
    }
  }

  @Test
  void batchNormAttentionAndSequencesMatchTheirShardedRuns() {
    Supplier<Sequential> bn =
        () ->
            new Sequential(
                    Shape.of(6), new Dense(6, 8), new BatchNorm(8), new ReLU(), new Dense(8, 3))
                .initialize(7);
    Dataset d = SparkRuns.data(64, 3);
    assertSame(bn, d, 2);

    Supplier<Sequential> attention =
        () ->
            new Sequential(
                    Shape.of(4, 8), new TransformerEncoder(8, 2), new Flatten(), new Dense(32, 3))
                .initialize(11);
    Rng r = new Rng(4);
    Tensor x = Tensor.uniform(r, -1, 1, 40, 4, 8);
    Tensor y = Tensor.zeros(40, 3);
    for (int i = 0; i < 40; i++) {
      y.setInPlace(1, i, (x.data()[i * 32] > 0 ? 1 : 0) + (x.data()[i * 32 + 1] > 0 ? 1 : 0));
    }
    assertSame(attention, new Dataset(x, y), 3);

    Rng w = new Rng(6);
    int[][] seqs = new int[48][];
    int[] labels = new int[48];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = new int[1 + w.nextInt(6)];
      for (int t = 0; t < seqs[i].length; t++) {
        seqs[i][t] = 2 + w.nextInt(6);
      }
      labels[i] = seqs[i][0] % 2;
    }
    Dataset words = TextDatasets.padded(seqs, 6, labels, 2);
    Supplier<Sequential> gru =
        () ->
            new Sequential(Shape.of(6), new Embedding(8, 4), new GRU(4, 6), new Dense(6, 2))
                .initialize(2);
    assertSame(gru, words, 2);
  }

  private static void assertSame(Supplier<Sequential> net, Dataset d, int k) {
    byte[] want = SparkRuns.sharded(net, d, k, 2);
    Sequential n = net.get();
    try (SparkStep spark =
        SparkStep.builder(sc, n, new SoftmaxCrossEntropy()).partitions(k).data(d).build()) {
      assertArrayEquals(want, SparkRuns.run(n, spark, d, 2), n.toString());
    }
  }

  @Test
  void aResumedSparkRunEndsAsTheUnbrokenOne() {
    Dataset d = SparkRuns.data(80, 5);
    byte[] want = SparkRuns.sharded(SparkRuns::mlp, d, 2, 4);
    Sequential first = SparkRuns.mlp();
    SparkRuns.StateAt at = new SparkRuns.StateAt(2, first);
    try (SparkStep spark =
        SparkStep.builder(sc, first, new SoftmaxCrossEntropy()).partitions(2).data(d).build()) {
      SparkRuns.trainer(first, 2).gradientSource(spark).listener(at).build().fit(d);
    }
    Sequential again = SparkRuns.mlp();
    SparkRuns.load(again, at.weights);
    try (SparkStep spark =
        SparkStep.builder(sc, again, new SoftmaxCrossEntropy()).partitions(2).data(d).build()) {
      SparkRuns.trainer(again, 4).gradientSource(spark).resumeFrom(at.state).build().fit(d);
    }
    assertArrayEquals(want, SparkRuns.bytes(again));
  }

  @Test
  void badSetupsAreOneClearLine() {
    Dataset d = SparkRuns.data(5, 1);
    Sequential net = SparkRuns.mlp();
    var loss = new SoftmaxCrossEntropy();
    IllegalArgumentException many =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkStep.builder(sc, net, loss).partitions(6).data(d).build());
    assertTrue(many.getMessage().contains("6 partitions for 5 examples"), many.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> SparkStep.builder(sc, net, loss).partitions(0));
    assertThrows(IllegalArgumentException.class, () -> SparkStep.builder(sc, net, loss).build());
    dev.nerve.loss.Loss custom =
        new dev.nerve.loss.Loss() {
          @Override
          public double sum(Tensor p, Tensor t, Tensor m) {
            return loss.sum(p, t, m);
          }

          @Override
          public void gradient(Tensor p, Tensor t, Tensor m, Tensor out, long meanOver) {
            loss.gradient(p, t, m, out, meanOver);
          }

          @Override
          public String name() {
            return "my_loss";
          }
        };
    IllegalArgumentException named =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkStep.builder(sc, net, custom).partitions(2).data(d).build());
    assertTrue(named.getMessage().contains("'my_loss' is not one of Nerve's"), named.getMessage());

    ShardSource missing = ShardSource.idx("/no/such/images.gz", "/no/such/labels.gz", 10, 1f);
    IllegalStateException unreadable =
        assertThrows(
            IllegalStateException.class,
            () -> SparkStep.builder(sc, net, loss).partitions(2).data(missing).build());
    assertTrue(
        unreadable.getMessage().contains("cannot read its data")
            && unreadable.getMessage().contains("/no/such/images.gz"),
        unreadable.getMessage());
    assertTrue(!unreadable.getMessage().contains("\n"), unreadable.getMessage());

    java.nio.file.Path notSerializable = java.nio.file.Path.of("/tmp");
    IllegalArgumentException closure =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SparkStep.builder(sc, net, loss)
                    .partitions(2)
                    .data(
                        ShardSource.reading(
                            () -> SparkRuns.data(notSerializable.getNameCount(), 1)))
                    .build());
    assertTrue(
        closure.getMessage().contains("cannot be sent to the executors"), closure.getMessage());

    Dataset wide = new Dataset(Tensor.zeros(10, 7), Tensor.zeros(10, 3));
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkStep.builder(sc, net, loss).partitions(2).data(wide).build());
    assertTrue(shape.getMessage().contains("7 values; the network takes 6"), shape.getMessage());

    try (SparkStep spark = SparkStep.builder(sc, net, loss).partitions(2).data(d).build()) {
      spark.requireSameData(d);
      IllegalArgumentException values =
          assertThrows(
              IllegalArgumentException.class, () -> spark.requireSameData(SparkRuns.data(5, 2)));
      assertTrue(values.getMessage().contains("holds other examples"), values.getMessage());
      IllegalArgumentException size =
          assertThrows(
              IllegalArgumentException.class, () -> spark.requireSameSize(SparkRuns.data(6, 1)));
      assertTrue(size.getMessage().contains("6 examples"), size.getMessage());
    }
  }

  @Test
  void withoutRetriesAFailedTaskStopsTheRunWithItsReason() {
    Dataset d = SparkRuns.data(40, 1);
    Sequential net = SparkRuns.mlp();
    try (SparkStep spark =
        SparkStep.builder(sc, net, new SoftmaxCrossEntropy())
            .partitions(2)
            .data(d)
            .failOnce(2, 1)
            .build()) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> SparkRuns.run(net, spark, d, 1));
      assertTrue(e.getMessage().startsWith("step 2 failed on the cluster: "), e.getMessage());
      assertTrue(e.getMessage().contains("fault injected into partition 1"), e.getMessage());
    }
  }
}
