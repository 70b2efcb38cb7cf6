package dev.nerve.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Sequential;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local mode with task retries ({@code local[2,3]}): a task that fails in the middle of a step is
 * run again by Spark, and the run still ends with the K-shard run's bytes.
 */
class SparkRetryTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = SparkRuns.local("local[2,3]");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void aRetriedTaskChangesNoBit() {
    Dataset d = SparkRuns.data(120, 4);
    byte[] want = SparkRuns.sharded(SparkRuns::mlp, d, 2, 2);
    for (int[] fault : new int[][] {{1, 0}, {7, 1}, {16, 1}}) {
      Sequential net = SparkRuns.mlp();
      try (SparkStep spark =
          SparkStep.builder(sc, net, new SoftmaxCrossEntropy())
              .partitions(2)
              .data(d)
              .failOnce(fault[0], fault[1])
              .build()) {
        assertArrayEquals(want, SparkRuns.run(net, spark, d, 2), "fault at step " + fault[0]);
        assertEquals(1, spark.stats().retriedTasks());
      }
    }
  }
}
