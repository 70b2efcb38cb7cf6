package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nerve.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The direct convolution: the plain-Java kernel against a definition in double precision, and the
 * Vector API kernel against the plain one bit for bit, on random shapes (1-7 channels in, 1-9, 16
 * or 32 out, kernels 1-5, padding up to k - 1, planes narrower and wider than a vector), with zeros
 * of both signs among the values. That the two equal the lowered path (im2col and the matrix
 * multiply) to the bit is {@code nn.ConvDirectTest}'s.
 */
class ConvsTest {
  private record Case(int c, int out, int k, int pad, int h, int w, boolean bias) {
    int oh() {
      return h + 2 * pad - k + 1;
    }

    int ow() {
      return w + 2 * pad - k + 1;
    }
  }

  private static Case draw(Rng r) {
    int k = 1 + r.nextInt(5);
    int pad = r.nextInt(k);
    int h = Math.max(1, k - 2 * pad) + r.nextInt(20);
    int w = Math.max(1, k - 2 * pad) + r.nextInt(40);
    // A quarter with 16 or 32 output channels: whole vectors of channels take another kernel.
    int out = r.nextInt(4) == 0 ? 16 * (1 + r.nextInt(2)) : 1 + r.nextInt(9);
    return new Case(1 + r.nextInt(7), out, k, pad, h, w, r.nextInt(3) > 0);
  }

  private static float[] values(Rng r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(16);
      x[i] = kind == 0 ? 0f : kind == 1 ? -0f : r.nextFloat() * 2 - 1;
    }
    return x;
  }

  /**
   * Images 1 and 2 of a batch of 3 into an output with 64 floats spare: image 0's output and the
   * spare floats must be left alone.
   */
  private static float[] forward(ConvKernel kernel, Case t, float[] x, float[] wt, float[] b) {
    int outSize = t.out() * t.oh() * t.ow();
    float[] y = new float[3 * outSize + 64];
    java.util.Arrays.fill(y, 7f);
    kernel.forward(x, 1, 3, t.c(), t.h(), t.w(), wt, b, t.out(), t.k(), t.pad(), y);
    return y;
  }

  private static float[] backward(ConvKernel kernel, Case t, float[] dy, float[] wt) {
    int in = t.c() * t.h() * t.w();
    int outSize = t.out() * t.oh() * t.ow();
    float[] dx = new float[2 + 2 * in + 64]; // spare floats past the last image stay 7
    java.util.Arrays.fill(dx, 7f);
    kernel.backwardInput(dy, 1, t.out(), wt, t.c(), t.h(), t.w(), t.k(), t.pad(), dx, 2);
    kernel.backwardInput(
        dy, 1 + outSize, t.out(), wt, t.c(), t.h(), t.w(), t.k(), t.pad(), dx, 2 + in);
    return dx;
  }

  @Test
  void thePlainKernelIsTheDefinition() {
    Rng r = new Rng(31);
    for (int n = 0; n < 60; n++) {
      Case t = draw(r);
      float[] x = values(r, 3 * t.c() * t.h() * t.w());
      float[] wt = values(r, t.out() * t.c() * t.k() * t.k());
      float[] b = t.bias() ? values(r, t.out()) : null;
      float[] y = forward(Convs.SCALAR, t, x, wt, b);
      int outSize = t.out() * t.oh() * t.ow();
      for (int i = 0; i < outSize; i++) {
        assertEquals(7f, y[i], "image 0's output");
      }
      for (int i = 3 * outSize; i < y.length; i++) {
        assertEquals(7f, y[i], "past the last image");
      }
      for (int img = 1; img < 3; img++) {
        for (int o = 0; o < t.out(); o++) {
          for (int oy = 0; oy < t.oh(); oy++) {
            for (int ox = 0; ox < t.ow(); ox++) {
              double s = b == null ? 0 : b[o];
              for (int ch = 0; ch < t.c(); ch++) {
                for (int i = 0; i < t.k(); i++) {
                  for (int j = 0; j < t.k(); j++) {
                    int iy = oy + i - t.pad();
                    int ix = ox + j - t.pad();
                    if (iy >= 0 && iy < t.h() && ix >= 0 && ix < t.w()) {
                      s +=
                          (double) wt[((o * t.c() + ch) * t.k() + i) * t.k() + j]
                              * x[img * t.c() * t.h() * t.w() + (ch * t.h() + iy) * t.w() + ix];
                    }
                  }
                }
              }
              float got = y[img * outSize + (o * t.oh() + oy) * t.ow() + ox];
              assertEquals(s, got, 1e-5 * (1 + Math.abs(s)) + 1e-6 * t.c() * t.k() * t.k(), t + "");
            }
          }
        }
      }
      // The input gradient: every output's weights spread back onto the taps it read.
      float[] dy = values(r, 1 + 2 * outSize);
      float[] dx = backward(Convs.SCALAR, t, dy, wt);
      int in = t.c() * t.h() * t.w();
      double[] want = new double[2 * in];
      for (int img = 0; img < 2; img++) {
        for (int o = 0; o < t.out(); o++) {
          for (int oy = 0; oy < t.oh(); oy++) {
            for (int ox = 0; ox < t.ow(); ox++) {
              double g = dy[1 + img * outSize + (o * t.oh() + oy) * t.ow() + ox];
              for (int ch = 0; ch < t.c(); ch++) {
                for (int i = 0; i < t.k(); i++) {
                  for (int j = 0; j < t.k(); j++) {
                    int iy = oy + i - t.pad();
                    int ix = ox + j - t.pad();
                    if (iy >= 0 && iy < t.h() && ix >= 0 && ix < t.w()) {
                      want[img * in + (ch * t.h() + iy) * t.w() + ix] +=
                          g * wt[((o * t.c() + ch) * t.k() + i) * t.k() + j];
                    }
                  }
                }
              }
            }
          }
        }
      }
      assertEquals(7f, dx[1], "before the gradient");
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], dx[2 + i], 1e-5 * (1 + Math.abs(want[i])) + 1e-5, t + " at " + i);
      }
    }
  }

  @Test
  void theVectorKernelGivesThePlainKernelsBits() {
    ConvKernel vector = VectorModule.load("VectorConvs", ConvKernel.class);
    String expect = System.getProperty("nerve.test.expectVector");
    if (expect != null) {
      assertEquals(Boolean.parseBoolean(expect), vector != null, "Vector API module presence");
    }
    assumeTrue(vector != null, "the Vector API module is not present");
    Rng r = new Rng(32);
    for (int n = 0; n < 300; n++) {
      Case t = draw(r);
      float[] x = values(r, 3 * t.c() * t.h() * t.w());
      float[] wt = values(r, t.out() * t.c() * t.k() * t.k());
      float[] b = t.bias() ? values(r, t.out()) : null;
      assertArrayEquals(
          forward(Convs.SCALAR, t, x, wt, b), forward(vector, t, x, wt, b), "forward " + t);
      float[] dy = values(r, 1 + 2 * t.out() * t.oh() * t.ow());
      assertArrayEquals(
          backward(Convs.SCALAR, t, dy, wt), backward(vector, t, dy, wt), "backward " + t);
    }
  }

  @Test
  void onlyStrideOneUndilatedWithPaddingBelowTheKernelIsDirect() {
    assertFalse(Convs.direct(2, 1, 3, 1));
    assertFalse(Convs.direct(1, 2, 3, 1));
    assertFalse(Convs.direct(1, 1, 3, 3));
    assertEquals(Gemm.vectorized(), Convs.direct(1, 1, 3, 2));
    assertTrue(!Convs.direct(1, 1, 5, 2) || Gemm.vectorized());
  }
}
