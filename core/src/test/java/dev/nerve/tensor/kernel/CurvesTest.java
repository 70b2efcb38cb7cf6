package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The sigmoid and tanh of the recurrent layers, and GELU: close to the exact functions, and the
 * same bits from the Vector API kernel as from the plain loop (the build runs this with and without
 * the module; with it, both kernels are compared directly).
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
      float[] dy = values();
      float[] ga = new float[x.length];
      float[] gb = new float[x.length];
      Curves.SCALAR.gelu(x, ga, from, x.length - 2);
      vector.gelu(x, gb, from, x.length - 2);
      float[] da = new float[x.length];
      float[] db = new float[x.length];
      Curves.SCALAR.geluBackward(x, dy, da, from, x.length - 2);
      vector.geluBackward(x, dy, db, from, x.length - 2);
      for (int i = 0; i < x.length; i++) {
        assertEquals(Float.floatToRawIntBits(ga[i]), Float.floatToRawIntBits(gb[i]), "gelu " + i);
        assertEquals(Float.floatToRawIntBits(da[i]), Float.floatToRawIntBits(db[i]), "gelu' " + i);
      }
      for (float slope : new float[] {0f, 0.01f, -0.5f}) {
        float[] ra = new float[x.length];
        float[] rb = new float[x.length];
        Curves.SCALAR.leakyReluBackward(slope, x, dy, ra, from, x.length - 2);
        vector.leakyReluBackward(slope, x, dy, rb, from, x.length - 2);
        for (int i = 0; i < x.length; i++) {
          assertEquals(
              Float.floatToRawIntBits(ra[i]),
              Float.floatToRawIntBits(rb[i]),
              "leaky ReLU' " + slope + " at " + i);
        }
      }
    }
  }

  /** erf(x) in double by its Maclaurin series (|x| < 3) or continued fraction: a reference. */
  private static double erf(double x) {
    double z = Math.abs(x);
    double r;
    if (z < 3) {
      double term = z;
      double sum = z;
      for (int n = 1; n < 200; n++) {
        term *= -z * z / n;
        sum += term / (2 * n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = 0; // erfc by the continued fraction, from the back
      for (int n = 60; n >= 1; n--) {
        f = n / 2.0 / (z + f);
      }
      r = 1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
    }
    return x < 0 ? -r : r;
  }

  @Test
  void geluAndItsSlopeAreCloseToTheExactFunctions() {
    float[] x = values();
    float[] y = new float[x.length];
    float[] ones = new float[x.length];
    java.util.Arrays.fill(ones, 1f);
    float[] slope = new float[x.length];
    Curves.gelu(x, y, 0, x.length);
    Curves.geluBackward(x, ones, slope, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      double cdf = 0.5 * (1 + erf(v / Math.sqrt(2)));
      double g = v * cdf;
      double s = cdf + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
      assertEquals(g, y[i], 1e-30 + 1e-6 * Math.abs(g) + 1e-7, "gelu(" + v + ")");
      assertEquals(s, slope[i], 1e-6 * Math.abs(s) + 1e-7, "gelu'(" + v + ")");
      assertEquals(y[i], Curves.gelu(x[i]), 0f, "one value as the range");
    }
  }
}
