package dev.nerve.tensor.kernel;

/**
 * The plain-Java matrix multiply: used for small products and whenever the Vector API module is
 * absent. Loop order i-k-j with {@link Math#fma}, which the JIT vectorises over j, and each {@code
 * C[i][j]} still sums over k in order (the {@link GemmKernel} contract).
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
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      if (!accumulate) {
        for (int j = 0; j < n; j++) {
          c[ci + j] = 0f;
        }
      }
      for (int p = 0; p < k; p++) {
        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        if (transB) { // only when n == 1: B is a column stored as a row
          c[ci] = Math.fma(aip, bb[bo + p], c[ci]);
        } else {
          int bp = bo + p * ld;
          for (int j = 0; j < n; j++) {
            c[ci + j] = Math.fma(aip, bb[bp + j], c[ci + j]);
          }
        }
      }
    }
  }
}
