package dev.nerve.tensor;

import dev.nerve.tensor.kernel.ElementWise;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Reduce;
import java.util.Arrays;
import java.util.Locale;

/**
 * A dense array of {@code float}s with a {@link Shape}, stored contiguously in row-major order:
 * element {@code [r][c]} of a matrix of {@code C} columns is {@code data()[r * C + c]}.
 *
 * <p>Methods that return a new tensor leave their receiver alone; methods that change the receiver
 * end in {@code InPlace} or write to an explicit {@code out} argument. In a batch of examples, rows
 * are examples and columns are features, as in the tutorials' {@code X}.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[][] {{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}}); // [3, 4]
 * Tensor w = Tensor.zeros(4, 3);
 * Tensor h = x.matmul(w);                                                        // [3, 3]
 * }</pre>
 */
public final class Tensor {
  private final Shape shape;
  private final float[] data;

  private Tensor(Shape shape, float[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** A tensor of zeros. */
  public static Tensor zeros(int... dims) {
    Shape s = Shape.of(dims);
    return new Tensor(s, new float[s.size()]);
  }

  /** A tensor with every element equal to {@code value}. */
  public static Tensor full(float value, int... dims) {
    Tensor t = zeros(dims);
    Arrays.fill(t.data, value);
    return t;
  }

  /**
   * A tensor over {@code data} (not copied: later writes to either are seen by both).
   *
   * @throws IllegalArgumentException if {@code data.length} is not the shape's size
   */
  public static Tensor wrap(float[] data, int... dims) {
    Shape s = Shape.of(dims);
    if (s.size() != data.length) {
      throw new IllegalArgumentException(
          "shape " + s + " holds " + s.size() + " values but the array has " + data.length);
    }
    return new Tensor(s, data);
  }

  /** A vector (rank 1) holding a copy of {@code values}. */
  public static Tensor of(float... values) {
    return new Tensor(Shape.of(values.length), values.clone());
  }

  /**
   * A matrix holding a copy of {@code rows}.
   *
   * @throws IllegalArgumentException if the rows have different lengths
   */
  public static Tensor of(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] d = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[r], 0, d, r * cols, cols);
    }
    return new Tensor(Shape.of(rows.length, cols), d);
  }

  /** A matrix from double rows, each value rounded to the nearest float. */
  public static Tensor of(double[][] rows) {
    float[][] f = new float[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      f[r] = new float[rows[r].length];
      for (int c = 0; c < f[r].length; c++) {
        f[r][c] = (float) rows[r][c];
      }
    }
    return of(f);
  }

  /** Uniform values in [lo, hi) drawn from {@code rng}. */
  public static Tensor uniform(Rng rng, float lo, float hi, int... dims) {
    Tensor t = zeros(dims);
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = lo + (hi - lo) * rng.nextFloat();
    }
    return t;
  }

  /** Normal values with the given mean and standard deviation drawn from {@code rng}. */
  public static Tensor normal(Rng rng, float mean, float std, int... dims) {
    Tensor t = zeros(dims);
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = (float) (mean + std * rng.nextGaussian());
    }
    return t;
  }

  /** The shape. */
  public Shape shape() {
    return shape;
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.rank();
  }

  /** Number of elements. */
  public int size() {
    return data.length;
  }

  /** Rows of a matrix (the first dimension). */
  public int rows() {
    requireRank(2, "rows()");
    return shape.dim(0);
  }

  /** Columns of a matrix (the second dimension). */
  public int cols() {
    requireRank(2, "cols()");
    return shape.dim(1);
  }

  /**
   * The backing array, row-major. Writing to it changes the tensor; this is how kernels and layers
   * work without copies.
   */
  public float[] data() {
    return data;
  }

  /** Element at the given indices (one per dimension). */
  public float get(int... idx) {
    return data[offset(idx)];
  }

  /** Sets the element at the given indices; returns this tensor. */
  public Tensor setInPlace(float value, int... idx) {
    data[offset(idx)] = value;
    return this;
  }

  private int offset(int[] idx) {
    if (idx.length != shape.rank()) {
      throw new IllegalArgumentException(
          idx.length + " indices for a tensor of shape " + shape + " (rank " + shape.rank() + ")");
    }
    int o = 0;
    for (int i = 0; i < idx.length; i++) {
      int d = shape.dim(i);
      if (idx[i] < 0 || idx[i] >= d) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(idx) + " out of bounds for shape " + shape);
      }
      o = o * d + idx[i];
    }
    return o;
  }

  /** A copy that shares nothing with this tensor. */
  public Tensor copy() {
    return new Tensor(shape, data.clone());
  }

  /**
   * The same data seen with another shape of the same size (not copied).
   *
   * @throws IllegalArgumentException if the sizes differ
   */
  public Tensor reshape(int... dims) {
    Shape s = Shape.of(dims);
    if (s.size() != data.length) {
      throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
    }
    return new Tensor(s, data);
  }

  /** The rows of a matrix as arrays (a copy). */
  public float[][] toArray2d() {
    int r = rows();
    int c = cols();
    float[][] out = new float[r][c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(data, i * c, out[i], 0, c);
    }
    return out;
  }

  /** The rows {@code from .. to-1} of a matrix, as a new matrix. */
  public Tensor sliceRows(int from, int to) {
    int c = cols();
    if (from < 0 || to > rows() || from > to) {
      throw new IndexOutOfBoundsException(
          "rows " + from + ".." + to + " out of bounds for shape " + shape);
    }
    return new Tensor(Shape.of(to - from, c), Arrays.copyOfRange(data, from * c, to * c));
  }

  // ---- arithmetic -------------------------------------------------------------------------

  /** Matrix product {@code this [m, k] x other [k, n] -> [m, n]}. */
  public Tensor matmul(Tensor other) {
    return matmul(this, false, other, false);
  }

  /**
   * {@code op(a) x op(b)} as a new matrix, where {@code op} transposes when its flag is set.
   *
   * @throws ShapeMismatchException if the inner dimensions differ
   */
  public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
    a.requireRank(2, "matmul");
    b.requireRank(2, "matmul");
    int m = transA ? a.cols() : a.rows();
    int n = transB ? b.rows() : b.cols();
    Tensor out = zeros(m, n);
    matmul(a, transA, b, transB, out, false);
    return out;
  }

  /**
   * {@code out = op(a) x op(b)}, or {@code out += op(a) x op(b)} when {@code accumulate}. Shapes:
   * op(a) is [m, k], op(b) is [k, n], {@code out} is [m, n] and is the only argument modified.
   *
   * @throws ShapeMismatchException if the shapes do not agree, naming all three
   */
  public static void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor out, boolean accumulate) {
    a.requireRank(2, "matmul");
    b.requireRank(2, "matmul");
    out.requireRank(2, "matmul");
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != kb || out.rows() != m || out.cols() != n) {
      throw new ShapeMismatchException(
          "matmul: "
              + (transA ? "A^T" : "A")
              + " of "
              + a.shape
              + " times "
              + (transB ? "B^T" : "B")
              + " of "
              + b.shape
              + " into "
              + out.shape
              + " (need op(A) [m, k], op(B) [k, n], out [m, n])");
    }
    Gemm.gemm(
        transA,
        transB,
        m,
        n,
        k,
        a.data,
        0,
        a.cols(),
        b.data,
        0,
        b.cols(),
        out.data,
        0,
        n,
        accumulate);
  }

  /** A new tensor with {@code f} applied to every element. */
  public Tensor map(FloatUnaryOperator f) {
    Tensor out = new Tensor(shape, new float[data.length]);
    ElementWise.map(data, out.data, data.length, f);
    return out;
  }

  /** Applies {@code f} to every element of this tensor; returns this tensor. */
  public Tensor mapInPlace(FloatUnaryOperator f) {
    ElementWise.map(data, data, data.length, f);
    return this;
  }

  /** A new tensor of {@code f(this[i], other[i])}; the shapes must be equal. */
  public Tensor zip(Tensor other, FloatBinaryOperator f) {
    requireSameShape(other, "zip");
    Tensor out = new Tensor(shape, new float[data.length]);
    ElementWise.zip(data, other.data, out.data, data.length, f);
    return out;
  }

  /** {@code this + other} as a new tensor. */
  public Tensor add(Tensor other) {
    return copy().addInPlace(other);
  }

  /** {@code this - other} as a new tensor. */
  public Tensor sub(Tensor other) {
    requireSameShape(other, "sub");
    Tensor out = new Tensor(shape, new float[data.length]);
    ElementWise.sub(data, other.data, out.data, data.length);
    return out;
  }

  /** {@code this * other} element by element, as a new tensor. */
  public Tensor mul(Tensor other) {
    requireSameShape(other, "mul");
    Tensor out = new Tensor(shape, new float[data.length]);
    ElementWise.mul(data, other.data, out.data, data.length);
    return out;
  }

  /** {@code s * this} as a new tensor. */
  public Tensor scale(float s) {
    return copy().scaleInPlace(s);
  }

  /** {@code this += other}; returns this tensor. */
  public Tensor addInPlace(Tensor other) {
    requireSameShape(other, "addInPlace");
    ElementWise.add(data, other.data, data, data.length);
    return this;
  }

  /** {@code this += alpha * other}; returns this tensor. */
  public Tensor addScaledInPlace(Tensor other, float alpha) {
    requireSameShape(other, "addScaledInPlace");
    ElementWise.axpy(alpha, other.data, data, data.length);
    return this;
  }

  /** {@code this *= s}; returns this tensor. */
  public Tensor scaleInPlace(float s) {
    ElementWise.scale(s, data, data, data.length);
    return this;
  }

  /** Sets every element to {@code value}; returns this tensor. */
  public Tensor fillInPlace(float value) {
    Arrays.fill(data, value);
    return this;
  }

  /** Copies {@code src}'s values into this tensor (same size); returns this tensor. */
  public Tensor copyFromInPlace(Tensor src) {
    if (src.data.length != data.length) {
      throw new ShapeMismatchException(
          "copyFromInPlace: source " + src.shape + " into " + shape + " (sizes differ)");
    }
    System.arraycopy(src.data, 0, data, 0, data.length);
    return this;
  }

  /** The sum of each column of a matrix, shape [cols] (numpy {@code sum(axis=0)}). */
  public Tensor columnSums() {
    Tensor out = zeros(cols());
    Reduce.columnSums(data, rows(), cols(), out.data, false);
    return out;
  }

  /** The sum of each row of a matrix, shape [rows] (numpy {@code sum(axis=1)}). */
  public Tensor rowSums() {
    Tensor out = zeros(rows());
    Reduce.rowSums(data, rows(), cols(), out.data);
    return out;
  }

  /** The column of each row's largest value. */
  public int[] argmaxRows() {
    int[] out = new int[rows()];
    Reduce.argmaxRows(data, rows(), cols(), out);
    return out;
  }

  /** The sum of all elements, accumulated in double. */
  public double sum() {
    return Reduce.sum(data, data.length);
  }

  /** True if no element is NaN or infinite. */
  public boolean allFinite() {
    return ElementWise.allFinite(data, data.length);
  }

  // ---- checks and printing ----------------------------------------------------------------

  private void requireRank(int rank, String op) {
    if (shape.rank() != rank) {
      throw new ShapeMismatchException(
          op + " needs a tensor of rank " + rank + ", got shape " + shape);
    }
  }

  private void requireSameShape(Tensor other, String op) {
    if (!shape.equals(other.shape)) {
      throw new ShapeMismatchException(
          op + ": shapes " + shape + " and " + other.shape + " differ");
    }
  }

  /**
   * Prints like numpy: {@code [[0.98032, 0.96846], [0.04532, 0.1]]}, values to five significant
   * digits; use {@link #get} or {@link #data()} for exact values.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    append(sb, 0, 0);
    return sb.toString();
  }

  private int append(StringBuilder sb, int dim, int offset) {
    if (shape.rank() == 0) {
      sb.append(format(data[0]));
      return 1;
    }
    int n = shape.dim(dim);
    sb.append('[');
    int o = offset;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (dim == shape.rank() - 1) {
        sb.append(format(data[o++]));
      } else {
        o += append(sb, dim + 1, o);
      }
    }
    sb.append(']');
    return o - offset;
  }

  private static String format(float v) {
    return String.format(Locale.ROOT, "%.5g", v)
        .replaceAll("(\\.\\d*?)0+($|e)", "$1$2")
        .replace(".e", "e")
        .replaceAll("\\.$", "");
  }
}
