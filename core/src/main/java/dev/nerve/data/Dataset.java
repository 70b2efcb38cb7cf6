package dev.nerve.data;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * Examples and their targets, one row each: {@code features} is {@code [examples, inputs]}, {@code
 * targets} is {@code [examples, outputs]}.
 *
 * <p>Rows are kept in whatever form is cheapest (see {@link Features}) and copied into a batch only
 * when training reads them, so subsets, splits and normalisation never copy the data.
 *
 * <pre>{@code
 * Dataset all = new Dataset(x, y);                 // two float matrices
 * Dataset[] parts = all.split(42, 0.8, 0.2);       // shuffled with seed 42: 80% / 20%
 * Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, parts[0].features());
 * Dataset train = parts[0].normalized(n), test = parts[1].normalized(n);
 * }</pre>
 *
 * @param features the inputs, as the tutorials' {@code X}
 * @param targets the targets, as the tutorials' {@code y}
 */
public record Dataset(Features features, Features targets) {
  /**
   * Checks that both have one row per example.
   *
   * @throws ShapeMismatchException if the row counts differ
   */
  public Dataset {
    if (features.rows() != targets.rows()) {
      throw new ShapeMismatchException(
          "dataset: "
              + features.rows()
              + " input rows ["
              + features.rows()
              + ", "
              + features.cols()
              + "] but "
              + targets.rows()
              + " target rows ["
              + targets.rows()
              + ", "
              + targets.cols()
              + "]");
    }
  }

  /**
   * Inputs {@code x} and targets {@code y}, two matrices (not copied).
   *
   * @throws ShapeMismatchException if a tensor is not a matrix or the row counts differ
   */
  public Dataset(Tensor x, Tensor y) {
    this(matrix(x, "inputs", y), matrix(y, "targets", x));
  }

  private static Features matrix(Tensor t, String what, Tensor other) {
    if (t.rank() != 2) {
      throw new ShapeMismatchException(
          "dataset: "
              + what
              + " "
              + t.shape()
              + " must be a matrix (other: "
              + other.shape()
              + ")");
    }
    return Features.of(t);
  }

  /** Number of examples. */
  public int size() {
    return features.rows();
  }

  /** The inputs as one matrix: the original tensor if built from one, otherwise a new copy. */
  public Tensor x() {
    return features.toTensor();
  }

  /** The targets as one matrix: the original tensor if built from one, otherwise a new copy. */
  public Tensor y() {
    return targets.toTensor();
  }

  /**
   * The examples {@code rows[0], rows[1], ...} in that order, without copying them.
   *
   * @throws IndexOutOfBoundsException if a row is out of range
   */
  public Dataset subset(int[] rows) {
    return new Dataset(features.select(rows), targets.select(rows));
  }

  /** The examples {@code from} (inclusive) to {@code to} (exclusive), without copying them. */
  public Dataset range(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IndexOutOfBoundsException(
          "range [" + from + ", " + to + ") of " + size() + " examples");
    }
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = from + i;
    }
    return subset(rows);
  }

  /** This dataset with {@code normalizer} applied to the inputs as they are read. */
  public Dataset normalized(Normalizer normalizer) {
    return new Dataset(features.normalized(normalizer), targets);
  }

  /**
   * Shuffles the examples with a generator seeded by {@code seed} and cuts them into consecutive
   * parts of the given fractions, for instance {@code split(7, 0.8, 0.1, 0.1)} for training,
   * validation and test. Part {@code i} ends at {@code round(size * (f0 + ... + fi))}, so fractions
   * that sum to 1 use every example exactly once. The same seed gives the same parts.
   *
   * @throws IllegalArgumentException if a fraction is not positive or they sum to more than 1
   */
  public Dataset[] split(long seed, double... fractions) {
    if (fractions.length == 0) {
      throw new IllegalArgumentException("split needs at least one fraction");
    }
    double total = 0;
    for (double f : fractions) {
      if (!(f > 0)) {
        throw new IllegalArgumentException("split fractions must be positive, got " + f);
      }
      total += f;
    }
    if (total > 1 + 1e-9) {
      throw new IllegalArgumentException("split fractions sum to " + total + ", more than 1");
    }
    int[] order = new int[size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    new Rng(seed).shuffleInPlace(order);
    Dataset[] parts = new Dataset[fractions.length];
    double cumulative = 0;
    int start = 0;
    for (int p = 0; p < parts.length; p++) {
      cumulative += fractions[p];
      int end = (int) Math.min(order.length, Math.round(order.length * Math.min(1.0, cumulative)));
      parts[p] = subset(java.util.Arrays.copyOfRange(order, start, end));
      start = end;
    }
    return parts;
  }

  /**
   * One-hot rows for class indices: row i has a 1 in column {@code labels[i]}.
   *
   * @throws IllegalArgumentException if a label is outside [0, classes)
   */
  public static Tensor oneHot(int[] labels, int classes) {
    Tensor t = Tensor.zeros(labels.length, classes);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " at row " + i + " is outside [0, " + classes + ")");
      }
      t.data()[i * classes + labels[i]] = 1f;
    }
    return t;
  }
}
