package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Max pooling's vector kernel against the plain loop, and the plain loop against a naive
 * definition: random shapes, kernels and strides, with ties, signed zeros and NaNs, the same values
 * to the bit and the same argmax.
 */
class PoolsTest {
  /** The definition: the first maximum in reading order, or the last NaN. */
  private static void naive(
      float[] x, float[] y, int[] arg, int planes, int h, int w, int oh, int ow, int k, int s) {
    for (int c = 0; c < planes; c++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int o = (c * oh + oy) * ow + ox;
          int at = -1;
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
              int idx = c * h * w + (oy * s + i) * w + ox * s + j;
              float v = x[idx];
              if (at < 0 || Float.isNaN(v) || (!Float.isNaN(x[at]) && v > x[at])) {
                at = idx;
              }
            }
          }
          y[o] = x[at];
          arg[o] = at;
        }
      }
    }
  }

  private static float[] values(Rng r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(20);
      x[i] =
          kind == 0
              ? 0f
              : kind == 1
                  ? -0f
                  : kind == 2
                      ? 1f
                      : kind == 3 && r.nextInt(8) == 0 ? Float.NaN : r.nextFloat() * 2 - 1;
    }
    return x;
  }

  @Test
  void everyKernelKeepsTheFirstMaximumOrTheLastNan() {
    PoolKernel vector = VectorModule.load("VectorPools", PoolKernel.class);
    String expect = System.getProperty("nerve.test.expectVector");
    if (expect != null) {
      assertEquals(Boolean.parseBoolean(expect), vector != null, "Vector API module presence");
    }
    Rng r = new Rng(17);
    for (int trial = 0; trial < 300; trial++) {
      int k = 1 + r.nextInt(4);
      int s = 1 + r.nextInt(3);
      int h = k + r.nextInt(30);
      int w = k + r.nextInt(30);
      int oh = (h - k) / s + 1;
      int ow = (w - k) / s + 1;
      int planes = 1 + r.nextInt(5);
      float[] x = values(r, planes * h * w);
      float[] want = new float[planes * oh * ow];
      int[] wantArg = new int[want.length];
      naive(x, want, wantArg, planes, h, w, oh, ow, k, s);
      // A range of planes, as the threads split them.
      int from = r.nextInt(planes);
      int to = from + 1 + r.nextInt(planes - from);
      for (PoolKernel kernel :
          vector == null
              ? new PoolKernel[] {Pools.SCALAR}
              : new PoolKernel[] {Pools.SCALAR, vector}) {
        float[] y = new float[want.length];
        int[] arg = new int[want.length];
        kernel.maxPool(x, y, arg, from, to, h, w, oh, ow, k, s);
        for (int o = from * oh * ow; o < to * oh * ow; o++) {
          String where =
              kernel.getClass().getSimpleName()
                  + " k"
                  + k
                  + " s"
                  + s
                  + " "
                  + h
                  + "x"
                  + w
                  + " output "
                  + o;
          assertEquals(Float.floatToRawIntBits(want[o]), Float.floatToRawIntBits(y[o]), where);
          assertEquals(wantArg[o], arg[o], where);
        }
        // Outside the range nothing is written.
        for (int o = 0; o < from * oh * ow; o++) {
          assertEquals(0, arg[o]);
        }
        float[] noArg = new float[want.length];
        kernel.maxPool(x, noArg, null, from, to, h, w, oh, ow, k, s);
        assertArrayEquals(y, noArg);
      }
    }
  }

  /**
   * 2 × 2 windows every 2 take their own vector path (no gathers) once a row has half a vector of
   * windows: rows of one and several vectors, ragged ends, odd widths, windows whose reads would
   * pass the end of the array, and a range of planes.
   */
  @Test
  void twoByTwoPoolingOfWideRowsMatchesTheDefinition() {
    PoolKernel vector = VectorModule.load("VectorPools", PoolKernel.class);
    PoolKernel[] kernels =
        vector == null ? new PoolKernel[] {Pools.SCALAR} : new PoolKernel[] {Pools.SCALAR, vector};
    Rng r = new Rng(19);
    for (int w : new int[] {15, 16, 17, 28, 31, 33, 40, 64, 70}) {
      for (int h : new int[] {2, 3, 28}) {
        int planes = 1 + r.nextInt(3);
        int oh = (h - 2) / 2 + 1;
        int ow = (w - 2) / 2 + 1;
        float[] x = values(r, planes * h * w);
        float[] want = new float[planes * oh * ow];
        int[] wantArg = new int[want.length];
        naive(x, want, wantArg, planes, h, w, oh, ow, 2, 2);
        int from = planes > 1 ? 1 : 0;
        for (PoolKernel kernel : kernels) {
          float[] y = new float[want.length];
          int[] arg = new int[want.length];
          kernel.maxPool(x, y, arg, from, planes, h, w, oh, ow, 2, 2);
          for (int o = 0; o < want.length; o++) {
            String where = kernel.getClass().getSimpleName() + " " + h + "x" + w + " output " + o;
            if (o < from * oh * ow) {
              assertEquals(0, arg[o], "outside the range, " + where);
              continue;
            }
            assertEquals(Float.floatToRawIntBits(want[o]), Float.floatToRawIntBits(y[o]), where);
            assertEquals(wantArg[o], arg[o], where);
          }
        }
      }
    }
  }
}
