package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Rows dotted with rows ({@code C = A·Bᵀ}): against a double-precision reference on random shapes
 * (k shorter than the 16 partial sums, not a multiple of them, longer than a block), and the vector
 * kernel, every thread count and the plain loop giving the same bits.
 */
class DotsTest {
  private static float[] random(Rng r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextFloat() * 2 - 1;
    }
    return v;
  }

  @Test
  void rowsDottedWithRowsInOneFixedOrder() {
    DotKernel vector = VectorModule.load("VectorDots", DotKernel.class);
    String expect = System.getProperty("nerve.test.expectVector");
    if (expect != null) {
      assertEquals(Boolean.parseBoolean(expect), vector != null, "Vector API module presence");
    }
    Rng r = new Rng(23);
    int[] ks = {1, 7, 16, 33, 250, 1024, 1040, 3001};
    int before = Parallel.threads();
    try {
      for (int trial = 0; trial < 40; trial++) {
        int m = 1 + r.nextInt(9);
        int n = 1 + r.nextInt(30);
        int k = ks[trial % ks.length];
        int lda = k + r.nextInt(3);
        int ldb = k + r.nextInt(3);
        int ldc = n + r.nextInt(3);
        float[] a = random(r, m * lda + 2);
        float[] b = random(r, n * ldb + 1);
        float[] start = random(r, m * ldc);
        boolean accumulate = trial % 2 == 1;
        float[] want = start.clone();
        Parallel.setThreads(1);
        Dots.run(Dots.SCALAR, m, n, k, a, 2, lda, b, 1, ldb, want, 0, ldc, accumulate);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = accumulate ? start[i * ldc + j] : 0;
            double abs = Math.abs(s);
            for (int q = 0; q < k; q++) {
              double t = (double) a[2 + i * lda + q] * b[1 + j * ldb + q];
              s += t;
              abs += Math.abs(t);
            }
            assertEquals(s, want[i * ldc + j], 1e-6 * abs + 1e-7, "m" + m + " n" + n + " k" + k);
          }
        }
        for (int threads : new int[] {1, 2, 3}) {
          Parallel.setThreads(threads);
          for (DotKernel kernel :
              vector == null
                  ? new DotKernel[] {Dots.SCALAR}
                  : new DotKernel[] {Dots.SCALAR, vector}) {
            float[] got = start.clone();
            Dots.run(kernel, m, n, k, a, 2, lda, b, 1, ldb, got, 0, ldc, accumulate);
            for (int q = 0; q < got.length; q++) {
              assertEquals(
                  Float.floatToRawIntBits(want[q]),
                  Float.floatToRawIntBits(got[q]),
                  kernel.getClass().getSimpleName()
                      + " "
                      + threads
                      + " threads, m"
                      + m
                      + " n"
                      + n
                      + " k"
                      + k
                      + " at "
                      + q);
            }
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
