package dev.nerve.report.trace;

import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The walkthrough for a terminal ({@code nerve trace --text}): one iteration's steps in order, each
 * with its formulas and its matrices printed as numpy prints them, rounded; large matrices show
 * their corners and the count of what is left out.
 */
public final class TraceText {
  /** Rows and columns printed before a matrix is summarised. */
  static final int ROWS = 8;

  static final int COLS = 10;

  private TraceText() {}

  /**
   * The walkthrough of the recorded iteration at position {@code index} (0 for the first recorded).
   *
   * @throws IllegalArgumentException if there is no such recorded iteration
   */
  public static String render(Trace trace, int index) {
    if (index < 0 || index >= trace.iterations().size()) {
      throw new IllegalArgumentException(
          "the trace holds recorded iterations 0 to "
              + (trace.iterations().size() - 1)
              + ", not "
              + index);
    }
    Walkthrough w = Walkthrough.of(trace);
    Trace.Iteration it = trace.iterations().get(index);
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Iteration %d (epoch %d, batch %d): loss before the update %s, %s%n",
            it.iteration(),
            it.epoch(),
            it.batch(),
            number(it.loss()),
            it.optimizer()));
    for (Walkthrough.Step s : w.steps()) {
      sb.append('\n')
          .append("Step ")
          .append(s.number())
          .append(" · ")
          .append(s.title())
          .append('\n');
      sb.append("  tutorial:   ").append(s.tutorial()).append('\n');
      sb.append("  chain rule: ").append(s.math()).append('\n');
      sb.append("  Nerve:      ").append(s.java()).append('\n');
      Set<String> ids = new LinkedHashSet<>(s.shows());
      for (Walkthrough.Part p : s.parts()) {
        ids.add(p.result());
      }
      for (String id : ids) {
        if (id.startsWith("N")) {
          continue;
        }
        Tensor t = w.value(it, id);
        sb.append("  ")
            .append(w.matrices().get(id).name())
            .append(' ')
            .append(t == null ? "(not computed)" : t.shape().toString())
            .append('\n');
        if (t != null) {
          matrix(sb, t, "    ");
        }
      }
      for (int k : s.checks()) {
        Check c = check(it.parameters().get(k));
        sb.append("  check ∂L/∂")
            .append(w.matrices().get("P" + k).name())
            .append(": ")
            .append(c.describe())
            .append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * The finite-difference check of one parameter's gradient.
   *
   * @param checked elements compared
   * @param worst the largest relative difference {@code |g - n| / (|g| + |n|)}
   * @param failed elements where {@code |g - n| > 1e-2 max(|g|, |n|) + 1e-4}
   * @param note why it was not checked, or a remark on how much was
   */
  public record Check(int checked, double worst, int failed, String note) {
    /** Like {@code 12 elements checked, largest relative difference 3.1e-05, all agree}. */
    public String describe() {
      if (checked == 0) {
        return note == null ? "not checked" : note;
      }
      return String.format(
              Locale.ROOT,
              "%d elements checked, largest relative difference %.1e, %s",
              checked,
              worst,
              failed == 0 ? "all agree ✓" : failed + " disagree ✗")
          + (note == null ? "" : " (" + note + ")");
    }
  }

  /** Compares the backpropagated gradient of {@code p} with its finite-difference estimate. */
  public static Check check(Trace.ParameterTrace p) {
    if (p.numericGradient() == null) {
      return new Check(0, 0, 0, p.checkNote());
    }
    float[] g = p.gradient().data();
    float[] n = p.numericGradient().data();
    int checked = 0;
    int failed = 0;
    double worst = 0;
    for (int i = 0; i < n.length; i++) {
      if (Float.isNaN(n[i])) {
        continue;
      }
      checked++;
      double diff = Math.abs((double) g[i] - n[i]);
      if (!(diff <= 1e-2 * Math.max(Math.abs(g[i]), Math.abs(n[i])) + 1e-4)) {
        failed++;
      }
      worst = Math.max(worst, diff / Math.max(1e-8, Math.abs(g[i]) + Math.abs(n[i])));
    }
    return new Check(checked, worst, failed, p.checkNote());
  }

  static void matrix(StringBuilder sb, Tensor t, String indent) {
    int[] d = t.shape().dims();
    int rows = d.length <= 1 ? 1 : d[0];
    int cols = rows == 0 ? 0 : t.size() / Math.max(1, rows);
    float[] v = t.data();
    for (int r = 0; r < rows; r++) {
      if (r == ROWS && rows > ROWS + 1) {
        sb.append(indent).append(" ... ").append(rows - ROWS - 1).append(" more rows\n");
        r = rows - 1;
      }
      sb.append(indent).append(r == 0 ? "[[" : " [");
      for (int c = 0; c < cols; c++) {
        if (c == COLS && cols > COLS + 1) {
          sb.append(" ...");
          c = cols - 1;
        }
        sb.append(c == 0 ? "" : " ")
            .append(String.format(Locale.ROOT, "%10s", number(v[r * cols + c])));
      }
      sb.append(r == rows - 1 ? "]]" : "]").append('\n');
    }
  }

  static String number(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    if (a >= 1e5 || a < 1e-4) {
      return String.format(Locale.ROOT, "%.3e", x);
    }
    return new java.math.BigDecimal(x)
        .round(new java.math.MathContext(5))
        .stripTrailingZeros()
        .toPlainString();
  }
}
