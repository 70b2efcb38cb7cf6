package dev.nerve.tensor.kernel;

/** Rows of A dotted with rows of B: see {@link Dots}. */
interface DotKernel {
  /**
   * Adds the terms {@code [k0, k1)} of every dot product of rows {@code [0, m)} of A with rows
   * {@code [j0, j1)} of B into {@code partial} (16 floats per (i, j), row-major over {@code i} then
   * {@code j}, {@code j} counted from 0 for all of B): term {@code k} into sum {@code k mod 16}.
   */
  void partials(
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
      float[] partial);
}
