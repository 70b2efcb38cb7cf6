package dev.nerve.bench.peers;

import java.util.ArrayList;
import java.util.List;
import smile.base.mlp.Layer;
import smile.base.mlp.OutputFunction;
import smile.classification.MLP;
import smile.math.TimeFunction;

/**
 * Smile (pure Java, from Maven Central) running the harness's workloads. Smile has no convolution
 * layers, so no LeNet-5.
 *
 * <pre>
 * mlp EPOCHS MAX_BATCHES         SGD lr 0.1, batch 64 (Smile's mini-batch update)
 * infer mlp BATCH SECONDS        forward-pass latency (Smile predicts one row per call)
 * tutorial1 RUNS EPOCHS          tutorial 1's 4-3-1 sigmoid network, full-batch epochs
 * </pre>
 *
 * Smile works in double precision. Its mini-batch update runs the rows of a batch on the common
 * fork-join pool; the harness sets its parallelism to threads - 1 (the caller joins in).
 */
public final class Smile {
  private Smile() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "mlp" -> train(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      case "infer" -> infer(Integer.parseInt(args[2]), Double.parseDouble(args[3]));
      case "tutorial1" -> tutorial1(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
  }

  static MLP network() {
    MLP net =
        new MLP(
            Layer.input(784),
            Layer.rectifier(256),
            Layer.rectifier(128),
            Layer.mle(10, OutputFunction.SOFTMAX));
    net.setLearningRate(TimeFunction.constant(0.1));
    return net;
  }

  static double[] row(float[] x, int i) {
    double[] r = new double[784];
    for (int j = 0; j < 784; j++) {
      r[j] = x[i * 784 + j];
    }
    return r;
  }

  static void train(int epochs, int maxBatches) throws Exception {
    long t0 = System.nanoTime();
    FashionData train = FashionData.read("train");
    FashionData test = FashionData.read("t10k");
    double load = (System.nanoTime() - t0) / 1e9;
    MLP net = network();
    int n = maxBatches > 0 ? Math.min(train.n, maxBatches * 64) : train.n;
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = row(train.x, i);
    }
    java.util.Random rng = new java.util.Random(0);
    List<Double> seconds = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      long s = System.nanoTime();
      int[] order = FashionData.permutation(n, rng);
      for (int from = 0; from < n; from += 64) {
        int count = Math.min(64, n - from);
        double[][] xb = new double[count][];
        int[] yb = new int[count];
        for (int r = 0; r < count; r++) {
          xb[r] = rows[order[from + r]];
          yb[r] = train.y[order[from + r]];
        }
        net.update(xb, yb);
      }
      seconds.add((System.nanoTime() - s) / 1e9);
    }
    int right = 0;
    for (int i = 0; i < test.n; i++) {
      if (net.predict(row(test.x, i)) == test.y[i]) {
        right++;
      }
    }
    System.out.println(FashionData.json(load, seconds, (double) right / test.n));
  }

  static void infer(int batch, double seconds) {
    MLP net = network();
    java.util.Random rng = new java.util.Random(1);
    double[][] x = new double[batch][784];
    for (double[] r : x) {
      for (int j = 0; j < r.length; j++) {
        r[j] = rng.nextDouble();
      }
    }
    int[] out = new int[batch];
    Runnable call =
        () -> {
          for (int i = 0; i < batch; i++) {
            out[i] = net.predict(x[i]);
          }
        };
    System.out.println(FashionData.latencyJson(FashionData.latencies(call, seconds), batch));
  }

  static void tutorial1(int runs, int epochs) {
    double[][] x = {{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}};
    int[] y = {1, 1, 0};
    MLP[] net = new MLP[1];
    Runnable reset =
        () -> {
          net[0] = new MLP(Layer.input(4), Layer.sigmoid(3), Layer.mse(1, OutputFunction.SIGMOID));
          net[0].setLearningRate(TimeFunction.constant(0.1));
        };
    reset.run();
    double[] p = new double[2];
    Tutorial1Timing.run(
        runs,
        epochs,
        reset,
        () -> net[0].update(x, y),
        () -> {
          float[] o = new float[3];
          for (int i = 0; i < 3; i++) {
            net[0].predict(x[i], p);
            o[i] = (float) p[1];
          }
          return o;
        });
  }
}
