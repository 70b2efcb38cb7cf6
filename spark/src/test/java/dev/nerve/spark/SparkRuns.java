package dev.nerve.spark;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.GradientSource;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import dev.nerve.train.TrainingState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Shared pieces of the Spark tests: a local context, a small network, data, a run's bytes. */
final class SparkRuns {
  private SparkRuns() {}

  static JavaSparkContext local(String master) {
    SparkConf conf =
        new SparkConf()
            .setMaster(master)
            .setAppName("nerve-test")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.sql.shuffle.partitions", "2");
    JavaSparkContext sc = new JavaSparkContext(conf);
    sc.setLogLevel("ERROR");
    return sc;
  }

  static Sequential mlp() {
    return new Sequential(
            Shape.of(6), new Dense(6, 16), new ReLU(), new Dropout(0.2f), new Dense(16, 3))
        .initialize(5);
  }

  static Dataset data(int n, long seed) {
    Rng r = new Rng(seed);
    Tensor x = Tensor.uniform(r, -1, 1, n, 6);
    Tensor y = Tensor.zeros(n, 3);
    for (int i = 0; i < n; i++) {
      float a = x.data()[i * 6];
      float b = x.data()[i * 6 + 1];
      y.setInPlace(1, i, a + b > 0.2f ? 0 : a - b > 0 ? 1 : 2);
    }
    return new Dataset(x, y);
  }

  static Trainer.Builder trainer(Sequential net, int epochs) {
    return Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.01f))
        .epochs(epochs)
        .batchSize(16)
        .shuffle(3);
  }

  /** The bytes of every parameter and buffer, in order. */
  static byte[] bytes(Sequential net) {
    int n = 0;
    for (Parameter p : net.parameters()) {
      n += p.value().size();
    }
    for (var b : net.buffers()) {
      n += b.value().size();
    }
    ByteBuffer out = ByteBuffer.allocate(4 * n);
    for (Parameter p : net.parameters()) {
      for (float v : p.value().data()) {
        out.putFloat(v);
      }
    }
    for (var b : net.buffers()) {
      for (float v : b.value().data()) {
        out.putFloat(v);
      }
    }
    return out.array();
  }

  /** The K-shard run on this machine: the bytes a Spark run with K partitions must end with. */
  static byte[] sharded(java.util.function.Supplier<Sequential> net, Dataset d, int k, int epochs) {
    Sequential n = net.get();
    trainer(n, epochs).shards(k).build().fit(d);
    return bytes(n);
  }

  /** The run with a given source of gradients. */
  static byte[] run(Sequential n, GradientSource source, Dataset d, int epochs) {
    trainer(n, epochs).gradientSource(source).build().fit(d);
    return bytes(n);
  }

  /** Keeps the training state saved after epoch {@code epoch}. */
  static final class StateAt implements TrainingListener {
    final int epoch;
    TrainingState state;
    byte[] weights;
    Sequential net;

    StateAt(int epoch, Sequential net) {
      this.epoch = epoch;
      this.net = net;
    }

    @Override
    public boolean wantsState(int e) {
      return e == epoch;
    }

    @Override
    public void onState(TrainingState s) {
      state = s;
      weights = bytes(net);
    }
  }

  static void load(Sequential net, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    for (Parameter p : net.parameters()) {
      float[] v = p.value().data();
      for (int i = 0; i < v.length; i++) {
        v[i] = in.getFloat();
      }
    }
    for (var b : net.buffers()) {
      float[] v = b.value().data();
      for (int i = 0; i < v.length; i++) {
        v[i] = in.getFloat();
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalStateException(Arrays.toString(new int[] {in.remaining()}));
    }
  }
}
