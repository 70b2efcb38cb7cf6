package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conv2d and MaxPool2d split their batch across threads image by image (and plane by plane): the
 * training and inference forward passes and every gradient must come out bit-identical for every
 * thread count, and inference (one image's columns at a time) must equal training (the whole
 * batch's columns).
 */
class ConvSplitTest {
  @Test
  void everyThreadCountAndBothForwardPathsGiveTheSameBits() {
    List<float[]> reference = null;
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        Parallel.setThreads(threads);
        List<float[]> got = run();
        if (reference == null) {
          reference = got;
        } else {
          for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(reference.get(i), got.get(i), "array " + i + ", threads " + threads);
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  private static List<float[]> run() {
    // Images large enough and many enough (37) that every layer splits the batch, ragged ends.
    Sequential net =
        new Sequential(
                Shape.of(3, 64, 64),
                new Conv2d(3, 5, 3, 2, 1),
                new ReLU(),
                new MaxPool2d(2, 2, 1),
                new Conv2d(5, 4, 2),
                new Flatten(),
                new Dense(1024, 3))
            .initialize(7);
    Tensor x = Tensor.zeros(37, 3 * 64 * 64);
    Rng r = new Rng(8);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = r.nextFloat() * 2 - 1;
    }
    Tensor inference = net.predict(x).copy();
    Tensor training = net.forward(x, true);
    assertArrayEquals(inference.data(), training.data(), "inference equals training forward");
    for (Parameter p : net.parameters()) {
      p.zeroGradInPlace();
    }
    Tensor dy = training.copy();
    Tensor dx = net.backward(dy, true);
    List<float[]> out = new ArrayList<>();
    out.add(inference.data());
    out.add(dx.data().clone());
    for (Parameter p : net.parameters()) {
      out.add(p.grad().data().clone());
    }
    return out;
  }

  /**
   * Padding's zeros are written once per buffer and geometry: alternating image sizes, batch sizes,
   * training and inference passes give the bits a fresh layer gives for each.
   */
  @Test
  void reusedColumnBuffersKeepTheirPaddingZeros() {
    Rng r = new Rng(8);
    Conv2d reused = new Conv2d(2, 3, 3, 1, 1);
    reused.initialize(new Rng(1));
    int[][] shapes = {
      {4, 2, 9, 9},
      {4, 2, 9, 9},
      {4, 2, 3, 27},
      {4, 2, 9, 9},
      {1, 2, 9, 9},
      {4, 2, 27, 3},
      {4, 2, 9, 9}
    };
    for (int[] shape : shapes) {
      Tensor x = Tensor.uniform(r, -1, 1, shape);
      for (boolean training : new boolean[] {true, false}) {
        Conv2d fresh = new Conv2d(2, 3, 3, 1, 1);
        fresh.initialize(new Rng(1));
        assertArrayEquals(
            fresh.forward(x, training).data(),
            reused.forward(x, training).data(),
            java.util.Arrays.toString(shape) + (training ? " training" : " inference"));
      }
    }
  }
}
