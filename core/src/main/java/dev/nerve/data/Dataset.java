package dev.nerve.data;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * Examples and their targets, one row each, with the shape each row has: {@code features} holds
 * {@code [examples, inputShape.size()]} values, {@code targets} {@code [examples,
 * targetShape.size()]}. A row is a vector ({@code [n]}), an image ({@code [c, h, w]}), a sequence
 * ({@code [t, f]}) or token ids ({@code [t]}); batches are handed to the network in that shape,
 * {@code [batch, ...shape]}.
 *
 * <p>Sequences of different lengths are padded to one length and carry a {@code mask}: one value
 * per target position ({@code targetShape} without its last axis, such as {@code [t]} for targets
 * {@code [t, classes]}), 1 for a real step and 0 for padding. Padded positions count in neither the
 * loss, nor its gradient, nor the accuracy.
 *
 * <p>Rows are kept in whatever form is cheapest (see {@link Features}) and copied into a batch only
 * when training reads them, so subsets, splits and normalisation never copy the data.
 *
 * <pre>{@code
 * Dataset all = new Dataset(x, y);                 // two float matrices, or [n, t, f] and [n, t, c]
 * Dataset[] parts = all.split(42, 0.8, 0.2);       // shuffled with seed 42: 80% / 20%
 * Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, parts[0].features());
 * Dataset train = parts[0].normalized(n), test = parts[1].normalized(n);
 * Dataset padded = new Dataset(x, y).withMask(mask); // mask [n, t]: 1 real step, 0 padding
 * }</pre>
 *
 * @param features the inputs, as the tutorials' {@code X}, one flattened row per example
 * @param inputShape the shape of one example's inputs
 * @param targets the targets, as the tutorials' {@code y}, one flattened row per example
 * @param targetShape the shape of one example's targets
 * @param mask one row per example of 1 (real) or 0 (padding) for each target position, or null when
 *     every position is real
 * @param lengths for inputs that are sequences padded to one length ({@code [t]} token ids or
 *     {@code [t, f]}), one column holding each example's real length (its first steps are real),
 *     which recurrent layers stop at; or null when every example uses every step
 */
