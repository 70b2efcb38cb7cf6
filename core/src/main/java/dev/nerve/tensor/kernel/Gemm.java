package dev.nerve.tensor.kernel;

/**
 * The matrix multiply facade: {@code C = op(A) * op(B)} or {@code C += op(A) * op(B)} on row-major
 * float arrays, where {@code op(X)} is X or its transpose. Every size-based choice lives here and
 * nowhere else: small products run a direct loop, larger ones the packed Vector API kernel when the
 * {@code jdk.incubator.vector} module is present (run the JVM with {@code --add-modules
 * jdk.incubator.vector}) or the plain-Java kernel when it is not, and large ones are split across
 * {@link Parallel}'s threads.
 *
 * <p>Whatever the path, each {@code C[i][j]} is a sequence of fused multiply-adds over k in
 * increasing order, so results are bit-identical across paths and thread counts.
 */
public final class Gemm {
  /** Below this many multiply-adds the packing of the blocked kernel does not pay. */
  static final long SMALL = 16L * 16 * 16;

  /** Below this many multiply-adds a second thread costs more than it saves. */
  static final long PARALLEL = 96L * 96 * 96;

  /** From this many elements of B, a product with few rows of C is split across threads. */
  static final long STREAM_PARALLEL = 1L << 16;

  private static final GemmKernel VECTOR = VectorModule.load("VectorGemm", GemmKernel.class);
  private static final boolean FORCE_SCALAR = Boolean.getBoolean("nerve.scalar");

  private Gemm() {}

  /** True when the Vector API kernel is in use. */
  public static boolean vectorized() {
    return VECTOR != null && !FORCE_SCALAR;
  }

  /** The kernel in use for large products, such as {@code "vector-512"} or {@code "scalar"}. */
  public static String backend() {
    return vectorized() ? VECTOR.name() : ScalarGemm.INSTANCE.name();
  }

  /**
   * {@code C = op(A) * op(B)}, or {@code C += op(A) * op(B)} when {@code accumulate}.
   *
   * <p>Shapes: op(A) is m x k, op(B) is k x n, C is m x n, all row-major with the given offsets and
   * leading dimensions (the distance between the starts of two rows). Only {@code c} is modified.
   *
   * @param transA A is stored k x m and used transposed
   * @param transB B is stored n x k and used transposed
   * @param m rows of C
   * @param n columns of C
   * @param k columns of op(A), rows of op(B)
   * @param accumulate add into C instead of overwriting it
   * @throws IndexOutOfBoundsException if an array is too short for its dimensions
   */
  public static void gemm(
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
    gemm(
        vectorized() ? VECTOR : ScalarGemm.INSTANCE,
        transA,
        transB,
        m,
        n,
        k,
        a,
        aOff,
        lda,
        b,
        bOff,
        ldb,
        c,
        cOff,
        ldc,
        accumulate,
        Parallel.threads());
  }

  /**
   * The same, with the large-product kernel and thread count chosen by the caller (tests,
   * benchmarks).
   */
  static void gemm(
      GemmKernel kernel,
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
      boolean accumulate,
      int threads) {
    checkBounds(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    long work = (long) m * n * k;
    if (work < SMALL) {
      ScalarGemm.INSTANCE.gemm(
          transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
      return;
    }
    // A few rows of C against a large B (inference on one example, say) is bound by reading B:
    // splitting its columns lets each core stream half of it, worth a hand-over well before the
    // multiply-adds alone would be.
    boolean streaming = m < 8 && !transB && (long) k * n >= STREAM_PARALLEL;
    int parts = work < PARALLEL && !streaming ? 1 : threads;
    // Split C along its larger side into equal bands; each band is a whole sub-product.
    boolean byRows = m >= n;
    int extent = byRows ? m : n;
    parts = Math.min(parts, Math.max(1, extent / 16));
    if (parts <= 1) {
      kernel.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
      return;
    }
    int align = 16;
    int band = ((extent + parts - 1) / parts + align - 1) / align * align;
    int p = (extent + band - 1) / band;
    Parallel.forEach(
        p,
        part -> {
          int from = part * band;
          int len = Math.min(band, extent - from);
          if (byRows) {
            int ao = transA ? aOff + from : aOff + from * lda;
            kernel.gemm(
                transA,
                transB,
                len,
                n,
                k,
                a,
                ao,
                lda,
                b,
                bOff,
                ldb,
                c,
                cOff + from * ldc,
                ldc,
                accumulate);
          } else {
            int bo = transB ? bOff + from * ldb : bOff + from;
            kernel.gemm(
                transA,
                transB,
                m,
                len,
                k,
                a,
                aOff,
                lda,
                b,
                bo,
                ldb,
                c,
                cOff + from,
                ldc,
                accumulate);
          }
        });
  }

  /** The Vector API kernel, or null without the module (tests). */
  static GemmKernel vectorKernel() {
    return VECTOR;
  }

  private static void checkBounds(
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
      int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative size m=" + m + " n=" + n + " k=" + k);
    }
    if (m == 0 || n == 0) {
      return;
    }
    checkMatrix("C", c, cOff, m, n, ldc);
    if (k == 0) {
      return;
    }
    checkMatrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
    checkMatrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
  }

  private static void checkMatrix(String name, float[] x, int off, int rows, int cols, int ld) {
    if (ld < cols || off < 0 || (long) off + (long) (rows - 1) * ld + cols > x.length) {
      throw new IndexOutOfBoundsException(
          name
              + " of "
              + rows
              + "x"
              + cols
              + " (leading dimension "
              + ld
              + ", offset "
              + off
              + ") does not fit an array of "
              + x.length);
    }
  }
}
