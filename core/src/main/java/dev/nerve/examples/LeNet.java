package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.data.Normalizer;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.Init;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.NoSettings;
import dev.nerve.nn.Pool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Optimizer;
import dev.nerve.train.Evaluation;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A LeNet-5-style convolutional network on Fashion-MNIST: 5×5 convolution to 6 channels (padding
 * 2), ReLU, 2×2 max pooling, 5×5 convolution to 16 channels, ReLU, 2×2 max pooling, then dense
 * layers of 120, 84 and 10. Softmax cross-entropy, Adam with learning rate 0.001, batches of 64, 10
 * epochs, pixels scaled to [0, 1]. It passes 90% accuracy on the 10,000 test images.
 *
 * <p>Run it with {@code java dev.nerve.examples.LeNet [dir] [model file]}; the data comes from
 * {@link FashionMnist#DEFAULT_DIR} unless another directory is given.
 */
public final class LeNet {
  private LeNet() {}

  /** The network and its training settings, shared with {@code nerve train --example lenet}. */
  public static ModelSpec spec() {
    return new ModelSpec(
        List.of(1, 28, 28),
        List.of(
            new Conv2d.Settings(6, 5, 1, 2), // [6, 28, 28]
            new NoSettings(ReLU.TYPE),
            new Pool2d.Settings(MaxPool2d.TYPE, 2, 2, 0), // [6, 14, 14]
            new Conv2d.Settings(16, 5, 1, 0), // [16, 10, 10]
            new NoSettings(ReLU.TYPE),
            new Pool2d.Settings(MaxPool2d.TYPE, 2, 2, 0), // [16, 5, 5]
            new NoSettings(Flatten.TYPE), // [400]
            new Dense.Settings(120, true, Init.auto(), Init.zeros()),
            new NoSettings(ReLU.TYPE),
            new Dense.Settings(84, true, Init.auto(), Init.zeros()),
            new NoSettings(ReLU.TYPE),
            new Dense.Settings(10, true, Init.auto(), Init.zeros())),
        SoftmaxCrossEntropy.NAME,
        1e-3f,
        10,
        64,
        0,
        "adam");
  }

  /**
   * Trains, printing the test accuracy after every epoch, and saves the model if a file is given.
   */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : FashionMnist.DEFAULT_DIR;
    ModelSpec spec = LeNet.spec();
    Normalizer pixels = FashionMnist.normalizer();
    Dataset train = FashionMnist.read(dir, "train").normalized(pixels);
    Dataset test = FashionMnist.read(dir, "t10k").normalized(pixels);

    Sequential net = spec.build().initialize(spec.seed());
    System.out.println(net.summary());
    Loss loss = Loss.named(spec.loss());
    TrainingListener report =
        new TrainingListener() {
          @Override
          public void onEpochEnd(EpochEnd e) {
            Evaluation r = Evaluation.of(net, loss, test);
            System.out.printf(
                Locale.ROOT,
                "epoch %2d  loss %.4f  test accuracy %.2f%%  %.1f s%n",
                e.epoch(),
                e.loss(),
                100 * r.accuracy(),
                e.nanos() / 1e9);
          }
        };
    Trainer.builder(net, loss, Optimizer.named(spec.optimizer(), net.parameters(), 1e-3f))
        .epochs(spec.epochs())
        .batchSize(spec.batchSize())
        .shuffle(spec.seed())
        .listener(report)
        .build()
        .fit(train);
    if (args.length > 1) {
      new ModelFile(spec, net, pixels, Map.of("classes", FashionMnist.CLASSES))
          .write(Path.of(args[1]));
    }
  }
}
