package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Convolutional networks: shapes checked when built, rows as images, dropout, initialisers. */
class ConvNetworkTest {
  private static Sequential leNet() {
    return new Sequential(
        Shape.of(1, 28, 28),
        new Conv2d(1, 6, 5, 1, 2),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(6, 16, 5),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Dense(16 * 5 * 5, 120),
        new ReLU(),
        new Dense(120, 84),
        new ReLU(),
        new Dense(84, 10));
  }

  @Test
  void leNetShapesAndAForwardPassFromRows() {
    Sequential net = leNet().initialize(1);
    assertEquals(Shape.of(10), net.outputShape(Shape.of(1, 28, 28)));
    Tensor rows = Tensor.uniform(new Rng(2), 0, 1, 3, 784);
    Tensor out = net.forward(rows, true);
    assertArrayEquals(new int[] {3, 10}, out.shape().dims());
    Tensor g = net.backward(Tensor.full(1f, 3, 10));
    assertArrayEquals(new int[] {3, 784}, g.shape().dims(), "gradient in the rows' shape");
    assertArrayEquals(out.data(), net.predict(rows).data());
  }

  @Test
  void aKernelThatDoesNotFitIsRefusedAtBuildNamingLayerAndShapes() {
    ShapeMismatchException e =
        assertThrows(
            ShapeMismatchException.class,
            () -> new Sequential(Shape.of(1, 4, 4), new Conv2d(1, 2, 5)));
    assertEquals(
        "layer 0 Conv2d(in=1, out=2, kernel=5) cannot follow the input: a 5×5 kernel does not"
            + " fit input [1, 4, 4] with padding 0",
        e.getMessage().replace("\n", " "));
    ShapeMismatchException dense =
        assertThrows(
            ShapeMismatchException.class,
            () ->
                new Sequential(
                    Shape.of(1, 28, 28),
                    new Conv2d(1, 6, 5),
                    new MaxPool2d(2),
                    new Flatten(),
                    new Dense(16 * 5 * 5, 10)));
    assertTrue(dense.getMessage().contains("Dense(in=400, out=10)"), dense.getMessage());
    assertTrue(dense.getMessage().contains("gets [864]"), dense.getMessage());
  }

  @Test
  void autoInitIsHeBeforeReluAndGlorotOtherwise() {
    Conv2d relu = new Conv2d(4, 8, 3);
    Conv2d linear = new Conv2d(8, 8, 3);
    new Sequential(Shape.of(4, 6, 6), relu, new ReLU(), linear).initialize(3);
    double a = Math.sqrt(6.0 / (4 * 9)); // He uniform bound, fan in 36
    double b = Math.sqrt(6.0 / (4 * 9 + 8 * 9)); // Glorot uniform bound of the first
    assertTrue(max(relu) <= a && max(relu) > b, "He: " + max(relu));
    assertTrue(max(linear) <= Math.sqrt(6.0 / (8 * 9 + 8 * 9)), "Glorot: " + max(linear));
  }

