package dev.nerve.tensor.kernel;

/**
 * {@code C (+)= A·Bᵀ} where A ({@code m × k}) and B ({@code n × k}) both hold their k values
 * contiguously: every element of C is a dot product of a row of A with a row of B. The matrix
 * multiply would have to transpose B into panels first — for a convolution's weight gradient, with
 * few rows and a very long k (every output position of the batch), that copy cost several times the
 * arithmetic; here the rows are read where they lie.
 *
 * <p>The order of the arithmetic is fixed, so the plain-Java loop and the Vector API kernel give
 * the same bits on any thread count and any vector width: term {@code k} is added into partial sum
 * {@code k mod 16} with a fused multiply-add, in increasing {@code k}; the 16 sums are then added
 * pairwise ({@code s[l] + s[l + 8]}, then {@code + 4}, {@code + 2}, {@code + 1}); threads split the
 * rows of B, each element computed by one thread.
 */
public final class Dots {
  /** The interleaved partial sums of every dot product. */
  static final int LANES = 16;

  private static final DotKernel VECTOR = VectorModule.load("VectorDots", DotKernel.class);
  static final DotKernel SCALAR = new ScalarDots();

  /** Terms per block of k: a block of B's rows stays in cache while every row of A meets it. */
  static final int KB = 1024;

  private Dots() {}

  static DotKernel kernel() {
    return VECTOR != null && Gemm.vectorized() ? VECTOR : SCALAR;
  }

  /**
   * {@code c[i][j] = Σ_k a[i][k]·b[j][k]} (or {@code +=} with {@code accumulate}) for {@code i <
   * m}, {@code j < n}, in the order the class comment gives.
   */
  public static void gemmNT(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    run(kernel(), m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  static void run(
      DotKernel kernel,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    if (m == 0 || n == 0) {
      return;
    }
    float[] partial = new float[m * n * LANES];
    // Rows of B across threads, in parts of whole work (some 2^18 multiply-adds each).
    long work = (long) m * k;
    int grain = (int) Math.max(1, Math.min(n, (1L << 18) / Math.max(1, work)));
    Parallel.forRanges(
        n,
        grain,
        (j0, j1) -> {
          for (int k0 = 0; k0 < k; k0 += KB) {
            kernel.partials(
                m, j0, j1, n, k0, Math.min(k, k0 + KB), a, aOff, lda, b, bOff, ldb, partial);
          }
          for (int i = 0; i < m; i++) {
            for (int j = j0; j < j1; j++) {
              float s = reduce(partial, (i * n + j) * LANES);
              int ci = cOff + i * ldc + j;
              c[ci] = accumulate ? c[ci] + s : s;
            }
          }
        });
  }

  /** The 16 partial sums at {@code at}, added pairwise. */
  static float reduce(float[] p, int at) {
    // In locals, not an array per element: (l, l+8), then (l, l+4), then (l, l+2), then (0, 1).
    float t0 = p[at] + p[at + 8];
    float t1 = p[at + 1] + p[at + 9];
    float t2 = p[at + 2] + p[at + 10];
    float t3 = p[at + 3] + p[at + 11];
    float t4 = p[at + 4] + p[at + 12];
    float t5 = p[at + 5] + p[at + 13];
    float t6 = p[at + 6] + p[at + 14];
    float t7 = p[at + 7] + p[at + 15];
    t0 += t4;
    t1 += t5;
    t2 += t6;
    t3 += t7;
    t0 += t2;
    t1 += t3;
    return t0 + t1;
  }

  /** The definition, one term at a time: also the kernel without the Vector API. */
  static final class ScalarDots implements DotKernel {
    @Override
    public void partials(
        int m,
        int j0,
        int j1,
        int n,
        int k0,
        int k1,
        float[] a,
        int aOff,
        int lda,
        float[] b,
        int bOff,
        int ldb,
        float[] partial) {
      for (int i = 0; i < m; i++) {
        for (int j = j0; j < j1; j++) {
          int p = (i * n + j) * LANES;
          int ai = aOff + i * lda;
          int bj = bOff + j * ldb;
          for (int q = k0; q < k1; q++) {
            int l = p + (q & (LANES - 1));
            partial[l] = Math.fma(a[ai + q], b[bj + q], partial[l]);
          }
        }
      }
    }
  }
}
