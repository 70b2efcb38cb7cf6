package dev.nerve.train;

import java.util.Arrays;

/**
 * Counts of true class against predicted class, and the per-class precision, recall and F1 derived
 * from them.
 *
 * <p>{@code count(t, p)} is the number of examples of true class {@code t} predicted as {@code p}.
 * Precision of class c is {@code count(c, c) / (column c's sum)}, recall {@code count(c, c) / (row
 * c's sum)}, F1 their harmonic mean. A ratio with nothing to count (a class never predicted, or
 * absent from the data) is 0, as scikit-learn reports it with {@code zero_division=0}.
 */
public final class ConfusionMatrix {
  private final long[][] counts;
  private long total;

  /**
   * An empty matrix for {@code classes} classes.
   *
   * @throws IllegalArgumentException if {@code classes < 2}
   */
  public ConfusionMatrix(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("a confusion matrix needs 2 or more classes");
    }
    counts = new long[classes][classes];
  }

  /**
   * Counts one example.
   *
   * @throws IndexOutOfBoundsException if a class is outside [0, classes)
   */
  public void add(int trueClass, int predictedClass) {
    counts[trueClass][predictedClass]++;
    total++;
  }

  /** Number of classes. */
  public int classes() {
    return counts.length;
  }

  /** Examples counted. */
  public long total() {
    return total;
  }

  /** Examples of true class {@code t} predicted as {@code p}. */
  public long count(int t, int p) {
    return counts[t][p];
  }

  /** The counts, rows are true classes and columns predicted ones (a copy). */
  public long[][] counts() {
    long[][] c = new long[counts.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = counts[i].clone();
    }
    return c;
  }

  /** Fraction of examples on the diagonal (NaN when empty). */
  public double accuracy() {
    long right = 0;
    for (int c = 0; c < counts.length; c++) {
      right += counts[c][c];
    }
    return total == 0 ? Double.NaN : (double) right / total;
  }

  /** Precision of class {@code c}: of the examples predicted c, the fraction that are c. */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[c];
    }
    return ratio(counts[c][c], predicted);
  }

  /** Recall of class {@code c}: of the examples that are c, the fraction predicted c. */
  public double recall(int c) {
    return ratio(counts[c][c], Arrays.stream(counts[c]).sum());
  }

  /** F1 of class {@code c}: the harmonic mean of its precision and recall. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Mean of {@link #f1(int)} over the classes (macro F1). */
  public double macroF1() {
    double s = 0;
    for (int c = 0; c < counts.length; c++) {
      s += f1(c);
    }
    return s / counts.length;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  /** The matrix and per-class metrics as a text table; {@code names} may be null. */
  public String format(java.util.List<String> names) {
    int k = counts.length;
    String[] label = new String[k];
    int w = 9;
    for (int c = 0; c < k; c++) {
      label[c] = names != null && c < names.size() ? names.get(c) : Integer.toString(c);
      w = Math.max(w, label[c].length() + 1);
    }
    for (long[] row : counts) {
      for (long v : row) {
        w = Math.max(w, Long.toString(v).length() + 1);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-" + w + "s", "true\\pred"));
    for (int c = 0; c < k; c++) {
      sb.append(String.format("%" + w + "s", label[c]));
    }
    sb.append(String.format("%11s%9s%9s%n", "precision", "recall", "f1"));
    for (int t = 0; t < k; t++) {
      sb.append(String.format("%-" + w + "s", label[t]));
      for (int p = 0; p < k; p++) {
        sb.append(String.format("%" + w + "d", counts[t][p]));
      }
      sb.append(
          String.format(
              java.util.Locale.ROOT, "%11.4f%9.4f%9.4f%n", precision(t), recall(t), f1(t)));
    }
    return sb.toString();
  }
}
