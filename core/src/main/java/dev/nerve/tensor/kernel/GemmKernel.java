package dev.nerve.tensor.kernel;

/**
 * One implementation of the single-threaded matrix multiply {@code C = op(A) * op(B)} or {@code C
 * += op(A) * op(B)} on row-major arrays.
 *
 * <p>Contract shared by every implementation: each element {@code C[i][j]} is computed as a
 * sequence of fused multiply-adds over {@code k = 0 .. K-1} in increasing order, starting from
 * {@code 0} (or from the old {@code C[i][j]} when accumulating). Implementations therefore give
 * bit-identical results, and so does any split of {@code C} across threads.
 */
interface GemmKernel {
  /**
   * Multiplies.
   *
   * @param transA use A transposed: A is stored as K x M with leading dimension {@code lda}
   * @param transB use B transposed: B is stored as N x K with leading dimension {@code ldb}
   * @param m rows of op(A) and C
   * @param n columns of op(B) and C
   * @param k columns of op(A), rows of op(B)
   * @param accumulate add into C instead of overwriting it
   */
  void gemm(
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
      boolean accumulate);

  /** A short name for reports: {@code "vector-512"} or {@code "scalar"}. */
  String name();
}
