package dev.nerve.data;

/** Another matrix with a normaliser applied to each row as it is read. */
final class NormalizedFeatures implements Features {
  private final Features base;
  private final Normalizer normalizer;

  NormalizedFeatures(Features base, Normalizer normalizer) {
    normalizer.requireColumns(base.cols());
    this.base = base;
    this.normalizer = normalizer;
  }

  @Override
  public int rows() {
    return base.rows();
  }

  @Override
  public int cols() {
    return base.cols();
  }

  @Override
  public void gather(int[] rowIndex, int from, int count, float[] out) {
    base.gather(rowIndex, from, count, out);
    normalizer.applyInPlace(out, count, base.cols());
  }
}
