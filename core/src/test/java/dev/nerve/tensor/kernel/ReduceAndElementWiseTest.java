package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReduceAndElementWiseTest {
  private final float[] x = {1, -2, 3, 4, 5, -6}; // 2 x 3

  @Test
  void columnAndRowSums() {
    float[] cols = {10, 10, 10};
    Reduce.columnSums(x, 2, 3, cols, false);
    assertArrayEquals(new float[] {5, 3, -3}, cols);
    Reduce.columnSums(x, 2, 3, cols, true);
    assertArrayEquals(new float[] {10, 6, -6}, cols);
    float[] rows = new float[2];
    Reduce.rowSums(x, 2, 3, rows);
    assertArrayEquals(new float[] {2, 3}, rows);
  }

  @Test
  void rowMaxAndArgmax() {
    float[] m = new float[2];
    Reduce.rowMax(x, 2, 3, m);
    assertArrayEquals(new float[] {3, 5}, m);
    int[] am = new int[2];
    Reduce.argmaxRows(new float[] {1, 7, 7, 0, 0, 0}, 2, 3, am);
    assertArrayEquals(new int[] {1, 0}, am, "first index wins ties");
  }

  @Test
  void sigmoidIsStableAtTheExtremes() {
    assertEquals(1f, ElementWise.sigmoid(1000f));
    assertEquals(0f, ElementWise.sigmoid(-1000f));
    assertEquals(0.5f, ElementWise.sigmoid(0f));
    assertEquals(1.0 / (1.0 + Math.exp(-2.0)), ElementWise.sigmoid(2f), 1e-7);
    assertEquals(1.0 / (1.0 + Math.exp(3.0)), ElementWise.sigmoid(-3f), 1e-8);
  }

  @Test
  void axpyAndFiniteCheck() {
    float[] y = {1, 1, 1};
    ElementWise.axpy(2f, new float[] {1, 2, 3}, y, 3);
    assertArrayEquals(new float[] {3, 5, 7}, y);
    assertTrue(ElementWise.allFinite(y, 3));
    y[1] = Float.NaN;
    assertFalse(ElementWise.allFinite(y, 3));
    y[1] = Float.NEGATIVE_INFINITY;
    assertFalse(ElementWise.allFinite(y, 3));
  }

  @Test
  void leakyReluAndItsSlope() {
    float[] out = new float[3];
    ElementWise.leakyRelu(0.1f, new float[] {-2, 0, 3}, out, 3);
    assertArrayEquals(new float[] {-0.2f, 0f, 3f}, out);
    float[] dx = new float[3];
    ElementWise.leakyReluBackward(0.1f, new float[] {-2, 0, 3}, new float[] {1, 1, 1}, dx, 3);
    assertArrayEquals(new float[] {0.1f, 0.1f, 1f}, dx);
  }
}