public record Dataset(
    Features features,
    Shape inputShape,
    Features targets,
    Shape targetShape,
    Features mask,
    Features lengths) {
  /**
   * Checks that every part has one row per example and rows of the sizes the shapes say.
   *
   * @throws ShapeMismatchException naming both shapes if they disagree
   */
  public Dataset {
    if (lengths != null && (lengths.rows() != features.rows() || lengths.cols() != 1)) {
      throw new ShapeMismatchException(
          "dataset: sequence lengths need one value per example, ["
              + features.rows()
              + ", 1], got ["
              + lengths.rows()
              + ", "
              + lengths.cols()
              + "]");
    }
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
    if (inputShape.size() != features.cols() || inputShape.rank() == 0) {
      throw new ShapeMismatchException(
          "dataset: input rows of " + features.cols() + " values cannot have shape " + inputShape);
    }
    if (targetShape.size() != targets.cols() || targetShape.rank() == 0) {
      throw new ShapeMismatchException(
          "dataset: target rows of " + targets.cols() + " values cannot have shape " + targetShape);
    }
    if (mask != null) {
      int positions = targetShape.size() / Math.max(1, targetShape.dim(-1));
      if (mask.rows() != targets.rows() || mask.cols() != positions) {
        throw new ShapeMismatchException(
            "dataset: a mask needs one value per target position, ["
                + targets.rows()
                + ", "
                + positions
                + "] for targets of shape "
                + targetShape
                + ", got ["
                + mask.rows()
                + ", "
                + mask.cols()
                + "]");
      }
    }
  }

  /** A dataset whose examples all use every step (no lengths). */
  public Dataset(
      Features features, Shape inputShape, Features targets, Shape targetShape, Features mask) {
    this(features, inputShape, targets, targetShape, mask, null);
  }

  /** Inputs and targets that are vectors (one row each), without a mask. */
  public Dataset(Features features, Features targets) {
    this(features, Shape.of(features.cols()), targets, Shape.of(targets.cols()), null);
  }

  /**
   * Inputs {@code x} and targets {@code y}, not copied: {@code [examples, ...]} each, the first
   * axis the example, the rest each example's shape ({@code [n, features]} matrices, or {@code [n,
   * t, f]} sequences, ...).
   *
   * @throws ShapeMismatchException if a tensor has no example axis or the counts differ
   */
  public Dataset(Tensor x, Tensor y) {
    this(
        rows(x, "inputs", y.shape()),
        exampleShape(x),
        rows(y, "targets", x.shape()),
        exampleShape(y),
        null);
  }

  private static Features rows(Tensor t, String what, Shape other) {
    if (t.rank() < 2) {
      throw new ShapeMismatchException(
          "dataset: " + what + " " + t.shape() + " must be a matrix (other: " + other + ")");
    }
    int n = t.shape().dim(0);
    return Features.of(t.rank() == 2 ? t : t.reshape(n, exampleShape(t).size()));
  }

  private static Shape exampleShape(Tensor t) {
    int[] d = t.shape().dims();
    return Shape.of(java.util.Arrays.copyOfRange(d, 1, Math.max(1, d.length)));
  }

  /**
   * This dataset with a mask over its target positions.
   *
   * @param mask {@code [examples, positions...]}: 1 for a real position, 0 for padding
   * @throws ShapeMismatchException if it does not have one value per target position
   * @throws IllegalArgumentException if a value is neither 0 nor 1
   */
  public Dataset withMask(Tensor mask) {
    for (float v : mask.data()) {
      if (v != 0f && v != 1f) {
        throw new IllegalArgumentException("a mask holds 0 (padding) and 1 (real) only, got " + v);
      }
    }
    return new Dataset(
        features, inputShape, targets, targetShape, rows(mask, "mask", targetShape), lengths);
  }

  /**
   * This dataset with the real length of each example's input sequence (time is the input's first
   * axis): recurrent layers stop at each example's last real step.
   *
   * @throws IllegalArgumentException if there is not one length per example or one is outside [1,
   *     time steps]
   */
  public Dataset withLengths(int[] lengths) {
    if (lengths.length != size()) {
      throw new IllegalArgumentException(
          lengths.length + " sequence lengths for " + size() + " examples");
    }
    int steps = inputShape.dim(0);
    float[] v = new float[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] < 1 || lengths[i] > steps) {
        throw new IllegalArgumentException(
            "example " + i + " has length " + lengths[i] + ", outside [1, " + steps + "]");
      }
      v[i] = lengths[i];
    }
    return new Dataset(
        features,
        inputShape,
        targets,
        targetShape,
        mask,
        Features.of(Tensor.wrap(v, lengths.length, 1)));
  }

  /** The real length of every example's input sequence, or null when all use every step. */
  public int[] lengthArray() {
    if (lengths == null) {
      return null;
    }
    float[] v = lengths.toTensor().data();
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (int) v[i];
    }
    return out;
  }

  /** Number of examples. */
  public int size() {
    return features.rows();
  }

  /**
   * The inputs as one tensor {@code [examples, ...inputShape]}: the original data if built from a
   * tensor, otherwise a new copy.
   */
  public Tensor x() {
    return shaped(features.toTensor(), inputShape);
  }

  /** The targets as one tensor {@code [examples, ...targetShape]}, as {@link #x()}. */
  public Tensor y() {
    return shaped(targets.toTensor(), targetShape);
  }

  /** {@code rows} seen as {@code [rows, ...shape]} (no copy). */
  static Tensor shaped(Tensor rows, Shape shape) {
    if (shape.rank() == 1) {
      return rows;
    }
    int[] d = new int[shape.rank() + 1];
    d[0] = rows.shape().dim(0);
    System.arraycopy(shape.dims(), 0, d, 1, shape.rank());
    return rows.reshape(d);
  }

  /** The shape of one example's mask: the target's positions (its shape without the last axis). */
  Shape maskShape() {
    Shape t = targetShape;
    return t.rank() == 1 ? Shape.of(1) : Shape.of(java.util.Arrays.copyOf(t.dims(), t.rank() - 1));
  }

  /**
   * Every example as one batch (copies for data not built from tensors), padded sequences not cut,
   * with the given indices (or null): what a worker holding a shard of a larger data set builds its
   * slice of a batch from.
   */
  public Batch batch(int[] indices) {
    Tensor m = mask == null ? null : shaped(mask.toTensor(), maskShape());
    return new Batch(x(), y(), m, lengthArray(), indices);
  }

  /**
   * The examples {@code rows[0], rows[1], ...} in that order, without copying them.
   *
   * @throws IndexOutOfBoundsException if a row is out of range
   */
  public Dataset subset(int[] rows) {
    return new Dataset(
        features.select(rows),
        inputShape,
        targets.select(rows),
        targetShape,
        mask == null ? null : mask.select(rows),
        lengths == null ? null : lengths.select(rows));
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
    return new Dataset(
        features.normalized(normalizer), inputShape, targets, targetShape, mask, lengths);
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
