package dev.nerve.report;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Classification results on one data set: the confusion matrix and per-class metrics.
 *
 * <p>{@code confusion[t][p]} counts the examples of true class {@code t} predicted as class {@code
 * p}. For class {@code c}: precision = confusion[c][c] / (column c's sum), recall = confusion[c][c]
 * / (row c's sum), F1 = 2·precision·recall / (precision + recall). A metric that divides by zero (a
 * class never predicted, or never present) is NaN and shows as a dash. {@link #of} computes them
 * all from the matrix; the canonical constructor takes them as given, for a caller that already has
 * them.
 *
 * <p>The arrays are copied on construction and on access. A null list, array, row or class name
 * throws {@code NullPointerException}; a size that differs from the class count, or a negative
 * count, throws {@code IllegalArgumentException}.
 *
 * @param setName which data set, for example {@code test}; null shows as empty
 * @param classNames one name per class, in index order; not null, no null element
 * @param confusion a {@code k × k} matrix of non-negative counts, rows = true class, columns =
 *     predicted class, {@code k = classNames.size()}
 * @param accuracy the fraction of examples on the diagonal
 * @param precision per class, length {@code k}
 * @param recall per class, length {@code k}
 * @param f1 per class, length {@code k}
 */
public record Classification(
    String setName,
    List<String> classNames,
    long[][] confusion,
    double accuracy,
    double[] precision,
    double[] recall,
    double[] f1) {

  /**
   * Makes the results as given, copying the arrays.
   *
   * @param setName which data set, for example {@code test}; null shows as empty
   * @param classNames one name per class, in index order; not null, no null element
   * @param confusion a {@code k × k} matrix of non-negative counts, rows = true class, columns =
   *     predicted class, {@code k = classNames.size()}
   * @param accuracy the fraction of examples on the diagonal
   * @param precision per class, length {@code k}
   * @param recall per class, length {@code k}
   * @param f1 per class, length {@code k}
   * @throws NullPointerException if a list, array, row or class name is null
   * @throws IllegalArgumentException if a size differs from the class count or a count is negative
   */
  public Classification {
    Objects.requireNonNull(classNames, "class names");
    for (int i = 0; i < classNames.size(); i++) {
      Objects.requireNonNull(classNames.get(i), "name of class " + i);
    }
    classNames = List.copyOf(classNames);
    int k = classNames.size();
    confusion = copy(confusion, k);
    precision = checkLength(precision, k, "precision");
    recall = checkLength(recall, k, "recall");
    f1 = checkLength(f1, k, "f1");
  }

  /**
   * Computes accuracy and the per-class metrics from a confusion matrix.
   *
   * @param setName which data set; may be null
   * @param classNames one name per class
   * @param confusion {@code k × k} counts, rows = true class, columns = predicted; not modified
   * @return the classification results
   */
  public static Classification of(String setName, List<String> classNames, long[][] confusion) {
    Objects.requireNonNull(classNames, "class names");
    long[][] m = copy(confusion, classNames.size());
    int k = m.length;
    long total = 0;
    long correct = 0;
    long[] predicted = new long[k];
    long[] actual = new long[k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        total += m[t][p];
        actual[t] += m[t][p];
        predicted[p] += m[t][p];
      }
      correct += m[t][t];
    }
    double[] precision = new double[k];
    double[] recall = new double[k];
    double[] f1 = new double[k];
    for (int c = 0; c < k; c++) {
      precision[c] = predicted[c] == 0 ? Double.NaN : (double) m[c][c] / predicted[c];
      recall[c] = actual[c] == 0 ? Double.NaN : (double) m[c][c] / actual[c];
      double sum = precision[c] + recall[c];
      f1[c] = sum == 0 ? 0 : 2 * precision[c] * recall[c] / sum;
    }
    double accuracy = total == 0 ? Double.NaN : (double) correct / total;
    return new Classification(setName, classNames, m, accuracy, precision, recall, f1);
  }

  /**
   * Returns how many examples of true class {@code c} there are: row {@code c}'s sum.
   *
   * @param c a class index
   * @return the class's support
   */
  public long support(int c) {
    long s = 0;
    for (long v : confusion[c]) {
      s += v;
    }
    return s;
  }

  /**
   * Returns a copy of the confusion matrix.
   *
   * @return {@code k × k} counts, rows = true class, columns = predicted class
   */
  @Override
  public long[][] confusion() {
    return copy(confusion, confusion.length);
  }

  /**
   * Returns a copy of the per-class precision.
   *
   * @return precision per class
   */
  @Override
  public double[] precision() {
    return precision.clone();
  }

  /**
   * Returns a copy of the per-class recall.
   *
   * @return recall per class
   */
  @Override
  public double[] recall() {
    return recall.clone();
  }

  /**
   * Returns a copy of the per-class F1 score.
   *
   * @return F1 per class
   */
  @Override
  public double[] f1() {
    return f1.clone();
  }

  /** Compares every component, arrays element by element (NaN equals NaN). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Classification c
        && Objects.equals(setName, c.setName)
        && classNames.equals(c.classNames)
        && Arrays.deepEquals(confusion, c.confusion)
        && Double.compare(accuracy, c.accuracy) == 0
        && Arrays.equals(precision, c.precision)
        && Arrays.equals(recall, c.recall)
        && Arrays.equals(f1, c.f1);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        setName,
        classNames,
        Arrays.deepHashCode(confusion),
        accuracy,
        Arrays.hashCode(precision),
        Arrays.hashCode(recall),
        Arrays.hashCode(f1));
  }

  @Override
  public String toString() {
    return "Classification[setName="
        + setName
        + ", classes="
        + classNames.size()
        + ", accuracy="
        + accuracy
        + "]";
  }

  private static long[][] copy(long[][] m, int k) {
    Objects.requireNonNull(m, "confusion matrix");
    if (m.length != k) {
      throw new IllegalArgumentException(
          "confusion matrix has " + m.length + " rows but there are " + k + " class names");
    }
    long[][] out = new long[k][];
    for (int i = 0; i < k; i++) {
      Objects.requireNonNull(m[i], "confusion matrix row " + i);
      if (m[i].length != k) {
        throw new IllegalArgumentException(
            "confusion matrix row " + i + " has " + m[i].length + " columns; expected " + k);
      }
      for (int j = 0; j < k; j++) {
        if (m[i][j] < 0) {
          throw new IllegalArgumentException(
              "confusion matrix cell [" + i + "][" + j + "] is negative: " + m[i][j]);
        }
      }
      out[i] = m[i].clone();
    }
    return out;
  }

  private static double[] checkLength(double[] v, int k, String what) {
    Objects.requireNonNull(v, what);
    if (v.length != k) {
      throw new IllegalArgumentException(
          what + " has " + v.length + " values but there are " + k + " classes");
    }
    return v.clone();
  }
}
