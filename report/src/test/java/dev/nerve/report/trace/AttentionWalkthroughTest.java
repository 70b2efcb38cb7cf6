package dev.nerve.report.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The transformer block and attention in the walkthrough: every step's rule recomputed from the
 * matrices the page holds (layer norms, the projections, the attention weights with their causal
 * mask and softmax, the mix of the values, the residual additions).
 */
class AttentionWalkthroughTest {
  private static double tolerance(double v) {
    return 2e-5 + 2e-5 * Math.abs(v);
  }

  @Test
  void everyStepOfTheBlockFollowsItsRule() {
    Trace t = SampleTraces.transformer();
    Walkthrough w = Walkthrough.of(t);
    List<String> titles = w.steps().stream().map(Walkthrough.Step::title).toList();
    for (String want :
        List.of(
            "Layer norm ₁: each position to mean 0 and spread 1",
            "Queries, keys and values",
            "Attention weights, head by head",
            "Mix the values by the weights",
            "Output projection",
            "Residual addition ₁: the input plus what the sub-layer adds",
            "Layer norm ₂: each position to mean 0 and spread 1",
            "Feed-forward, position by position: a hidden layer four times as wide",
            "Feed-forward: back to the model width",
            "Residual addition ₂: the input plus what the sub-layer adds",
            "Layer norm: each position to mean 0 and spread 1")) {
      assertTrue(titles.contains(want), want + " in " + titles);
    }
    // The block's attention, then the bare attention layer: two sets of the four steps.
    assertEquals(
        2, titles.stream().filter(s -> s.equals("Attention weights, head by head")).count());
    int generic = RecurrentWalkthroughTest.checkRules(t); // matmul and products rules
    assertTrue(generic >= 9, "matmul and residual parts checked: " + generic);
    int checked = 0;
    Trace.Iteration it = t.iterations().get(0);
    for (Walkthrough.Step s : w.steps()) {
      for (Walkthrough.Part p : s.parts()) {
        Map<String, Object> r = p.rule();
        Tensor res = w.value(it, p.result());
        switch ((String) r.get("kind")) {
          case "layernorm" -> {
            Tensor a = w.value(it, (String) r.get("a"));
            Tensor g = w.value(it, (String) r.get("w"));
            Tensor b = w.value(it, (String) r.get("b"));
            double eps = ((Number) r.get("eps")).doubleValue();
            int f = a.shape().dim(-1);
            for (int row = 0; row < a.size() / f; row++) {
              double mean = 0;
              double var = 0;
              for (int j = 0; j < f; j++) {
                mean += a.data()[row * f + j];
              }
              mean /= f;
              for (int j = 0; j < f; j++) {
                var += Math.pow(a.data()[row * f + j] - mean, 2);
              }
              var /= f;
              for (int j = 0; j < f; j++) {
                double want =
                    (a.data()[row * f + j] - mean) / Math.sqrt(var + eps) * g.data()[j]
                        + b.data()[j];
                assertEquals(want, res.data()[row * f + j], tolerance(want), s.title());
              }
            }
            checked++;
          }
          case "attention" -> {
            Tensor q = w.value(it, (String) r.get("q"));
            int e = ((Number) r.get("width")).intValue();
            int[] d = res.shape().dims(); // [batch, heads, time, time]
            int hw = e / d[1];
            for (int b = 0; b < d[0]; b++) {
              for (int h = 0; h < d[1]; h++) {
                for (int i = 0; i < d[2]; i++) {
                  double[] z = new double[i + 1]; // causal: keys 0..i
                  double max = Double.NEGATIVE_INFINITY;
                  for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int k = 0; k < hw; k++) {
                      dot +=
                          q.data()[(b * d[2] + i) * 3 * e + h * hw + k]
                              * q.data()[(b * d[2] + j) * 3 * e + e + h * hw + k];
                    }
                    z[j] = dot / Math.sqrt(hw);
                    max = Math.max(max, z[j]);
                  }
                  double sum = 0;
                  for (double v : z) {
                    sum += Math.exp(v - max);
                  }
                  for (int j = 0; j < d[3]; j++) {
                    double want = j <= i ? Math.exp(z[j] - max) / sum : 0;
                    float got = res.data()[((b * d[1] + h) * d[2] + i) * d[3] + j];
                    assertEquals(want, got, tolerance(want), s.title() + " " + b + h + i + j);
                  }
                }
              }
            }
            checked++;
          }
          case "attnmix" -> {
            Tensor a = w.value(it, (String) r.get("a"));
            Tensor v = w.value(it, (String) r.get("v"));
            int heads = ((Number) r.get("heads")).intValue();
            int[] d = res.shape().dims(); // [batch, time, width]
            int e = d[2];
            int hw = e / heads;
            boolean dropped = false;
            for (int b = 0; b < d[0]; b++) {
              for (int tt = 0; tt < d[1]; tt++) {
                for (int c = 0; c < e; c++) {
                  int h = c / hw;
                  double want = 0;
                  for (int j = 0; j < d[1]; j++) {
                    want +=
                        a.data()[((b * heads + h) * d[1] + tt) * d[1] + j]
                            * v.data()[(b * d[1] + j) * 3 * e + 2 * e + c];
                  }
                  dropped |= Math.abs(want - res.data()[(b * d[1] + tt) * e + c]) > 1e-3;
                  if (p.result().startsWith("T3.")) {
                    // The bare attention layer has no dropout: A · V exactly.
                    assertEquals(want, res.data()[(b * d[1] + tt) * e + c], tolerance(want));
                  }
                }
              }
            }
            if (p.result().startsWith("T2.")) {
              assertTrue(dropped, "the block's attention dropout (0.2) shows while training");
            }
            checked++;
          }
          default -> {}
        }
      }
    }
    assertEquals(3 + 2 + 2, checked, "3 layer norms, 2 attention weights, 2 mixes");
    String html = TracePage.html(t, "transformer");
    assertTrue(html.contains("Attention weights, head by head"));
  }
}