  private static double max(Conv2d c) {
    double m = 0;
    for (float v : c.weight().value().data()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Test
  void dropoutDropsOnlyWhileTrainingAndScalesTheRest() {
    Dropout d = new Dropout(0.25f);
    d.initialize(new Rng(4));
    Tensor x = Tensor.full(1f, 100, 100);
    assertSame(x, d.forward(x, false), "inference is the identity");
    Tensor y = d.forward(x, true);
    int zeros = 0;
    for (float v : y.data()) {
      if (v == 0f) {
        zeros++;
      } else {
        assertEquals(1f / 0.75f, v, 1e-6f);
      }
    }
    assertEquals(2500, zeros, 150, "about a quarter dropped");
    Tensor g = d.backward(Tensor.full(2f, 100, 100));
    for (int i = 0; i < y.size(); i++) {
      assertEquals(y.data()[i] * 2f, g.data()[i], 1e-6f, "gradient through the same mask");
    }
    Tensor again = d.forward(x, true);
    assertNotEquals(java.util.Arrays.hashCode(y.data().clone()), 0);
    assertEquals(y.size(), again.size());
    assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
  }

  /** Naive max pooling: every window in reading order, first maximum wins, a NaN wins. */
  private static float[][] naiveMaxPool(float[] x, int[] d, int k, int stride, int pad) {
    int oh = (d[2] + 2 * pad - k) / stride + 1;
    int ow = (d[3] + 2 * pad - k) / stride + 1;
    float[] y = new float[d[0] * d[1] * oh * ow];
    float[] at = new float[y.length];
    int o = 0;
    for (int plane = 0; plane < d[0] * d[1]; plane++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, o++) {
          float best = 0;
          int arg = -1;
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
              int iy = oy * stride - pad + i;
              int ix = ox * stride - pad + j;
              if (iy < 0 || iy >= d[2] || ix < 0 || ix >= d[3]) {
                continue;
              }
              int idx = (plane * d[2] + iy) * d[3] + ix;
              if (arg < 0 || x[idx] > best || Float.isNaN(x[idx])) {
                best = x[idx];
                arg = idx;
              }
            }
          }
          y[o] = best;
          at[o] = arg;
        }
      }
    }
    return new float[][] {y, at};
  }

  @Test
  void maxPoolingEqualsANaiveReferenceOnRandomShapesWithTiesAndNaN() {
    Rng rng = new Rng(21);
    for (int trial = 0; trial < 40; trial++) {
      int k = 1 + rng.nextInt(3);
      int stride = 1 + rng.nextInt(3);
      int pad = trial % 2 == 0 ? 0 : rng.nextInt(k / 2 + 1);
      int[] d = {1 + rng.nextInt(3), 1 + rng.nextInt(3), k + rng.nextInt(6), k + rng.nextInt(6)};
      Tensor x = Tensor.zeros(d);
      for (int i = 0; i < x.size(); i++) {
        // Few distinct values, so that windows tie (as after a ReLU); now and then a NaN.
        x.data()[i] = rng.nextInt(50) == 0 ? Float.NaN : rng.nextInt(4);
      }
      MaxPool2d pool = new MaxPool2d(k, stride, pad);
      float[][] want = naiveMaxPool(x.data(), d, k, stride, pad);
      Tensor y = pool.forward(x, true);
      String where = "kernel " + k + " stride " + stride + " pad " + pad + " input " + x.shape();
      assertArrayEquals(want[0], y.data(), where);
      assertArrayEquals(want[0], pool.forward(x, false).data(), where + " (inference)");
      Tensor dy = Tensor.zeros(y.shape().dims());
      for (int i = 0; i < dy.size(); i++) {
        dy.data()[i] = rng.nextInt(9) - 4;
      }
      float[] dx = new float[x.size()];
      for (int o = 0; o < dy.size(); o++) {
        dx[(int) want[1][o]] += dy.data()[o];
      }
      assertArrayEquals(dx, pool.backward(dy).data(), where + " (backward)");
    }
  }

  @Test
  void theFirstLayerSkipsTheInputGradientButNotItsParameters() {
    Sequential a = leNet().initialize(3);
    Sequential b = leNet().initialize(3);
    Tensor rows = Tensor.uniform(new Rng(4), 0, 1, 5, 784);
    Tensor dy = Tensor.uniform(new Rng(5), -1, 1, 5, 10);
    a.forward(rows, true);
    b.forward(rows, true);
    assertArrayEquals(new int[] {5, 784}, a.backward(dy).shape().dims());
    assertEquals(null, b.backward(dy, false));
    for (int i = 0; i < a.parameters().size(); i++) {
      assertArrayEquals(
          a.parameters().get(i).grad().data(), b.parameters().get(i).grad().data(), "param " + i);
    }
    // Layers before the first with parameters are not visited at all.
    Sequential c = new Sequential(new ReLU(), new Dense(3, 2)).initialize(1);
    Tensor x = Tensor.of(new float[][] {{1, -1, 2}});
    c.forward(x, true);
    assertEquals(null, c.backward(Tensor.of(new float[][] {{1, 1}}), false));
    assertArrayEquals(new float[] {1, 1, 0, 0, 2, 2}, c.parameters().get(0).grad().data());
  }
}
