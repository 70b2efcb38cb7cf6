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
}
