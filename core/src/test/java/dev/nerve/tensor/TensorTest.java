package dev.nerve.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {
  private final Tensor x = Tensor.of(new float[][] {{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}});

  @Test
  void rowMajorLayout() {
    assertEquals(Shape.of(3, 4), x.shape());
    assertEquals(1f, x.get(1, 3));
    assertEquals(x.data()[1 * 4 + 3], x.get(1, 3));
    assertArrayEquals(new float[] {1, 0, 1, 1}, x.toArray2d()[1]);
  }

  @Test
  void matmulWithTransposes() {
    Tensor w = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}});
    Tensor h = x.matmul(w); // [3, 2]
    assertArrayEquals(new float[] {6, 8, 13, 16, 10, 12}, h.data());
    Tensor xtx = Tensor.matmul(x, true, x, false); // [4, 4]
    assertEquals(2f, xtx.get(0, 0));
    assertEquals(1f, xtx.get(0, 3));
    Tensor xxt = Tensor.matmul(x, false, x, true); // [3, 3]
    assertEquals(3f, xxt.get(1, 1));
    assertEquals(1f, xxt.get(1, 2));
  }

  @Test
  void matmulShapeMismatchNamesAllShapes() {
    ShapeMismatchException e =
        assertThrows(ShapeMismatchException.class, () -> x.matmul(Tensor.zeros(3, 2)));
    assertEquals(
        "matmul: A of [3, 4] times B of [3, 2] into [3, 2] (need op(A) [m, k], op(B)"
            + " [k, n], out [m, n])",
        e.getMessage());
  }

  @Test
  void elementWiseAndReductions() {
    Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    Tensor b = Tensor.of(new float[][] {{10, 20}, {30, 40}});
    assertArrayEquals(new float[] {11, 22, 33, 44}, a.add(b).data());
    assertArrayEquals(new float[] {9, 18, 27, 36}, b.sub(a).data());
    assertArrayEquals(new float[] {10, 40, 90, 160}, a.mul(b).data());
    assertArrayEquals(new float[] {2, 4, 6, 8}, a.scale(2).data());
    assertArrayEquals(new float[] {1, 4, 9, 16}, a.map(v -> v * v).data());
    assertArrayEquals(new float[] {11, 22, 33, 44}, a.zip(b, Float::sum).data());
    assertArrayEquals(new float[] {4, 6}, a.columnSums().data());
    assertArrayEquals(new float[] {3, 7}, a.rowSums().data());
    assertEquals(10.0, a.sum());
    assertArrayEquals(new int[] {1, 1}, a.argmaxRows());
    assertArrayEquals(new float[] {1, 2, 3, 4}, a.data(), "non-InPlace methods leave a alone");
    Tensor c = a.copy().addScaledInPlace(b, 0.5f);
    assertArrayEquals(new float[] {6, 12, 18, 24}, c.data());
  }

  @Test
  void inPlaceMethodsReturnTheReceiver() {
    Tensor a = Tensor.zeros(2, 2);
    assertSame(a, a.fillInPlace(3f));
    assertSame(a, a.scaleInPlace(2f));
    assertArrayEquals(new float[] {6, 6, 6, 6}, a.data());
  }

  @Test
  void badShapesAndIndicesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
    assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}));
    assertThrows(IndexOutOfBoundsException.class, () -> x.get(3, 0));
    assertThrows(IllegalArgumentException.class, () -> x.get(1));
    assertThrows(ShapeMismatchException.class, () -> x.add(Tensor.zeros(4, 3)));
    assertThrows(IllegalArgumentException.class, () -> x.reshape(5, 2));
  }

  @Test
  void printsLikeNumpy() {
    assertEquals(
        "[[1, 0.5], [0.33333, -2e-05]]",
        Tensor.of(new float[][] {{1f, 0.5f}, {1f / 3, -2e-5f}}).toString());
    assertEquals("[1, 2]", Tensor.of(1f, 2f).toString());
  }

  @Test
  void zeroSizedTensorsWork() {
    Tensor e = Tensor.zeros(0, 3);
    assertEquals(0, e.size());
    assertEquals(Shape.of(0, 4), Tensor.matmul(e, false, Tensor.zeros(3, 4), false).shape());
    assertArrayEquals(new float[] {0, 0, 0}, e.columnSums().data());
  }
}
