package dev.nerve.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data that lives in Spark: a {@code Dataset<Row>} with a vector column and a {@code JavaRDD} of
 * examples, numbered by {@code zipWithIndex} and placed by index, train to the bytes of the K-shard
 * run on the same examples.
 */
class SparkDataTest {
  private static JavaSparkContext sc;
  private static SparkSession session;

  @BeforeAll
  static void start() {
    sc = SparkRuns.local("local[2]");
    session = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static int label(Dataset d, int i) {
    float[] y = d.y().data();
    for (int c = 0; c < 3; c++) {
      if (y[i * 3 + c] == 1f) {
        return c;
      }
    }
    throw new IllegalStateException();
  }

  @Test
  void aTableWithAVectorColumnTrainsAsTheShardedRun() {
    Dataset d = SparkRuns.data(70, 8);
    List<Row> rows = new ArrayList<>();
    float[] x = d.x().data();
    for (int i = 0; i < d.size(); i++) {
      List<Float> f = new ArrayList<>();
      for (int j = 0; j < 6; j++) {
        f.add(x[i * 6 + j]);
      }
      rows.add(RowFactory.create(f, label(d, i)));
    }
    StructType schema =
        new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("label", DataTypes.IntegerType);
    var table = session.createDataFrame(rows, schema);
    SparkData data = SparkData.fromRows(table, "features", "label", 3);
    assertEquals(70, data.size());
    byte[] want = SparkRuns.sharded(SparkRuns::mlp, d, 3, 2);
    Sequential net = SparkRuns.mlp();
    try (SparkStep spark =
        SparkStep.builder(sc, net, new SoftmaxCrossEntropy()).partitions(3).data(data).build()) {
      assertArrayEquals(want, SparkRuns.run(net, spark, data.driverView(), 2));
    }

    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class, () -> SparkData.fromRows(table, "pixels", "label", 3));
    assertTrue(missing.getMessage().contains("no column 'pixels'"), missing.getMessage());
  }

  @Test
  void anRddOfExamplesTrainsAsTheShardedRun() {
    Dataset d = SparkRuns.data(50, 9);
    List<SparkData.Example> list = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      float[] xi = java.util.Arrays.copyOfRange(d.x().data(), i * 6, i * 6 + 6);
      float[] yi = java.util.Arrays.copyOfRange(d.y().data(), i * 3, i * 3 + 3);
      list.add(new SparkData.Example(xi, yi));
    }
    JavaRDD<SparkData.Example> rdd = sc.parallelize(list, 4);
    SparkData data = SparkData.fromRdd(rdd);
    byte[] want = SparkRuns.sharded(SparkRuns::mlp, d, 2, 2);
    Sequential net = SparkRuns.mlp();
    try (SparkStep spark =
        SparkStep.builder(sc, net, new SoftmaxCrossEntropy()).partitions(2).data(data).build()) {
      assertArrayEquals(want, SparkRuns.run(net, spark, data.driverView(), 2));
    }
  }

  /** What Spark ML's vectors offer: {@code toArray()}. */
  public static final class FakeVector {
    public double[] toArray() {
      return new double[] {1.5, -2};
    }
  }

  @Test
  void vectorsArraysAndNumbersAreRead() {
    assertArrayEquals(new float[] {1.5f, -2f}, SparkData.numbers(new FakeVector(), "f"));
    assertArrayEquals(new float[] {3f}, SparkData.numbers(3, "f"));
    assertArrayEquals(new float[] {1f, 2f}, SparkData.numbers(List.of(1, 2.0), "f"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SparkData.numbers("text", "f"));
    assertTrue(e.getMessage().contains("f: expected a vector"), e.getMessage());
  }
}
