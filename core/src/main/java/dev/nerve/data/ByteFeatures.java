package dev.nerve.data;

/** Rows of unsigned bytes, read as floats 0 to 255. */
final class ByteFeatures implements Features {
  private final byte[] data;
  private final int rows;
  private final int cols;

  ByteFeatures(byte[] data, int rows, int cols) {
    if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          data.length + " bytes cannot be " + rows + " rows of " + cols + " columns");
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
  }

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
      if (r < 0 || r >= rows) {
        throw new IndexOutOfBoundsException("row " + r + " of " + rows);
      }
      int s = r * cols;
      int d = i * cols;
      for (int j = 0; j < cols; j++) {
        out[d + j] = data[s + j] & 0xff;
      }
    }
  }
}
