package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loaded model serves predictions from many threads at once, identical to one thread's. */
class ConcurrentPredictTest {
  @TempDir Path dir;

  private static Tensor random(Rng rng, int rows, int cols) {
    Tensor t = Tensor.zeros(rows, cols);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rng.nextGaussian();
    }
    return t;
  }

  @Test
  void aLoadedConvolutionalModelPredictsTheSameFromEightThreads() throws Exception {
    Sequential net =
        new Sequential(
                Shape.of(2, 10, 10),
                new Conv2d(2, 4, 3, 1, 1),
                new BatchNorm(4),
                new ReLU(),
                new MaxPool2d(2),
                new Dropout(0.2f),
                new Flatten(),
                new Dense(100, 32),
                new ReLU(),
                new Dense(32, 3))
            .initialize(5);
    Rng rng = new Rng(9);
    Tensor x = random(rng, 96, 200);
    Tensor y = Tensor.zeros(96, 3);
    for (int i = 0; i < 96; i++) {
      y.data()[i * 3 + i % 3] = 1f;
    }
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.01f))
        .epochs(2)
        .batchSize(16)
        .shuffle(1)
        .build()
        .fit(new Dataset(x, y));
    Path f = dir.resolve("m.nerve");
    new ModelFile(
            ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 2, 16, 5),
            net,
            Map.of())
        .write(f);
    Sequential loaded = ModelFile.read(f).model();

    // Batches of different sizes, so threads also disagree on every buffer shape.
    List<Tensor> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Tensor in = random(rng, 1 + i % 7 * 9, 200);
      inputs.add(in);
      expected.add(loaded.predict(in).data().clone());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int first = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 8; round++) {
                    for (int i = 0; i < inputs.size(); i++) {
                      int k = (i + first * 5 + round) % inputs.size();
                      assertArrayEquals(
                          expected.get(k),
                          loaded.predict(inputs.get(k)).data(),
                          "thread " + first + ", round " + round + ", input " + k);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> fut : futures) {
        fut.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
