package dev.nerve.report;

import java.util.List;
import java.util.Random;

/** Realistic reports for tests: made from a seeded generator, so every run sees the same data. */
final class SampleReports {

  static final List<String> FASHION =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private SampleReports() {}

  /** A 10-class run: 10,000 iteration losses, 9 epochs with validation, a full confusion matrix. */
  static RunReport classification() {
    Random rnd = new Random(7);
    int iterations = 10_000;
    double[] iterationLoss = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      double trend = 0.28 + 2.0 * Math.exp(-i / 700.0);
      iterationLoss[i] = trend * Math.exp(0.35 * rnd.nextGaussian());
    }
    int epochs = 9;
    double[] train = new double[epochs];
    double[] validation = new double[epochs];
    double[] trainAcc = new double[epochs];
    double[] validationAcc = new double[epochs];
    double[] seconds = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      train[e] = 0.30 + 0.5 * Math.exp(-e / 1.8);
      validation[e] = 0.36 + 0.42 * Math.exp(-e / 1.6) + 0.004 * e * e / 4;
      trainAcc[e] = 0.90 - 0.2 * Math.exp(-e / 1.8);
      validationAcc[e] = 0.875 - 0.17 * Math.exp(-e / 1.6);
      seconds[e] = (e == 0 ? 4.9 : 3.6) + 0.2 * rnd.nextDouble();
    }
    long[][] confusion = new long[10][10];
    for (int t = 0; t < 10; t++) {
      int n = 1000;
      double correct = t == 6 ? 0.62 : t == 4 ? 0.80 : t == 2 ? 0.79 : 0.93;
      confusion[t][t] = Math.round(n * correct);
      long rest = n - confusion[t][t];
      while (rest > 0) {
        int p = confusable(t, rnd);
        if (p != t) {
          long take = Math.min(rest, 1 + rnd.nextInt(12));
          confusion[t][p] += take;
          rest -= take;
        }
      }
    }
    RunReport.Builder b =
        RunReport.builder("Fashion-MNIST, MLP 784-256-128-10")
            .createdAt("2025-06-01T12:34:56Z")
            .version("nerve", "0.1.0-SNAPSHOT")
            .version("java", "17.0.15")
            .version("os", "Linux 6.1 amd64")
            .seed(42)
            .dataHash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
            .hyperParameter("optimizer", "Adam(lr=0.001, beta1=0.9, beta2=0.999)")
            .hyperParameter("loss", "SoftmaxCrossEntropy")
            .hyperParameter("batch size", "32")
            .hyperParameter("epochs", "20 (early stopping, patience 3)")
            .hyperParameter("initialisation", "heNormal")
            .data("training examples", "54000")
            .data("validation examples", "6000")
            .data("test examples", "10000")
            .data("features", "784 (28×28, scaled to [0, 1])")
            .data("classes", "10")
            .layer(new LayerRow(1, "Dense(in=784, out=256)", "[256]", 200_960))
            .layer(new LayerRow(2, "ReLU()", "[256]", 0))
            .layer(new LayerRow(3, "Dense(in=256, out=128)", "[128]", 32_896))
            .layer(new LayerRow(4, "ReLU()", "[128]", 0))
            .layer(new LayerRow(5, "Dense(in=128, out=10)", "[10]", 1_290))
            .totalParameters(235_146)
            .iterationLoss(iterationLoss)
            .trainLoss(train)
            .validationLoss(validation)
            .trainAccuracy(trainAcc)
            .validationAccuracy(validationAcc)
            .epochSeconds(seconds)
            .classification(Classification.of("test", FASHION, confusion))
            .outcome("stopped", "early stopping at epoch 9; best epoch 6 restored")
            .outcome("test accuracy", "0.8843")
            .outcome("model file", "runs/fashion/model.nerve");
    return b.build();
  }

  private static int confusable(int t, Random rnd) {
    int[][] near = {
      {6, 3, 2}, {3}, {4, 6}, {0, 4, 6}, {2, 6}, {7, 9}, {0, 2, 4}, {5, 9}, {0, 6}, {7}
    };
    int[] c = near[t];
    return rnd.nextInt(4) == 0 ? rnd.nextInt(10) : c[rnd.nextInt(c.length)];
  }

  /** A regression run with no validation set and no accuracy. */
  static RunReport regression() {
    double[] loss = new double[40];
    for (int e = 0; e < loss.length; e++) {
      loss[e] = 0.05 + Math.exp(-e / 6.0);
    }
    return RunReport.builder("Boston housing, 13-32-1")
        .seed(1)
        .hyperParameter("learning rate", "0.01")
        .trainLoss(loss)
        .iterationLoss(loss)
        .regression(new Regression("test", 0.0421, 0.151, 0.873))
        .outcome("finished", "40 epochs")
        .build();
  }
}
