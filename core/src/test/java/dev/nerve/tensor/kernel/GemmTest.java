package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nerve.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The matrix multiply against a naive double-precision reference on random shapes, and the
 * reproducibility promise: every kernel and every thread count give the same bits.
 *
 * <p>Surefire runs this class twice: with {@code --add-modules jdk.incubator.vector} ({@code
 * nerve.test.expectVector=true}) and without it ({@code false}).
 */
class GemmTest {
  private static final int[] EDGE = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 95, 97, 130};

  /** Naive reference in double: C (+)= op(A) op(B). */
  static double[] reference(
      boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c0, boolean acc) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = acc ? c0[i * n + j] : 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[p * m + i] : a[i * k + p];
          double bv = tb ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  private static float[] random(Rng rng, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = rng.nextFloat() * 2f - 1f;
    }
    return x;
  }

  private static List<GemmKernel> kernels() {
    List<GemmKernel> ks = new ArrayList<>();
    ks.add(ScalarGemm.INSTANCE);
    if (Gemm.vectorKernel() != null) {
      ks.add(Gemm.vectorKernel());
    }
    return ks;
  }

  private static void check(
      GemmKernel kernel,
      int threads,
      boolean ta,
      boolean tb,
      int m,
      int n,
      int k,
      boolean acc,
      Rng rng) {
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] c = random(rng, m * n);
    float[] c0 = c.clone();
    Gemm.gemm(kernel, ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, acc, threads);
    double[] ref = reference(ta, tb, m, n, k, a, b, c0, acc);
    for (int i = 0; i < m * n; i++) {
      // Each product of values in [-1, 1] rounds by at most 2^-24 of its size; k of them.
      double tol = 1e-6 * (k + 1) * 4;
      if (Math.abs(c[i] - ref[i]) > tol) {
        fail(
            kernel.name()
                + " threads="
                + threads
                + " ta="
                + ta
                + " tb="
                + tb
                + " m="
                + m
                + " n="
                + n
                + " k="
                + k
                + " acc="
                + acc
                + ": C["
                + i / n
                + "]["
                + i % n
                + "] = "
                + c[i]
                + ", reference "
                + ref[i]);
      }
    }
  }

  @Test
  void edgeSizesAllTransposesAllKernels() {
    Rng rng = new Rng(1);
    for (GemmKernel kernel : kernels()) {
      for (int m : EDGE) {
        for (int n : new int[] {0, 1, 5, 17, 33, 64, 100}) {
          for (int k : new int[] {0, 1, 3, 16, 37}) {
            for (int t = 0; t < 4; t++) {
              check(kernel, 1, (t & 1) != 0, (t & 2) != 0, m, n, k, t % 3 == 0, rng);
            }
          }
        }
      }
    }
  }

  @Test
  void randomShapesThroughBlockBoundaries() {
    Rng rng = new Rng(2);
    for (GemmKernel kernel : kernels()) {
      for (int trial = 0; trial < 40; trial++) {
        int m = 1 + rng.nextInt(300);
        int n = 1 + rng.nextInt(300);
        int k = 1 + rng.nextInt(600); // crosses the KC = 256 block boundary
        check(
            kernel,
            1 + rng.nextInt(2),
            rng.nextInt(2) == 1,
            rng.nextInt(2) == 1,
            m,
            n,
            k,
            rng.nextInt(2) == 1,
            rng);
      }
    }
  }

  @Test
  void sameBitsForEveryKernelAndThreadCount() {
    Rng rng = new Rng(3);
    // Square, the MLP's products at batch 64 (B read in place), batch-1 and few-row products
    // (rows streamed), and a 10-wide output layer (a ragged, packed last panel).
    int[][] shapes = {
      {200, 150, 300},
      {64, 256, 784},
      {784, 256, 64},
      {5, 700, 130},
      {333, 2, 50},
      {1, 256, 784},
      {3, 70, 33},
      {7, 100, 600},
      {64, 10, 128},
      {128, 40, 300},
      {129, 64, 20}
    };
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        int m = s[0];
        int n = s[1];
        int k = s[2];
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] c0 = random(rng, m * n);
        float[] expected = null;
        for (GemmKernel kernel : kernels()) {
          for (int threads : new int[] {1, 2, 3}) {
            for (boolean acc : new boolean[] {false, true}) {
              float[] c = c0.clone();
              Gemm.gemm(
                  kernel,
                  ta,
                  tb,
                  m,
                  n,
                  k,
                  a,
                  0,
                  ta ? m : k,
                  b,
                  0,
                  tb ? k : n,
                  c,
                  0,
                  n,
                  acc,
                  threads);
              if (acc) {
                continue;
              }
              if (expected == null) {
                expected = c;
              } else {
                assertArrayEquals(
                    expected,
                    c,
                    kernel.name()
                        + " threads="
                        + threads
                        + " "
                        + java.util.Arrays.toString(s)
                        + " ta="
                        + ta
                        + " tb="
                        + tb);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void offsetsAndLeadingDimensionsAreHonoured() {
    Rng rng = new Rng(4);
    for (GemmKernel kernel : kernels()) {
      int m = 37;
      int n = 41;
      int k = 29;
      int lda = k + 3;
      int ldb = n + 5;
      int ldc = n + 2;
      float[] a = random(rng, 7 + m * lda);
      float[] b = random(rng, 11 + k * ldb);
      float[] c = new float[5 + m * ldc];
      float[] before = c.clone();
      Gemm.gemm(kernel, false, false, m, n, k, a, 7, lda, b, 11, ldb, c, 5, ldc, false, 2);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < ldc; j++) {
          int idx = 5 + i * ldc + j;
          if (j >= n) {
            assertEquals(before[idx], c[idx], "padding column written at " + i + "," + j);
            continue;
          }
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += (double) a[7 + i * lda + p] * b[11 + p * ldb + j];
          }
          assertEquals(s, c[idx], 1e-4, kernel.name() + " at " + i + "," + j);
        }
      }
      assertEquals(0f, c[0]);
    }
  }

  @Test
  void tooShortArraysAreRefused() {
    assertThrows(
        IndexOutOfBoundsException.class,
        () ->
            Gemm.gemm(
                false,
                false,
                2,
                2,
                2,
                new float[3],
                0,
                2,
                new float[4],
                0,
                2,
                new float[4],
                0,
                2,
                false));
  }

  @Test
  void backendMatchesWhetherTheVectorModuleIsPresent() {
    String expect = System.getProperty("nerve.test.expectVector");
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (expect != null) {
      assertEquals(
          Boolean.parseBoolean(expect),
          present,
          "the surefire run was meant to "
              + (Boolean.parseBoolean(expect) ? "have" : "lack")
              + " the Vector API module");
    }
    if (present) {
      assertNotNull(Gemm.vectorKernel());
      assertEquals(Gemm.vectorKernel().name(), Gemm.backend());
    } else {
      assertNull(Gemm.vectorKernel());
      assertEquals("scalar", Gemm.backend());
    }
  }
}
