package dev.nerve.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * A per-column affine map applied to inputs before the network sees them: {@code x'[j] = (x[j] -
 * offset[j]) * factor[j]}.
 *
 * <p>Its statistics are computed once, from the training rows only ({@link #fit}), saved with the
 * model, and applied unchanged to validation, test and prediction inputs, so that a model never
 * sees data scaled differently from the data it learned from.
 *
 * <ul>
 *   <li>{@link Kind#NONE}: inputs unchanged.
 *   <li>{@link Kind#SCALE}: every value times one constant, such as {@code 1/255} for pixels.
 *   <li>{@link Kind#MIN_MAX}: each column mapped to [0, 1] by its training minimum and maximum.
 *   <li>{@link Kind#STANDARDIZE}: each column to mean 0 and standard deviation 1 (population
 *       standard deviation, as scikit-learn's {@code StandardScaler}).
 * </ul>
 *
 * A column that is constant in the training data is only shifted (its factor is 1), never divided
 * by zero.
 *
 * <pre>{@code
 * Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, train.features());
 * Dataset ready = train.normalized(n);
 * }</pre>
 */
public final class Normalizer {
  /** How the statistics are chosen. */
  public enum Kind {
    /** No change. */
    NONE,
    /** Multiply by one constant. */
    SCALE,
    /** Each column to [0, 1]. */
    MIN_MAX,
    /** Each column to mean 0, standard deviation 1. */
    STANDARDIZE;

    /** The name used in files and on the command line: none, scale, min-max, standardize. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The kind named by {@link #id()}.
     *
     * @throws IllegalArgumentException naming the choices if there is no such kind
     */
    public static Kind of(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown normalisation '" + id + "' (choose none, scale, min-max or standardize)");
    }
  }

  private final Kind kind;
  private final float[] offset;
  private final float[] factor;

  private Normalizer(Kind kind, float[] offset, float[] factor) {
    this.kind = kind;
    this.offset = offset;
    this.factor = factor;
  }

  /** The normaliser that changes nothing, for inputs of any width. */
  public static Normalizer none() {
    return new Normalizer(Kind.NONE, new float[0], new float[0]);
  }

  /**
   * Multiplies every value by {@code factor}, for inputs of any width.
   *
   * @throws IllegalArgumentException if {@code factor} is not a finite non-zero number
   */
  public static Normalizer scale(float factor) {
    if (!Float.isFinite(factor) || factor == 0f) {
      throw new IllegalArgumentException("scale factor must be finite and non-zero, got " + factor);
    }
    return new Normalizer(Kind.SCALE, new float[] {0f}, new float[] {factor});
  }

  /**
   * A normaliser with given statistics, as read back from a model file.
   *
   * @param offset subtracted from each column (one value for {@link Kind#SCALE}); copied
   * @param factor then multiplied into each column; copied
   * @throws IllegalArgumentException if the arrays do not suit the kind or hold non-finite values
   */
  public static Normalizer of(Kind kind, float[] offset, float[] factor) {
    if (kind == Kind.NONE) {
      if (offset.length != 0 || factor.length != 0) {
        throw new IllegalArgumentException("normalisation 'none' has no statistics");
      }
      return none();
    }
    if (offset.length != factor.length || (kind == Kind.SCALE && offset.length != 1)) {
      throw new IllegalArgumentException(
          "normalisation '"
              + kind.id()
              + "' needs "
              + (kind == Kind.SCALE
                  ? "one offset and one factor"
                  : "one offset and factor per column")
              + ", got "
              + offset.length
              + " offsets and "
              + factor.length
              + " factors");
    }
    for (int j = 0; j < offset.length; j++) {
      if (!Float.isFinite(offset[j]) || !Float.isFinite(factor[j]) || factor[j] == 0f) {
        throw new IllegalArgumentException(
            "normalisation column " + j + ": offset and factor must be finite, factor non-zero");
      }
    }
    return new Normalizer(kind, offset.clone(), factor.clone());
  }

  /**
   * Computes the statistics of {@code kind} from every row of {@code training}. For {@link
   * Kind#SCALE} use {@link #scale(float)} instead: it has no statistics to learn.
   *
   * @throws IllegalArgumentException for {@link Kind#SCALE}, or if {@code training} has no rows
   */
  public static Normalizer fit(Kind kind, Features training) {
    if (kind == Kind.NONE) {
      return none();
    }
    if (kind == Kind.SCALE) {
      throw new IllegalArgumentException("'scale' has no statistics to fit: use Normalizer.scale");
    }
    int rows = training.rows();
    int cols = training.cols();
    if (rows == 0) {
      throw new IllegalArgumentException("cannot fit a normalisation on no rows");
    }
    double[] a = new double[cols];
    double[] b = new double[cols];
    if (kind == Kind.MIN_MAX) {
      Arrays.fill(a, Double.POSITIVE_INFINITY);
      Arrays.fill(b, Double.NEGATIVE_INFINITY);
    }
    // Welford's update per column: stable for large or offset values.
    int chunk = Math.max(1, Math.min(rows, 65536 / Math.max(1, cols)));
    float[] buf = new float[chunk * cols];
    long n = 0;
    for (int from = 0; from < rows; from += chunk) {
      int count = Math.min(chunk, rows - from);
      training.gather(null, from, count, buf);
      for (int i = 0; i < count; i++) {
        n++;
        for (int j = 0; j < cols; j++) {
          double v = buf[i * cols + j];
          if (kind == Kind.MIN_MAX) {
            a[j] = Math.min(a[j], v);
            b[j] = Math.max(b[j], v);
          } else {
            double d = v - a[j];
            a[j] += d / n;
            b[j] += d * (v - a[j]);
          }
        }
      }
    }
    float[] offset = new float[cols];
    float[] factor = new float[cols];
    for (int j = 0; j < cols; j++) {
      double spread = kind == Kind.MIN_MAX ? b[j] - a[j] : Math.sqrt(b[j] / n);
      offset[j] = (float) a[j];
      factor[j] = spread > 0 && Double.isFinite(spread) ? (float) (1.0 / spread) : 1f;
      if (!Float.isFinite(offset[j]) || factor[j] == 0f) {
        throw new IllegalArgumentException(
            "column " + j + " cannot be normalised: its values are not finite or too spread");
      }
    }
    return new Normalizer(kind, offset, factor);
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** Subtracted from each column (one value for {@link Kind#SCALE}, none for NONE); a copy. */
  public float[] offsets() {
    return offset.clone();
  }

  /** Multiplied into each column after the offset (as {@link #offsets()}); a copy. */
  public float[] factors() {
    return factor.clone();
  }

  /**
   * Checks that this normaliser fits rows of {@code cols} values.
   *
   * @throws IllegalArgumentException naming both widths if not
   */
  public void requireColumns(int cols) {
    if (kind != Kind.NONE && kind != Kind.SCALE && offset.length != cols) {
      throw new IllegalArgumentException(
          "normalisation was fitted on " + offset.length + " columns but the inputs have " + cols);
    }
  }

  /**
   * Normalises {@code rows} rows of {@code cols} values held one after another in {@code data}.
   *
   * @param data at least {@code rows * cols} values; modified
   * @throws IllegalArgumentException if {@code cols} is not the width this normaliser was fitted on
   */
  public void applyInPlace(float[] data, int rows, int cols) {
    if (kind == Kind.NONE) {
      return;
    }
    if (kind == Kind.SCALE) {
      float o = offset[0];
      float f = factor[0];
      int end = rows * cols;
      for (int i = 0; i < end; i++) {
        data[i] = (data[i] - o) * f;
      }
      return;
    }
    requireColumns(cols);
    for (int i = 0; i < rows; i++) {
      int base = i * cols;
      for (int j = 0; j < cols; j++) {
        data[base + j] = (data[base + j] - offset[j]) * factor[j];
      }
    }
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "Normalizer(none)";
      case SCALE -> "Normalizer(scale " + factor[0] + ")";
      default -> "Normalizer(" + kind.id() + ", " + offset.length + " columns)";
    };
  }
}
