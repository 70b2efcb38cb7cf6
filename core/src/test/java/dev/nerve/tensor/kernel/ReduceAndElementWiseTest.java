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

  /**
   * The branch-free (vectorisable) ReLU kernels give exactly what the plain definitions give, bit
   * for bit, on every kind of float: zeros of both signs, subnormals, infinities and NaNs.
   */
  @Test
  void branchFreeLeakyReluEqualsItsDefinitionOnEveryKindOfFloat() {
    float[] special = {
      0f,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      -Float.MIN_NORMAL,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      Float.intBitsToFloat(0xffc00000),
      Float.intBitsToFloat(0x7f800001),
      1f,
      -1f,
      0.5f
    };
    java.util.Random r = new java.util.Random(7);
    int n = special.length * special.length + 1000;
    float[] xs = new float[n];
    float[] dys = new float[n];
    for (int i = 0; i < n; i++) {
      boolean pair = i < special.length * special.length;
      xs[i] = pair ? special[i / special.length] : (float) r.nextGaussian();
      dys[i] = pair ? special[i % special.length] : (float) r.nextGaussian();
    }
    for (float slope : new float[] {0f, 0.01f, 0.2f, 1f, 1.5f, -0.5f}) {
      float[] out = new float[n];
      float[] dx = new float[n];
      ElementWise.leakyRelu(slope, xs, out, n);
      ElementWise.leakyReluBackward(slope, xs, dys, dx, n);
      for (int i = 0; i < n; i++) {
        float v = xs[i];
        // ReLU (slope 0) as PyTorch's: +0 for every x <= 0, -infinity included; NaN stays NaN.
        float want = v > 0f ? v : slope == 0f ? (Float.isNaN(v) ? v : 0f) : slope * v;
        float wantDx = v > 0f ? dys[i] : slope * dys[i];
        assertEquals(
            Float.floatToIntBits(want),
            Float.floatToIntBits(out[i]),
            "slope " + slope + " forward at x=" + v);
        assertEquals(
            Float.floatToIntBits(wantDx),
            Float.floatToIntBits(dx[i]),
            "slope " + slope + " backward at x=" + v + ", dy=" + dys[i]);
      }
    }
  }

  @Test
  void theFiniteCheckSeesEveryPositionOfLongArraysOnEveryThreadCount() {
    // Long arrays take the Vector API path (when the module is present) and are split across
    // threads: a bad value must be found in every part, at every lane and in the scalar tail.
    int n = 2 * ElementWise.PARALLEL_GRAIN + 37;
    float[] x = new float[n];
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian() * 1e30f;
    }
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        Parallel.setThreads(threads);
        assertTrue(ElementWise.allFinite(x, n), "threads " + threads);
        for (int i :
            new int[] {0, 1, 15, 16, 31, 1000, n / 2 - 1, n / 2, n / 2 + 1, n - 38, n - 1}) {
          for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -Float.MAX_VALUE * 2}) {
            float keep = x[i];
            x[i] = bad;
            assertFalse(ElementWise.allFinite(x, n), "threads " + threads + ", position " + i);
            x[i] = keep;
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void splitPassesGiveTheSameBitsAsOneThread() {
    int n = 5 * ElementWise.PARALLEL_GRAIN + 3;
    float[] x = new float[n];
    float[] y = new float[n];
    java.util.Random r = new java.util.Random(4);
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
      y[i] = (float) r.nextGaussian();
    }
    float[] expected = y.clone();
    for (int i = 0; i < n; i++) {
      expected[i] = Math.fma(-0.3f, x[i], expected[i]);
    }
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2, 4}) {
        Parallel.setThreads(threads);
        float[] z = y.clone();
        ElementWise.axpy(-0.3f, x, z, n);
        assertArrayEquals(expected, z, "threads " + threads);
        int[] seen = new int[n];
        ElementWise.forRanges(
            n,
            (from, to) -> {
              for (int i = from; i < to; i++) {
                seen[i]++;
              }
            });
        for (int i = 0; i < n; i++) {
          assertEquals(1, seen[i], "every element exactly once, threads " + threads);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
