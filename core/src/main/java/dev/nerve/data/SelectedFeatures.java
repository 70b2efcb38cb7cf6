package dev.nerve.data;

/** Chosen rows of another matrix, in a chosen order, read through to it. */
final class SelectedFeatures implements Features {
  private final Features base;
  private final int[] rowIndex;

  SelectedFeatures(Features base, int[] rowIndex) {
    int n = base.rows();
    for (int r : rowIndex) {
      if (r < 0 || r >= n) {
        throw new IndexOutOfBoundsException("row " + r + " of " + n);
      }
    }
    this.base = base;
    this.rowIndex = rowIndex.clone();
  }

  @Override
  public int rows() {
    return rowIndex.length;
  }

  @Override
  public int cols() {
    return base.cols();
  }

  @Override
  public void gather(int[] idx, int from, int count, float[] out) {
    if (idx == null) {
      base.gather(rowIndex, from, count, out);
      return;
    }
    int[] mapped = new int[count];
    for (int i = 0; i < count; i++) {
      mapped[i] = rowIndex[idx[from + i]];
    }
    base.gather(mapped, 0, count, out);
  }

  @Override
  public Features select(int[] idx) {
    int[] composed = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= rowIndex.length) {
        throw new IndexOutOfBoundsException("row " + idx[i] + " of " + rowIndex.length);
      }
      composed[i] = rowIndex[idx[i]];
    }
    return new SelectedFeatures(base, composed);
  }
}
