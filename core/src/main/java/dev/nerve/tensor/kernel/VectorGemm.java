package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix multiply on the JDK Vector API, in the manner of GotoBLAS/BLIS: op(B) is packed into
 * panels of {@link #NR} columns, op(A) into strips of {@link #MR} rows, both zero-padded to whole
 * tiles, and a register-blocked micro-kernel computes one MR x NR tile of C from a strip and a
 * panel. Blocks of {@link #KC} along k keep a B panel in L1 and an A block in L2.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present (see {@link Gemm}); never
 * reference this class directly from code that must run without it.
 */
final class VectorGemm implements GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Rows of a register tile. */
  static final int MR = 8;

  /** Columns of a register tile: two vectors. */
  static final int NR = 2 * L;

  /** Depth of a block along k. */
  static final int KC = 256;

  /** Rows of C per block of packed A (a multiple of MR). */
  static final int MC = 96;

  /** Columns of C per block of packed B (a multiple of NR). */
  static final int NC = 2048 / NR * NR;

  /** Up to this many rows of C, full panels of B are read in place rather than packed. */
  static final int DIRECT_B_MAX_M = 128;

  private static final class Buffers {
    final float[] packedA = new float[MC * KC];
    final float[] packedB = new float[KC * NC];
    final float[] tile = new float[MR * NR];
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  VectorGemm() {}

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
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
    if (k == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
      }
      return;
    }
    if (!transB && m < MR) {
      streamRows(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
      return;
    }
    // With few rows of C, each packed element of B would serve only a few multiply-adds:
    // read whole panels of B where they lie instead, and pack only a ragged last panel.
    boolean directB = !transB && m <= DIRECT_B_MAX_M;
    Buffers buf = BUFFERS.get();
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        boolean loadC = accumulate || pc > 0;
        int fullPanels = directB ? nc / NR * NR : 0;
        if (fullPanels < nc) {
          packB(transB, b, bOff, ldb, pc, kc, jc + fullPanels, nc - fullPanels, buf.packedB);
        }
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          packA(transA, a, aOff, lda, ic, mc, pc, kc, buf.packedA);
          for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            float[] pb;
            int bStrip;
            int bStride;
            if (jr < fullPanels) {
              pb = b;
              bStrip = bOff + pc * ldb + jc + jr;
              bStride = ldb;
            } else {
              pb = buf.packedB;
              bStrip = (jr - fullPanels) * kc; // packed panels start after the direct ones
              bStride = NR;
            }
            for (int ir = 0; ir < mc; ir += MR) {
              int mr = Math.min(MR, mc - ir);
              int aStrip = ir * kc;
              int ci = cOff + (ic + ir) * ldc + jc + jr;
              if (mr == MR && nr == NR) {
                kernel(kc, buf.packedA, aStrip, pb, bStrip, bStride, c, ci, ldc, loadC);
              } else {
                float[] t = buf.tile;
                if (loadC) {
                  for (int r = 0; r < mr; r++) {
                    System.arraycopy(c, ci + r * ldc, t, r * NR, nr);
                  }
                }
                kernel(kc, buf.packedA, aStrip, pb, bStrip, bStride, t, 0, NR, loadC);
                for (int r = 0; r < mr; r++) {
                  System.arraycopy(t, r * NR, c, ci + r * ldc, nr);
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * Fewer rows than a register tile (batch-1 inference, say): each row of C is built along the rows
   * of B, four vectors of columns at a time, with no packing at all. Every element still
   * accumulates over k in order with fused multiply-adds.
   */
  private static void streamRows(
      boolean transA,
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
    int n8 = n - n % (8 * L);
    int n4 = n - n % (4 * L);
    int n1 = n - n % L;
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      int ai = transA ? aOff + i : aOff + i * lda;
      int aStep = transA ? lda : 1;
      // Eight vectors of columns at a time: eight independent chains of multiply-adds keep both
      // FMA units busy despite their latency (four chains leave half the throughput unused).
      for (int j = 0; j < n8; j += 8 * L) {
        streamEight(k, a, ai, aStep, b, bOff + j, ldb, c, ci + j, accumulate);
      }
      for (int j = n8; j < n4; j += 4 * L) {
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        if (accumulate) {
          c0 = FloatVector.fromArray(S, c, ci + j);
          c1 = FloatVector.fromArray(S, c, ci + j + L);
          c2 = FloatVector.fromArray(S, c, ci + j + 2 * L);
          c3 = FloatVector.fromArray(S, c, ci + j + 3 * L);
        } else {
          c0 = FloatVector.zero(S);
          c1 = c0;
          c2 = c0;
          c3 = c0;
        }
        for (int p = 0; p < k; p++) {
          FloatVector av = FloatVector.broadcast(S, a[ai + p * aStep]);
          int bp = bOff + p * ldb + j;
          c0 = FloatVector.fromArray(S, b, bp).fma(av, c0);
          c1 = FloatVector.fromArray(S, b, bp + L).fma(av, c1);
          c2 = FloatVector.fromArray(S, b, bp + 2 * L).fma(av, c2);
          c3 = FloatVector.fromArray(S, b, bp + 3 * L).fma(av, c3);
        }
        c0.intoArray(c, ci + j);
        c1.intoArray(c, ci + j + L);
        c2.intoArray(c, ci + j + 2 * L);
        c3.intoArray(c, ci + j + 3 * L);
      }
      for (int j = n4; j < n1; j += L) {
        FloatVector c0 = accumulate ? FloatVector.fromArray(S, c, ci + j) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          FloatVector av = FloatVector.broadcast(S, a[ai + p * aStep]);
          c0 = FloatVector.fromArray(S, b, bOff + p * ldb + j).fma(av, c0);
        }
        c0.intoArray(c, ci + j);
      }
      for (int j = n1; j < n; j++) {
        float acc = accumulate ? c[ci + j] : 0f;
        for (int p = 0; p < k; p++) {
          acc = Math.fma(a[ai + p * aStep], b[bOff + p * ldb + j], acc);
        }
        c[ci + j] = acc;
      }
    }
  }

  /** One row of C, eight vectors of columns from {@code ci}: see {@link #streamRows}. */
  private static void streamEight(
      int k,
      float[] a,
      int ai,
      int aStep,
      float[] b,
      int bj,
      int ldb,
      float[] c,
      int ci,
      boolean accumulate) {
    FloatVector c0;
    FloatVector c1;
    FloatVector c2;
    FloatVector c3;
    FloatVector c4;
    FloatVector c5;
    FloatVector c6;
    FloatVector c7;
    if (accumulate) {
      c0 = FloatVector.fromArray(S, c, ci);
      c1 = FloatVector.fromArray(S, c, ci + L);
      c2 = FloatVector.fromArray(S, c, ci + 2 * L);
      c3 = FloatVector.fromArray(S, c, ci + 3 * L);
      c4 = FloatVector.fromArray(S, c, ci + 4 * L);
      c5 = FloatVector.fromArray(S, c, ci + 5 * L);
      c6 = FloatVector.fromArray(S, c, ci + 6 * L);
      c7 = FloatVector.fromArray(S, c, ci + 7 * L);
    } else {
      c0 = FloatVector.zero(S);
      c1 = c0;
      c2 = c0;
      c3 = c0;
      c4 = c0;
      c5 = c0;
      c6 = c0;
      c7 = c0;
    }
    for (int p = 0; p < k; p++) {
      FloatVector av = FloatVector.broadcast(S, a[ai + p * aStep]);
      int bp = bj + p * ldb;
      c0 = FloatVector.fromArray(S, b, bp).fma(av, c0);
      c1 = FloatVector.fromArray(S, b, bp + L).fma(av, c1);
      c2 = FloatVector.fromArray(S, b, bp + 2 * L).fma(av, c2);
      c3 = FloatVector.fromArray(S, b, bp + 3 * L).fma(av, c3);
      c4 = FloatVector.fromArray(S, b, bp + 4 * L).fma(av, c4);
      c5 = FloatVector.fromArray(S, b, bp + 5 * L).fma(av, c5);
      c6 = FloatVector.fromArray(S, b, bp + 6 * L).fma(av, c6);
      c7 = FloatVector.fromArray(S, b, bp + 7 * L).fma(av, c7);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + L);
    c2.intoArray(c, ci + 2 * L);
    c3.intoArray(c, ci + 3 * L);
    c4.intoArray(c, ci + 4 * L);
    c5.intoArray(c, ci + 5 * L);
    c6.intoArray(c, ci + 6 * L);
    c7.intoArray(c, ci + 7 * L);
  }

  /** Packs rows [ic, ic+mc) x cols [pc, pc+kc) of op(A) into MR-row strips, laid out [k][MR]. */
  private static void packA(
      boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst) {
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int base = ir * kc;
      if (transA) {
        // op(A)[i][p] = A[p][i]: the MR values for one p are contiguous in A.
        for (int p = 0; p < kc; p++) {
          int src = aOff + (pc + p) * lda + ic + ir;
          int d = base + p * MR;
          System.arraycopy(a, src, dst, d, mr);
          for (int r = mr; r < MR; r++) {
            dst[d + r] = 0f;
          }
        }
      } else {
        for (int r = 0; r < mr; r++) {
          int src = aOff + (ic + ir + r) * lda + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = a[src + p];
          }
        }
        for (int r = mr; r < MR; r++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = 0f;
          }
        }
      }
    }
  }

  /** Packs rows [pc, pc+kc) x cols [jc, jc+nc) of op(B) into NR-column panels, laid out [k][NR]. */
  private static void packB(
      boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] dst) {
    for (int jr = 0; jr < nc; jr += NR) {
      int nr = Math.min(NR, nc - jr);
      int base = jr * kc;
      if (nr < NR) {
        // A narrow last panel: zero it whole, once, then write its columns (one fill per row of
        // a few floats cost more than the copy: an eighth of LeNet-5's epoch).
        java.util.Arrays.fill(dst, base, base + kc * NR, 0f);
      }
      if (transB) {
        // op(B)[p][j] = B[j][p]: walk B's rows, scatter into the panel.
        for (int col = 0; col < nr; col++) {
          int src = bOff + (jc + jr + col) * ldb + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * NR + col] = b[src + p];
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          System.arraycopy(b, bOff + (pc + p) * ldb + jc + jr, dst, base + p * NR, nr);
        }
      }
    }
  }

  /**
   * C[0..MR)[0..NR) (+)= packedA strip x packedB panel over kc, accumulators in registers. Sixteen
   * accumulators, two B vectors and one broadcast fit the 32 AVX-512 registers.
   */
  private static void kernel(
      int kc,
      float[] pa,
      int ai,
      float[] pb,
      int bi,
      int bStride,
      float[] c,
      int ci,
      int ldc,
      boolean loadC) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
    if (loadC) {
      c00 = FloatVector.fromArray(S, c, ci);
      c01 = FloatVector.fromArray(S, c, ci + L);
      c10 = FloatVector.fromArray(S, c, ci + ldc);
      c11 = FloatVector.fromArray(S, c, ci + ldc + L);
      c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
      c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
      c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
      c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
      c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
      c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + L);
      c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
      c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + L);
      c60 = FloatVector.fromArray(S, c, ci + 6 * ldc);
      c61 = FloatVector.fromArray(S, c, ci + 6 * ldc + L);
      c70 = FloatVector.fromArray(S, c, ci + 7 * ldc);
      c71 = FloatVector.fromArray(S, c, ci + 7 * ldc + L);
    } else {
      FloatVector z = FloatVector.zero(S);
      c00 = z;
      c01 = z;
      c10 = z;
      c11 = z;
      c20 = z;
      c21 = z;
      c30 = z;
      c31 = z;
      c40 = z;
      c41 = z;
      c50 = z;
      c51 = z;
      c60 = z;
      c61 = z;
      c70 = z;
      c71 = z;
    }
    for (int p = 0; p < kc; p++) {
      int bo = bi + p * bStride;
      int ao = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(S, pb, bo);
      FloatVector b1 = FloatVector.fromArray(S, pb, bo + L);
      FloatVector av = FloatVector.broadcast(S, pa[ao]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      av = FloatVector.broadcast(S, pa[ao + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      av = FloatVector.broadcast(S, pa[ao + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      av = FloatVector.broadcast(S, pa[ao + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      av = FloatVector.broadcast(S, pa[ao + 4]);
      c40 = b0.fma(av, c40);
      c41 = b1.fma(av, c41);
      av = FloatVector.broadcast(S, pa[ao + 5]);
      c50 = b0.fma(av, c50);
      c51 = b1.fma(av, c51);
      av = FloatVector.broadcast(S, pa[ao + 6]);
      c60 = b0.fma(av, c60);
      c61 = b1.fma(av, c61);
      av = FloatVector.broadcast(S, pa[ao + 7]);
      c70 = b0.fma(av, c70);
      c71 = b1.fma(av, c71);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + L);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + L);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + L);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + L);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + L);
  }
}
