package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.examples.FashionMnist;
import dev.nerve.examples.LeNet;
import dev.nerve.examples.Tutorial1;
import dev.nerve.examples.Tutorial2;
import dev.nerve.io.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in examples of {@code nerve train --example}: the two tutorials, as core defines them,
 * and two networks on Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}.
 */
enum Examples {
  /** Tutorial 1: 4-3-1 sigmoid with biases, half squared error, lr 0.1, 5000 epochs. */
  TUTORIAL1("tutorial1"),
  /** Tutorial 2: 3-4-1 sigmoid without biases, sum of squares, lr 1, 1500 iterations. */
  TUTORIAL2("tutorial2"),
  /** Fashion-MNIST: 784-256-128-10 ReLU, softmax cross-entropy, Adam 1e-3, batch 64, 10 epochs. */
  FASHION_MNIST("fashion-mnist"),
  /** LeNet-5 on Fashion-MNIST: two 5×5 convolutions with max pooling, then 120-84-10. */
  LENET("lenet");

  /** Where Debian's dataset-fashion-mnist package puts the files. */
  static final Path FASHION_DIR = FashionMnist.DEFAULT_DIR;

  /** The ten Fashion-MNIST classes, in label order. */
  static final List<String> FASHION_CLASSES = FashionMnist.CLASSES;

  final String id;

  Examples(String id) {
    this.id = id;
  }

  /** The example named {@code id}, or a usage error listing them. */
  static Examples of(String id) {
    for (Examples e : values()) {
      if (e.id.equals(id)) {
        return e;
      }
    }
    throw new CliException(
        ExitCodes.USAGE,
        "unknown example '" + id + "'; choose tutorial1, tutorial2, fashion-mnist or lenet");
  }

  /** The network and its training settings. */
  ModelSpec spec() {
    return switch (this) {
      case TUTORIAL1 -> Tutorial1.spec();
      case TUTORIAL2 -> Tutorial2.spec();
      case FASHION_MNIST -> FashionMnist.spec();
      case LENET -> LeNet.spec();
    };
  }

  /** Whether the example reads Fashion-MNIST (and so has a separate test set). */
  boolean fashion() {
    return this == FASHION_MNIST || this == LENET;
  }

  /** The training data. */
  Dataset train() {
    return switch (this) {
      case TUTORIAL1 -> Tutorial1.data();
      case TUTORIAL2 -> Tutorial2.data();
      case FASHION_MNIST, LENET -> fashion("train");
    };
  }

  /** The test data (Fashion-MNIST only). */
  Dataset test() {
    return fashion("t10k");
  }

  /** The files the example reads, for the data hash; empty for the built-in tutorials. */
  Path[] files() {
    if (!fashion()) {
      return new Path[0];
    }
    return new Path[] {
      FASHION_DIR.resolve("train-images-idx3-ubyte.gz"),
      FASHION_DIR.resolve("train-labels-idx1-ubyte.gz")
    };
  }

  private static Dataset fashion(String part) {
    Path images = FASHION_DIR.resolve(part + "-images-idx3-ubyte.gz");
    Path labels = FASHION_DIR.resolve(part + "-labels-idx1-ubyte.gz");
    if (!Files.exists(images) || !Files.exists(labels)) {
      throw new CliException(
          ExitCodes.IO,
          "Fashion-MNIST is not installed at "
              + FASHION_DIR
              + "; install it with: sudo apt-get install dataset-fashion-mnist");
    }
    try {
      return FashionMnist.read(FASHION_DIR, part);
    } catch (IOException e) {
      throw Main.io(images.toString(), e);
    }
  }
}
