package dev.nerve.data;

import dev.nerve.tensor.Tensor;

/**
 * A matrix of examples, one row each, that copies chosen rows into a float buffer on demand.
 *
 * <p>Training reads a dataset one batch at a time, so rows can live in whatever form is cheapest to
 * keep: a float {@link Tensor} ({@link #of(Tensor)}), the unsigned bytes of an image file ({@link
 * #ofUnsignedBytes}, a quarter of the memory), a subset of another matrix without copying ({@link
 * #select}), or another matrix with a {@link Normalizer} applied as rows are read ({@link
 * #normalized}). Implementations are immutable and safe to read from several threads.
 */
public interface Features {
  /** Number of rows (examples). */
  int rows();

  /** Number of columns (values per example). */
  int cols();

  /**
   * Copies rows {@code rowIndex[from], ..., rowIndex[from + count - 1]} into {@code out}, one after
   * another ({@code count * cols()} floats, row-major). With {@code rowIndex == null} the rows are
   * {@code from, ..., from + count - 1}.
   *
   * @param rowIndex the rows to copy, or null for consecutive rows; not modified
   * @param from first position in {@code rowIndex} (or first row)
   * @param count rows to copy
   * @param out receives the rows; modified
   * @throws IndexOutOfBoundsException if a row is outside [0, rows())
   */
  void gather(int[] rowIndex, int from, int count, float[] out);

  /**
   * All rows as a {@code [rows, cols]} tensor: the backing tensor itself for {@link #of(Tensor)}, a
   * new one otherwise.
   */
  default Tensor toTensor() {
    Tensor t = Tensor.zeros(rows(), cols());
    gather(null, 0, rows(), t.data());
    return t;
  }

  /**
   * The rows {@code rowIndex[0], rowIndex[1], ...} of this matrix, in that order, without copying
   * them.
   *
   * @param rowIndex row numbers, each in [0, rows()); copied
   * @throws IndexOutOfBoundsException if a row number is out of range
   */
  default Features select(int[] rowIndex) {
    return new SelectedFeatures(this, rowIndex);
  }

  /** This matrix with {@code normalizer} applied to every row as it is read. */
  default Features normalized(Normalizer normalizer) {
    return new NormalizedFeatures(this, normalizer);
  }

  /**
   * A matrix of {@code rows} rows of {@code cols} zeros that stores nothing: a stand-in where only
   * the count and the sizes matter (a Spark driver orders batches of examples that live on the
   * executors).
   *
   * @throws IllegalArgumentException if a size is negative
   */
  static Features zeros(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("a matrix of " + rows + " x " + cols);
    }
    return new Features() {
      @Override
      public int rows() {
        return rows;
      }

      @Override
      public int cols() {
        return cols;
      }

      @Override
      public void gather(int[] rowIndex, int from, int count, float[] out) {
        for (int i = 0; i < count; i++) {
          int r = rowIndex == null ? from + i : rowIndex[from + i];
          java.util.Objects.checkIndex(r, rows);
        }
        java.util.Arrays.fill(out, 0, count * cols, 0f);
      }
    };
  }

  /**
   * A matrix backed by {@code t} (a matrix), which is not copied: later changes to {@code t} show.
   *
   * @throws IllegalArgumentException if {@code t} is not a matrix
   */
  static Features of(Tensor t) {
    return new TensorFeatures(t);
  }

  /**
   * Rows of token ids, not copied: row {@code r} holds {@code ids[starts[r]]} to {@code
   * ids[starts[r] + length - 1]}, as floats, or one-hot over {@code classes} classes when {@code
   * classes > 0} ({@code length * classes} values per row). Rows may overlap (windows over one
   * text).
   *
   * @throws IllegalArgumentException if a row runs past the ids or an id is not a class
   */
  static Features ofTokens(int[] ids, int[] starts, int length, int classes) {
    return new TokenFeatures(ids, starts, length, classes);
  }

  /**
   * A matrix backed by unsigned bytes (0 to 255), as IDX image files store pixels; rows are read as
   * floats 0 to 255, so a {@link Normalizer} usually follows.
   *
   * @param data {@code rows * cols} bytes, row-major; not copied
   * @throws IllegalArgumentException if the length is not {@code rows * cols}
   */
  static Features ofUnsignedBytes(byte[] data, int rows, int cols) {
    return new ByteFeatures(data, rows, cols);
  }
}
