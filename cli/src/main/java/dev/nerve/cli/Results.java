package dev.nerve.cli;

import dev.nerve.train.ConfusionMatrix;
import dev.nerve.train.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An {@link Evaluation} as text for people and as JSON for programs. */
final class Results {
  private Results() {}

  /** A number for JSON: null when it is NaN or infinite, which JSON cannot hold. */
  static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Numbers for JSON, with null for each NaN or infinity. */
  static List<Object> finite(double[] v) {
    List<Object> out = new ArrayList<>();
    for (double d : v) {
      out.add(finite(d));
    }
    return out;
  }

  /** The evaluation as a JSON object. */
  static Map<String, Object> json(Evaluation e, List<String> classes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("examples", e.examples());
    m.put("loss", finite(e.loss()));
    ConfusionMatrix cm = e.confusion();
    if (cm != null) {
      m.put("accuracy", finite(e.accuracy()));
      m.put("macro_f1", finite(cm.macroF1()));
      List<Object> per = new ArrayList<>();
      for (int c = 0; c < cm.classes(); c++) {
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("class", name(classes, c));
        pc.put("precision", cm.precision(c));
        pc.put("recall", cm.recall(c));
        pc.put("f1", cm.f1(c));
        pc.put("support", rowSum(cm, c));
        per.add(pc);
      }
      m.put("classes", per);
      List<Object> rows = new ArrayList<>();
      for (long[] row : cm.counts()) {
        rows.add(java.util.Arrays.stream(row).boxed().toList());
      }
      m.put("confusion_matrix", rows);
    } else {
      m.put("mse", finite(e.regression().mse()));
      m.put("mae", finite(e.regression().mae()));
      m.put("r2", finite(e.regression().r2()));
    }
    return m;
  }

  /**
   * The metrics beyond loss and accuracy as text: confusion matrix and per-class, or MSE/MAE/R².
   */
  static String text(Evaluation e, List<String> classes) {
    if (e.confusion() != null) {
      return e.confusion().format(classes)
          + String.format(Locale.ROOT, "macro F1 %.4f%n", e.confusion().macroF1());
    }
    return String.format(
        Locale.ROOT,
        "MSE %.6g  MAE %.6g  R² %.6f%n",
        e.regression().mse(),
        e.regression().mae(),
        e.regression().r2());
  }

  private static long rowSum(ConfusionMatrix cm, int c) {
    long s = 0;
    for (int p = 0; p < cm.classes(); p++) {
      s += cm.count(c, p);
    }
    return s;
  }

  static String name(List<String> classes, int c) {
    return classes != null && c < classes.size() ? classes.get(c) : Integer.toString(c);
  }
}
