package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The sigmoid and tanh of the recurrent layers: close to the exact functions, and the same bits
 * from the Vector API kernel as from the plain loop (the build runs this with and without the
 * module; with it, both kernels are compared directly).
 */
class CurvesTest {
  private static float[] values() {
    Rng r = new Rng(3);
    float[] v = new float[4099]; // not a multiple of any lane count: the tail runs too
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 30 : 3));
    }
    float[] edges = {0f, -0f, 1e-30f, -1e-30f, 88f, -88f, 89f, -89f, 1000f, -1000f, 1e-4f, 20f};
    System.arraycopy(edges, 0, v, 0, edges.length);
    return v;
  }

  @Test
  void closeToTheExactFunctions() {
    float[] x = values();
    float[] s = x.clone();
    float[] t = x.clone();
    Curves.sigmoidInPlace(s, 0, s.length);
    Curves.tanhInPlace(t, 0, t.length);
    for (int i = 0; i < x.length; i++) {
      double sig = 1 / (1 + Math.exp(-x[i]));
      double th = Math.tanh(x[i]);
      assertEquals(sig, s[i], 2e-7 + 4e-7 * sig, "sigmoid(" + x[i] + ")");
      assertEquals(th, t[i], 2.5e-7, "tanh(" + x[i] + ")");
      if (Math.abs(x[i]) < 80) {
        double e = Math.exp(x[i]);
        assertEquals(e, Curves.exp(x[i]), 3e-7 * e, "exp(" + x[i] + ")");
      }
    }
    float[] nan = {Float.NaN};
    Curves.tanhInPlace(nan, 0, 1);
    assertTrue(Float.isNaN(nan[0]));
  }

  @Test
  void theVectorKernelGivesThePlainLoopsBits() {
    CurveKernel vector = VectorModule.load("VectorCurves", CurveKernel.class);
    String expect = System.getProperty("nerve.test.expectVector");
    if (expect != null) {
      assertEquals(Boolean.parseBoolean(expect), vector != null, "Vector API module presence");
    }
    if (vector == null) {
      return; // without the module only the plain loop exists; the other run compares both
    }
    float[] x = values();
    for (int from : new int[] {0, 1, 5}) {
      float[] a = x.clone();
      float[] b = x.clone();
      Curves.SCALAR.sigmoid(a, from, a.length - 2);
      vector.sigmoid(b, from, b.length - 2);
      for (int i = 0; i < a.length; i++) {
        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "sigmoid " + i);
      }
      a = x.clone();
      b = x.clone();
      Curves.SCALAR.tanh(a, from, a.length - 2);
      vector.tanh(b, from, b.length - 2);
      for (int i = 0; i < a.length; i++) {
        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "tanh " + i);
      }
    }
  }
}
