package dev.nerve.data;

/**
 * Rows of token ids kept as ids: row {@code r} is {@code ids[starts[r]], ..., ids[starts[r] +
 * length - 1]}, read either as the ids themselves (as floats, what an embedding takes) or, with
 * {@code classes > 0}, one-hot ({@code length * classes} values per row, the targets of a language
 * model). Windows over one long text share its array, so a language model's data costs four bytes
 * per character however many windows overlap and however large the vocabulary.
 */
final class TokenFeatures implements Features {
  private final int[] ids;
  private final int[] starts;
  private final int length;
  private final int classes;

  TokenFeatures(int[] ids, int[] starts, int length, int classes) {
    if (length < 1 || classes < 0) {
      throw new IllegalArgumentException("rows of token ids need a length of 1 or more");
    }
    for (int s : starts) {
      if (s < 0 || (long) s + length > ids.length) {
        throw new IllegalArgumentException(
            "a row starting at " + s + " runs past the " + ids.length + " ids");
      }
    }
    if (classes > 0) {
      for (int id : ids) {
        if (id < 0 || id >= classes) {
          throw new IllegalArgumentException(
              "token id " + id + " is outside the vocabulary of " + classes);
        }
      }
      if ((long) length * classes > Integer.MAX_VALUE / 2) {
        throw new IllegalArgumentException(
            "rows of " + length + " one-hot tokens of " + classes + " classes are too large");
      }
    }
    this.ids = ids;
    this.starts = starts;
    this.length = length;
    this.classes = classes;
  }

  @Override
  public int rows() {
    return starts.length;
  }

  @Override
  public int cols() {
    return classes == 0 ? length : length * classes;
  }

  @Override
  public void gather(int[] rowIndex, int from, int count, float[] out) {
    int cols = cols();
    for (int k = 0; k < count; k++) {
      int r = rowIndex == null ? from + k : rowIndex[from + k];
      if (r < 0 || r >= starts.length) {
        throw new IndexOutOfBoundsException("row " + r + " of " + starts.length);
      }
      int s = starts[r];
      int o = k * cols;
      if (classes == 0) {
        for (int t = 0; t < length; t++) {
          out[o + t] = ids[s + t];
        }
      } else {
        java.util.Arrays.fill(out, o, o + cols, 0f);
        for (int t = 0; t < length; t++) {
          out[o + t * classes + ids[s + t]] = 1f;
        }
      }
    }
  }
}
