package dev.nerve.bench.peers;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Deeplearning4j (nd4j-native on OpenBLAS, from Maven Central) running the harness's workloads:
 *
 * <pre>
 * mlp|lenet EPOCHS MAX_BATCHES     SGD lr 0.1, batch 64; prints load, per-epoch seconds, accuracy
 * infer mlp|lenet BATCH SECONDS    forward-pass latency
 * tutorial1 RUNS EPOCHS            tutorial 1's 4-3-1 sigmoid network, full-batch epochs
 * </pre>
 *
 * Initialised as Nerve initialises: He-uniform (RELU_UNIFORM) where a ReLU follows, Glorot-uniform
 * output layer, zero biases. Threads: libnd4j's OpenMP pool, set by the harness with
 * OMP_NUM_THREADS.
 */
public final class Dl4j {
  private Dl4j() {}

  public static void main(String[] args) throws Exception {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    switch (args[0]) {
      case "mlp", "lenet" -> train(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      case "infer" -> infer(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]));
      case "tutorial1" -> tutorial1(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
  }

  static MultiLayerNetwork network(String model) {
    NeuralNetConfiguration.ListBuilder b =
        new NeuralNetConfiguration.Builder()
            .seed(0)
            .updater(new Sgd(0.1))
            .weightInit(WeightInit.RELU_UNIFORM)
            .list();
    if (model.equals("mlp")) {
      b.layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
          .layer(new DenseLayer.Builder().nIn(256).nOut(128).activation(Activation.RELU).build())
          .layer(
              new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                  .nIn(128)
                  .nOut(10)
                  .weightInit(WeightInit.XAVIER_UNIFORM)
                  .activation(Activation.SOFTMAX)
                  .build());
    } else {
      b.layer(
              new ConvolutionLayer.Builder(5, 5)
                  .nIn(1)
                  .nOut(6)
                  .padding(2, 2)
                  .activation(Activation.RELU)
                  .build())
          .layer(
              new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                  .kernelSize(2, 2)
                  .stride(2, 2)
                  .build())
          .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
          .layer(
              new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                  .kernelSize(2, 2)
                  .stride(2, 2)
                  .build())
          .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
          .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
          .layer(
              new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                  .nOut(10)
                  .weightInit(WeightInit.XAVIER_UNIFORM)
                  .activation(Activation.SOFTMAX)
                  .build())
          .setInputType(InputType.convolutionalFlat(28, 28, 1));
    }
    MultiLayerConfiguration conf = b.build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  static void train(String model, int epochs, int maxBatches) throws Exception {
    long t0 = System.nanoTime();
    FashionData train = FashionData.read("train");
    FashionData test = FashionData.read("t10k");
    double load = (System.nanoTime() - t0) / 1e9;
    MultiLayerNetwork net = network(model);
    int n = maxBatches > 0 ? Math.min(train.n, maxBatches * 64) : train.n;
    java.util.Random rng = new java.util.Random(0);
    float[] xb = new float[64 * 784];
    float[] yb = new float[64 * 10];
    List<Double> seconds = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      long s = System.nanoTime();
      int[] order = FashionData.permutation(n, rng);
      for (int from = 0; from < n; from += 64) {
        int rows = Math.min(64, n - from);
        float[] xs = rows == 64 ? xb : new float[rows * 784];
        float[] ys = rows == 64 ? yb : new float[rows * 10];
        java.util.Arrays.fill(ys, 0f);
        for (int r = 0; r < rows; r++) {
          int i = order[from + r];
          System.arraycopy(train.x, i * 784, xs, r * 784, 784);
          ys[r * 10 + train.y[i]] = 1f;
        }
        net.fit(
            new DataSet(
                Nd4j.create(xs, new long[] {rows, 784}, 'c'),
                Nd4j.create(ys, new long[] {rows, 10}, 'c')));
      }
      seconds.add((System.nanoTime() - s) / 1e9);
    }
    INDArray out = net.output(Nd4j.create(test.x, new long[] {test.n, 784}, 'c'));
    INDArray predicted = out.argMax(1);
    int right = 0;
    for (int i = 0; i < test.n; i++) {
      if (predicted.getInt(i) == test.y[i]) {
        right++;
      }
    }
    System.out.println(FashionData.json(load, seconds, (double) right / test.n));
  }

  static void infer(String model, int batch, double seconds) {
    MultiLayerNetwork net = network(model);
    float[] x = new float[batch * 784];
    java.util.Random rng = new java.util.Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    INDArray in = Nd4j.create(x, new long[] {batch, 784}, 'c');
    System.out.println(
        FashionData.latencyJson(FashionData.latencies(() -> net.output(in), seconds), batch));
  }

  static void tutorial1(int runs, int epochs) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(0)
            .updater(new Sgd(0.1))
            .weightInit(WeightInit.UNIFORM)
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.SIGMOID).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nIn(3)
                    .nOut(1)
                    .activation(Activation.SIGMOID)
                    .build())
            .build();
    INDArray x = Nd4j.create(new float[] {1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1}, new long[] {3, 4});
    INDArray y = Nd4j.create(new float[] {1, 1, 0}, new long[] {3, 1});
    DataSet data = new DataSet(x, y);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Tutorial1Timing.run(
        runs, epochs, () -> net.init(), () -> net.fit(data), () -> net.output(x).toFloatVector());
  }
}
