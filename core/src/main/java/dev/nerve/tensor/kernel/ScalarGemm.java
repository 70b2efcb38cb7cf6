package dev.nerve.tensor.kernel;

/**
 * The plain-Java matrix multiply: used for small products and whenever the Vector API module is
 * absent. Blocks of 4 x 4 elements of C are accumulated in local variables over the whole of k (C2
 * does not vectorise {@link Math#fma} loops, so registers are the win), the rest row by row; either
 * way each {@code C[i][j]} is a sequence of fused multiply-adds over k in order (the {@link
 * GemmKernel} contract), so results match the Vector API kernel bit for bit.
 */
final class ScalarGemm implements GemmKernel {
  static final ScalarGemm INSTANCE = new ScalarGemm();

  private static final ThreadLocal<float[]> TRANSPOSED_B =
      ThreadLocal.withInitial(() -> new float[0]);

  private ScalarGemm() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
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
    float[] bb = b;
    int bo = bOff;
    int ld = ldb;
    if (transB && n > 1) {
      // Copy op(B) into a contiguous K x N block so the inner loop runs along a row.
      int need = k * n;
      float[] t = TRANSPOSED_B.get();
      if (t.length < need) {
        t = new float[need];
        TRANSPOSED_B.set(t);
      }
      for (int j = 0; j < n; j++) {
        int src = bOff + j * ldb;
        for (int p = 0; p < k; p++) {
          t[p * n + j] = b[src + p];
        }
      }
      bb = t;
      bo = 0;
      ld = n;
      transB = false;
    }
    int m4 = m - m % 4;
    int n4 = transB ? 0 : n - n % 4;
    for (int i = 0; i < m4; i += 4) {
      for (int j = 0; j < n4; j += 4) {
        tile4x4(transA, k, a, aOff, lda, i, bb, bo, ld, j, c, cOff + i * ldc + j, ldc, accumulate);
      }
    }
    // What the 4 x 4 tiles did not cover: the last columns of the tiled rows, then the last rows.
    for (int i = 0; i < m; i++) {
      int j0 = i < m4 ? n4 : 0;
      if (j0 < n) {
        rowTail(
            transA, transB, k, a, aOff, lda, i, bb, bo, ld, j0, n, c, cOff + i * ldc, accumulate);
      }
    }
  }

  /** One row of C from column {@code j0} to {@code n}: i-k-j order, fused multiply-adds. */
  private static void rowTail(
      boolean transA,
      boolean transB,
      int k,
      float[] a,
      int aOff,
      int lda,
      int i,
      float[] bb,
      int bo,
      int ld,
      int j0,
      int n,
      float[] c,
      int ci,
      boolean accumulate) {
    if (!accumulate) {
      for (int j = j0; j < n; j++) {
        c[ci + j] = 0f;
      }
    }
    for (int p = 0; p < k; p++) {
      float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
      if (transB) { // only when n == 1: B is a column stored as a row
        c[ci] = Math.fma(aip, bb[bo + p], c[ci]);
      } else {
        int bp = bo + p * ld;
        for (int j = j0; j < n; j++) {
          c[ci + j] = Math.fma(aip, bb[bp + j], c[ci + j]);
        }
      }
    }
  }

  /**
   * A 4 x 4 block of C held in sixteen local accumulators over all of k: eight loads feed sixteen
   * fused multiply-adds, where the row loop needs three memory operations for one.
   */
  private static void tile4x4(
      boolean transA,
      int k,
      float[] a,
      int aOff,
      int lda,
      int i,
      float[] b,
      int bo,
      int ldb,
      int j,
      float[] c,
      int ci,
      int ldc,
      boolean accumulate) {
    float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    if (accumulate) {
      c00 = c[ci];
      c01 = c[ci + 1];
      c02 = c[ci + 2];
      c03 = c[ci + 3];
      c10 = c[ci + ldc];
      c11 = c[ci + ldc + 1];
      c12 = c[ci + ldc + 2];
      c13 = c[ci + ldc + 3];
      c20 = c[ci + 2 * ldc];
      c21 = c[ci + 2 * ldc + 1];
      c22 = c[ci + 2 * ldc + 2];
      c23 = c[ci + 2 * ldc + 3];
      c30 = c[ci + 3 * ldc];
      c31 = c[ci + 3 * ldc + 1];
      c32 = c[ci + 3 * ldc + 2];
      c33 = c[ci + 3 * ldc + 3];
    }
    int a0 = aOff + i * lda;
    for (int p = 0; p < k; p++) {
      float x0;
      float x1;
      float x2;
      float x3;
      if (transA) {
        int ap = aOff + p * lda + i;
        x0 = a[ap];
        x1 = a[ap + 1];
        x2 = a[ap + 2];
        x3 = a[ap + 3];
      } else {
        x0 = a[a0 + p];
        x1 = a[a0 + lda + p];
        x2 = a[a0 + 2 * lda + p];
        x3 = a[a0 + 3 * lda + p];
      }
      int bp = bo + p * ldb + j;
      float y0 = b[bp];
      float y1 = b[bp + 1];
      float y2 = b[bp + 2];
      float y3 = b[bp + 3];
      c00 = Math.fma(x0, y0, c00);
      c01 = Math.fma(x0, y1, c01);
      c02 = Math.fma(x0, y2, c02);
      c03 = Math.fma(x0, y3, c03);
      c10 = Math.fma(x1, y0, c10);
      c11 = Math.fma(x1, y1, c11);
      c12 = Math.fma(x1, y2, c12);
      c13 = Math.fma(x1, y3, c13);
      c20 = Math.fma(x2, y0, c20);
      c21 = Math.fma(x2, y1, c21);
      c22 = Math.fma(x2, y2, c22);
      c23 = Math.fma(x2, y3, c23);
      c30 = Math.fma(x3, y0, c30);
      c31 = Math.fma(x3, y1, c31);
      c32 = Math.fma(x3, y2, c32);
      c33 = Math.fma(x3, y3, c33);
    }
    c[ci] = c00;
    c[ci + 1] = c01;
    c[ci + 2] = c02;
    c[ci + 3] = c03;
    c[ci + ldc] = c10;
    c[ci + ldc + 1] = c11;
    c[ci + ldc + 2] = c12;
    c[ci + ldc + 3] = c13;
    c[ci + 2 * ldc] = c20;
    c[ci + 2 * ldc + 1] = c21;
    c[ci + 2 * ldc + 2] = c22;
    c[ci + 2 * ldc + 3] = c23;
    c[ci + 3 * ldc] = c30;
    c[ci + 3 * ldc + 1] = c31;
    c[ci + 3 * ldc + 2] = c32;
    c[ci + 3 * ldc + 3] = c33;
  }
}
