package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Dots} on the Vector API, loaded through {@link VectorModule} only: the 16 partial sums of
 * a dot product are the lanes of one 16-float vector (512-bit), each lane a fused multiply-add per
 * term, exactly as the plain loop; tiles of 4 (or 2) rows of A by 4 rows of B share their loads.
 * Without 16-float vectors, the plain loop (the same bits).
 */
final class VectorDots implements DotKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final boolean WIDE = S.length() == Dots.LANES;

  VectorDots() {}

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
    int span = k1 - k0;
    int whole = span / Dots.LANES * Dots.LANES;
    if (!WIDE || whole == 0) {
      Dots.SCALAR.partials(m, j0, j1, n, k0, k1, a, aOff, lda, b, bOff, ldb, partial);
      return;
    }
    int kv = k0 + whole; // terms [k0, kv) on lanes (k0 is a multiple of 16), the rest one by one
    int i = 0;
    for (; i + 3 < m; i += 4) {
      int j = j0;
      for (; j + 3 < j1; j += 4) {
        square(i, j, n, k0, kv, a, aOff, lda, b, bOff, ldb, partial);
      }
      for (; j < j1; j++) {
        for (int r = i; r < i + 4; r++) {
          one(r, j, n, k0, kv, a, aOff, lda, b, bOff, ldb, partial);
        }
      }
    }
    for (; i + 1 < m; i += 2) {
      int j = j0;
      for (; j + 3 < j1; j += 4) {
        tile(i, j, n, k0, kv, a, aOff, lda, b, bOff, ldb, partial);
      }
      for (; j < j1; j++) {
        one(i, j, n, k0, kv, a, aOff, lda, b, bOff, ldb, partial);
        one(i + 1, j, n, k0, kv, a, aOff, lda, b, bOff, ldb, partial);
      }
    }
    for (; i < m; i++) {
      for (int j = j0; j < j1; j++) {
        one(i, j, n, k0, kv, a, aOff, lda, b, bOff, ldb, partial);
      }
    }
    if (kv < k1) {
      Dots.SCALAR.partials(m, j0, j1, n, kv, k1, a, aOff, lda, b, bOff, ldb, partial);
    }
  }

  private static void one(
      int i,
      int j,
      int n,
      int k0,
      int kv,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] partial) {
    int p = (i * n + j) * Dots.LANES;
    FloatVector acc = FloatVector.fromArray(S, partial, p);
    int ai = aOff + i * lda;
    int bj = bOff + j * ldb;
    for (int q = k0; q < kv; q += Dots.LANES) {
      acc = FloatVector.fromArray(S, a, ai + q).fma(FloatVector.fromArray(S, b, bj + q), acc);
    }
    acc.intoArray(partial, p);
  }

  /** Rows i..i+3 of A with rows j..j+3 of B: sixteen sums, each load used four times. */
  private static void square(
      int i,
      int j,
      int n,
      int k0,
      int kv,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] partial) {
    int l = Dots.LANES;
    int p0 = (i * n + j) * l;
    int p1 = p0 + n * l;
    int p2 = p1 + n * l;
    int p3 = p2 + n * l;
    FloatVector c00 = FloatVector.fromArray(S, partial, p0);
    FloatVector c01 = FloatVector.fromArray(S, partial, p0 + l);
    FloatVector c02 = FloatVector.fromArray(S, partial, p0 + 2 * l);
    FloatVector c03 = FloatVector.fromArray(S, partial, p0 + 3 * l);
    FloatVector c10 = FloatVector.fromArray(S, partial, p1);
    FloatVector c11 = FloatVector.fromArray(S, partial, p1 + l);
    FloatVector c12 = FloatVector.fromArray(S, partial, p1 + 2 * l);
    FloatVector c13 = FloatVector.fromArray(S, partial, p1 + 3 * l);
    FloatVector c20 = FloatVector.fromArray(S, partial, p2);
    FloatVector c21 = FloatVector.fromArray(S, partial, p2 + l);
    FloatVector c22 = FloatVector.fromArray(S, partial, p2 + 2 * l);
    FloatVector c23 = FloatVector.fromArray(S, partial, p2 + 3 * l);
    FloatVector c30 = FloatVector.fromArray(S, partial, p3);
    FloatVector c31 = FloatVector.fromArray(S, partial, p3 + l);
    FloatVector c32 = FloatVector.fromArray(S, partial, p3 + 2 * l);
    FloatVector c33 = FloatVector.fromArray(S, partial, p3 + 3 * l);
    int a0 = aOff + i * lda;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int b0 = bOff + j * ldb;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    for (int q = k0; q < kv; q += l) {
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + q);
      FloatVector y1 = FloatVector.fromArray(S, b, b1 + q);
      FloatVector y2 = FloatVector.fromArray(S, b, b2 + q);
      FloatVector y3 = FloatVector.fromArray(S, b, b3 + q);
      FloatVector x = FloatVector.fromArray(S, a, a0 + q);
      c00 = x.fma(y0, c00);
      c01 = x.fma(y1, c01);
      c02 = x.fma(y2, c02);
      c03 = x.fma(y3, c03);
      x = FloatVector.fromArray(S, a, a1 + q);
      c10 = x.fma(y0, c10);
      c11 = x.fma(y1, c11);
      c12 = x.fma(y2, c12);
      c13 = x.fma(y3, c13);
      x = FloatVector.fromArray(S, a, a2 + q);
      c20 = x.fma(y0, c20);
      c21 = x.fma(y1, c21);
      c22 = x.fma(y2, c22);
      c23 = x.fma(y3, c23);
      x = FloatVector.fromArray(S, a, a3 + q);
      c30 = x.fma(y0, c30);
      c31 = x.fma(y1, c31);
      c32 = x.fma(y2, c32);
      c33 = x.fma(y3, c33);
    }
    c00.intoArray(partial, p0);
    c01.intoArray(partial, p0 + l);
    c02.intoArray(partial, p0 + 2 * l);
    c03.intoArray(partial, p0 + 3 * l);
    c10.intoArray(partial, p1);
    c11.intoArray(partial, p1 + l);
    c12.intoArray(partial, p1 + 2 * l);
    c13.intoArray(partial, p1 + 3 * l);
    c20.intoArray(partial, p2);
    c21.intoArray(partial, p2 + l);
    c22.intoArray(partial, p2 + 2 * l);
    c23.intoArray(partial, p2 + 3 * l);
    c30.intoArray(partial, p3);
    c31.intoArray(partial, p3 + l);
    c32.intoArray(partial, p3 + 2 * l);
    c33.intoArray(partial, p3 + 3 * l);
  }

  /** Rows i, i+1 of A with rows j..j+3 of B: eight sums, each load used two or four times. */
  private static void tile(
      int i,
      int j,
      int n,
      int k0,
      int kv,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] partial) {
    int p0 = (i * n + j) * Dots.LANES;
    int p1 = ((i + 1) * n + j) * Dots.LANES;
    int l = Dots.LANES;
    FloatVector c00 = FloatVector.fromArray(S, partial, p0);
    FloatVector c01 = FloatVector.fromArray(S, partial, p0 + l);
    FloatVector c02 = FloatVector.fromArray(S, partial, p0 + 2 * l);
    FloatVector c03 = FloatVector.fromArray(S, partial, p0 + 3 * l);
    FloatVector c10 = FloatVector.fromArray(S, partial, p1);
    FloatVector c11 = FloatVector.fromArray(S, partial, p1 + l);
    FloatVector c12 = FloatVector.fromArray(S, partial, p1 + 2 * l);
    FloatVector c13 = FloatVector.fromArray(S, partial, p1 + 3 * l);
    int a0 = aOff + i * lda;
    int a1 = a0 + lda;
    int b0 = bOff + j * ldb;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    for (int q = k0; q < kv; q += l) {
      FloatVector x0 = FloatVector.fromArray(S, a, a0 + q);
      FloatVector x1 = FloatVector.fromArray(S, a, a1 + q);
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + q);
      FloatVector y1 = FloatVector.fromArray(S, b, b1 + q);
      FloatVector y2 = FloatVector.fromArray(S, b, b2 + q);
      FloatVector y3 = FloatVector.fromArray(S, b, b3 + q);
      c00 = x0.fma(y0, c00);
      c01 = x0.fma(y1, c01);
      c02 = x0.fma(y2, c02);
      c03 = x0.fma(y3, c03);
      c10 = x1.fma(y0, c10);
      c11 = x1.fma(y1, c11);
      c12 = x1.fma(y2, c12);
      c13 = x1.fma(y3, c13);
    }
    c00.intoArray(partial, p0);
    c01.intoArray(partial, p0 + l);
    c02.intoArray(partial, p0 + 2 * l);
    c03.intoArray(partial, p0 + 3 * l);
    c10.intoArray(partial, p1);
    c11.intoArray(partial, p1 + l);
    c12.intoArray(partial, p1 + 2 * l);
    c13.intoArray(partial, p1 + 3 * l);
  }
}
