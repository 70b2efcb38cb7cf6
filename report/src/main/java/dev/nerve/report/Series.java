package dev.nerve.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named line of a {@link Chart}: the points {@code (x[i], y[i])}, drawn in index order.
 *
 * <p>A point whose {@code x} or {@code y} is NaN or infinite is not drawn and breaks the line
 * there, so a missing value shows as a gap rather than as a jump to zero. The arrays are copied on
 * construction and on access, so a series cannot change after it is made. A null argument throws
 * {@code NullPointerException}; arrays of different lengths throw {@code IllegalArgumentException}
 * naming both lengths.
 *
 * <pre>{@code
 * Series train = Series.of("train", new double[] {0.9, 0.5, 0.3}); // x = 1, 2, 3
 * }</pre>
 *
 * @param name the legend label; not null (it is escaped wherever it is shown)
 * @param x the x values, same length as {@code y}; not null
 * @param y the y values, same length as {@code x}; not null
 */
public record Series(String name, double[] x, double[] y) {

  /**
   * Makes a series, copying the arrays.
   *
   * @param name the legend label; not null (it is escaped wherever it is shown)
   * @param x the x values, same length as {@code y}; not null
   * @param y the y values, same length as {@code x}; not null
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code x} and {@code y} differ in length
   */
  public Series {
    Objects.requireNonNull(name, "series name");
    Objects.requireNonNull(x, () -> "x values of series '" + name + "'");
    Objects.requireNonNull(y, () -> "y values of series '" + name + "'");
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series '"
              + name
              + "' has "
              + x.length
              + " x values but "
              + y.length
              + " y values; they must be equal");
    }
    x = x.clone();
    y = y.clone();
  }

  /**
   * A series whose x values are 1, 2, ..., {@code y.length}: the usual shape for a value per epoch
   * or per iteration, counted from one.
   *
   * @param name the legend label
   * @param y the y values; not modified
   * @return the series
   */
  public static Series of(String name, double[] y) {
    Objects.requireNonNull(y, () -> "y values of series '" + name + "'");
    double[] x = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    return new Series(name, x, y);
  }

  /**
   * Returns a copy of the x values.
   *
   * @return the x values
   */
  @Override
  public double[] x() {
    return x.clone();
  }

  /**
   * Returns a copy of the y values.
   *
   * @return the y values
   */
  @Override
  public double[] y() {
    return y.clone();
  }

  /**
   * Returns the number of points, drawn or not.
   *
   * @return the length of {@code x} and of {@code y}
   */
  public int size() {
    return x.length;
  }

  /** Compares the name and the values element by element (NaN equals NaN). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Series s
        && name.equals(s.name)
        && Arrays.equals(x, s.x)
        && Arrays.equals(y, s.y);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(x), Arrays.hashCode(y));
  }

  @Override
  public String toString() {
    return "Series[name=" + name + ", points=" + x.length + "]";
  }
}
