package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.data.Idx;
import dev.nerve.data.Normalizer;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Init;
import dev.nerve.nn.NoSettings;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Optimizer;
import dev.nerve.train.Evaluation;
import dev.nerve.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fashion-MNIST (70,000 28×28 grey images of ten kinds of clothing) with a 784-256-128-10 ReLU
 * network: softmax cross-entropy, Adam with learning rate 0.001, batches of 64, 10 epochs, pixels
 * scaled to [0, 1]. It reaches about 89% accuracy on the 10,000 test images.
 *
 * <p>The data comes from Debian's {@code dataset-fashion-mnist} package ({@link #DEFAULT_DIR}) or
 * any directory holding the four {@code *-idx?-ubyte.gz} files. Run it with {@code java
 * dev.nerve.examples.FashionMnist [dir] [model file]}.
 */
public final class FashionMnist {
  /** Where Debian's package installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The ten classes, in label order. */
  public static final List<String> CLASSES =
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

  private FashionMnist() {}

  /**
   * The network and its training settings, the one definition this class and {@code nerve train
   * --example fashion-mnist} use.
   */
  public static ModelSpec spec() {
    return new ModelSpec(
        784,
        List.of(
            new Dense.Settings(256, true, Init.heUniform(), Init.zeros()),
            new NoSettings(ReLU.TYPE),
            new Dense.Settings(128, true, Init.heUniform(), Init.zeros()),
            new NoSettings(ReLU.TYPE),
            new Dense.Settings(10, true, Init.xavierUniform(), Init.zeros())),
        SoftmaxCrossEntropy.NAME,
        1e-3f,
        10,
        64,
        0,
        "adam");
  }

  /** The pixel normalisation: 0-255 to 0-1. */
  public static Normalizer normalizer() {
    return Normalizer.scale(1f / 255);
  }

  /**
   * The training set ({@code "train"}) or the test set ({@code "t10k"}) from {@code dir}.
   *
   * @throws dev.nerve.data.DataFormatException if a file is damaged
   */
  public static Dataset read(Path dir, String part) throws IOException {
    return Idx.readDataset(
        dir.resolve(part + "-images-idx3-ubyte.gz"),
        dir.resolve(part + "-labels-idx1-ubyte.gz"),
        CLASSES.size());
  }

  /** Trains, prints the test accuracy, and saves the model if a file is given. */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : DEFAULT_DIR;
    // --8<-- [start:readme]
    ModelSpec spec = FashionMnist.spec();
    Normalizer pixels = Normalizer.scale(1f / 255);
    Dataset train = FashionMnist.read(dir, "train").normalized(pixels);
    Dataset test = FashionMnist.read(dir, "t10k").normalized(pixels);

    Sequential net = spec.build().initialize(spec.seed());
    Loss loss = Loss.named(spec.loss());
    Trainer.builder(net, loss, Optimizer.named("adam", net.parameters(), 1e-3f))
        .epochs(10)
        .batchSize(64)
        .shuffle(spec.seed())
        .build()
        .fit(train);

    Evaluation result = Evaluation.of(net, loss, test);
    System.out.printf(Locale.ROOT, "test accuracy %.2f%%%n", 100 * result.accuracy());
    // --8<-- [end:readme]
    if (args.length > 1) {
      new ModelFile(spec, net, pixels, Map.of("classes", CLASSES)).write(Path.of(args[1]));
    }
  }
}
