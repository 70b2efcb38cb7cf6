package dev.nerve.report.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough of a recurrent layer: a step per time step forward and back, and every cell's
 * rule, recomputed here from the matrices it names, gives the value Nerve computed (so the page's
 * "this cell came from these cells" is the true arithmetic, gates and errors through time alike).
 */
class RecurrentWalkthroughTest {
  private static double tolerance(double v) {
    return 2e-5 + 2e-5 * Math.abs(v);
  }

  /** Recomputes every part whose rule is arithmetic, in every recorded iteration. */
  static int checkRules(Trace t) {
    Walkthrough w = Walkthrough.of(t);
    int checked = 0;
    for (Trace.Iteration it : t.iterations()) {
      for (Walkthrough.Step s : w.steps()) {
        for (Walkthrough.Part p : s.parts()) {
          Map<String, Object> r = p.rule();
          Tensor res = w.value(it, p.result());
          String kind = (String) r.get("kind");
          switch (kind) {
            case "affine2" -> {
              Tensor x = w.value(it, (String) r.get("a"));
              Tensor wa = w.value(it, (String) r.get("wa"));
              Tensor h = w.value(it, (String) r.get("h"));
              Tensor wh = w.value(it, (String) r.get("wh"));
              Tensor ba = r.get("ba") == null ? null : w.value(it, (String) r.get("ba"));
              Tensor bh = r.get("bh") == null ? null : w.value(it, (String) r.get("bh"));
              Tensor gate = r.get("gate") == null ? null : w.value(it, (String) r.get("gate"));
              int off = ((Number) r.get("offset")).intValue();
              int rows = res.shape().dim(0);
              int cols = res.size() / rows;
              int in = x.size() / rows;
              int hid = h.size() / rows;
              for (int b = 0; b < rows; b++) {
                for (int j = 0; j < cols; j++) {
                  int k = off + j;
                  double sx = ba == null ? 0 : ba.data()[k];
                  for (int q = 0; q < in; q++) {
                    sx += x.data()[b * in + q] * wa.data()[k * in + q];
                  }
                  double sh = bh == null ? 0 : bh.data()[k];
                  for (int q = 0; q < hid; q++) {
                    sh += h.data()[b * hid + q] * wh.data()[k * hid + q];
                  }
                  double pre = sx + (gate == null ? 1 : gate.data()[b * cols + j]) * sh;
                  double want =
                      switch ((String) r.get("fn")) {
                        case "sigmoid" -> 1 / (1 + Math.exp(-pre));
                        case "relu" -> Math.max(0, pre);
                        default -> Math.tanh(pre);
                      };
                  double got = res.data()[b * cols + j];
                  assertEquals(
                      want,
                      got,
                      tolerance(want),
                      s.title() + " " + p.result() + "[" + b + "," + j + "]");
                }
              }
              checked++;
            }
            case "products" -> {
              @SuppressWarnings("unchecked")
              List<List<String>> terms = (List<List<String>>) r.get("terms");
              for (int i = 0; i < res.size(); i++) {
                double sum = 0;
                for (List<String> term : terms) {
                  double prod = 1;
                  for (String f : term) {
                    boolean minus = f.startsWith("1-");
                    double v = w.value(it, minus ? f.substring(2) : f).data()[i];
                    prod *= minus ? 1 - v : v;
                  }
                  sum += prod;
                }
                assertEquals(sum, res.data()[i], tolerance(sum), s.title() + " " + p.result());
              }
              checked++;
            }
            case "matmul" -> {
              // Operands as matrices: [first, rest] or, for a dense layer's "flat" rules,
              // [everything before the last axis, last axis].
              boolean flat = Boolean.TRUE.equals(r.get("flat"));
              boolean ta = Boolean.TRUE.equals(r.get("ta"));
              boolean tb = Boolean.TRUE.equals(r.get("tb"));
              Tensor a = w.value(it, (String) r.get("a"));
              Tensor bm = w.value(it, (String) r.get("b"));
              Tensor bias = r.get("bias") == null ? null : w.value(it, (String) r.get("bias"));
              Tensor add = r.get("add") == null ? null : w.value(it, (String) r.get("add"));
              int[] rs = matrix(res, flat);
              int[] as = matrix(a, flat);
              int[] bs = matrix(bm, flat);
              int k = ta ? as[0] : as[1];
              for (int i = 0; i < rs[0]; i++) {
                for (int j = 0; j < rs[1]; j++) {
                  double v = add == null ? 0 : add.data()[i * rs[1] + j];
                  v += bias == null ? 0 : bias.data()[j];
                  for (int q = 0; q < k; q++) {
                    double x = a.data()[ta ? q * as[1] + i : i * as[1] + q];
                    double y = bm.data()[tb ? j * bs[1] + q : q * bs[1] + j];
                    v += x * y;
                  }
                  assertEquals(
                      v, res.data()[i * rs[1] + j], tolerance(v), s.title() + " " + p.result());
                }
              }
              checked++;
            }
            case "colsum" -> {
              if (Boolean.TRUE.equals(r.get("maps"))) {
                continue;
              }
              Tensor a = w.value(it, (String) r.get("a"));
              int[] as = matrix(a, Boolean.TRUE.equals(r.get("flat")));
              for (int j = 0; j < as[1]; j++) {
                double v = 0;
                for (int i = 0; i < as[0]; i++) {
                  v += a.data()[i * as[1] + j];
                }
                assertEquals(v, res.data()[j], tolerance(v), s.title() + " " + p.result());
              }
              checked++;
            }
            case "same" -> {
              Tensor a = w.value(it, (String) r.get("a"));
              assertEquals(List.of(a.size()), List.of(res.size()), s.title());
              for (int i = 0; i < res.size(); i++) {
                assertEquals(a.data()[i], res.data()[i], 0f, s.title());
              }
              checked++;
            }
            default -> {}
          }
        }
      }
    }
    return checked;
  }

  private static int[] matrix(Tensor t, boolean flat) {
    int[] d = t.shape().dims();
    if (d.length == 1) {
      return new int[] {1, d[0]};
    }
    int last = flat ? d[d.length - 1] : t.size() / d[0];
    return new int[] {t.size() / last, last};
  }

  @Test
  void theEchoRnnIsUnrolledForwardAndBackThroughTime() {
    Trace t = SampleTraces.echo();
    Walkthrough w = Walkthrough.of(t);
    List<String> titles = w.steps().stream().map(Walkthrough.Step::title).toList();
    for (int s = 0; s < 4; s++) {
      int step = s;
      assertTrue(titles.contains("RNN, time step " + s + " of 4"), titles.toString());
      assertTrue(
          titles.stream()
              .anyMatch(
                  x ->
                      x.startsWith("Back through time: the error at h")
                          && x.endsWith("deltas of step " + step)),
          titles.toString());
    }
    // Forward steps in time order, then the output, then back from step 3 to step 0.
    assertTrue(titles.indexOf("RNN, time step 3 of 4") < titles.indexOf("RNN: the layer's output"));
    assertTrue(
        indexOfStart(titles, "Back through time: the error at h⁽³⁾")
            < indexOfStart(titles, "Back through time: the error at h⁽⁰⁾"));
    // The gates and states of 4 steps, the errors through time, and the dense layer after the
    // RNN, whose rules read [batch, time, features] along the last axis.
    assertTrue(checkRules(t) >= 2 * (4 + 4 + 3), "rules checked");
    // The recorded insides are the layer's own numbers: h at the last step is its output's.
    Trace.Iteration first = t.iterations().get(0);
    assertNotNull(first.insides().get(0).get("dh"));
    Tensor h3 = w.value(first, "T0.h#3");
    Tensor out3 = w.value(first, "O0#3");
    for (int i = 0; i < h3.size(); i++) {
      assertEquals(h3.data()[i], out3.data()[i], 0f);
    }
  }

  private static int indexOfStart(List<String> titles, String prefix) {
    for (int i = 0; i < titles.size(); i++) {
      if (titles.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void lstmAndGruGatesAndStatesFollowTheirRules() {
    for (boolean lstm : new boolean[] {true, false}) {
      Trace t = SampleTraces.recurrent(lstm);
      int checked = checkRules(t);
      // LSTM: 4 gates + c + h per step; GRU: r, z, n and h; plus the errors through time.
      assertTrue(checked >= 5 * (lstm ? 6 : 4), (lstm ? "LSTM " : "GRU ") + checked);
      Walkthrough w = Walkthrough.of(t);
      assertTrue(
          w.steps().stream()
              .anyMatch(s -> s.title().equals((lstm ? "LSTM" : "GRU") + ", time step 4 of 5")));
    }
  }

  @Test
  void iterationsOfDifferentLengthsDoNotBreakThePage() {
    // Batches are cut to their longest sequence: iteration 1 has 5 steps, iteration 2 only 2.
    dev.nerve.data.Dataset d =
        dev.nerve.text.TextDatasets.padded(
            new int[][] {{1, 2, 3, 4, 5}, {2, 3}}, 5, new int[] {0, 1}, 2);
    dev.nerve.nn.Sequential net =
        new dev.nerve.nn.Sequential(
                dev.nerve.tensor.Shape.of(5),
                new dev.nerve.nn.Embedding(6, 2),
                new dev.nerve.nn.LSTM(2, 3),
                new dev.nerve.nn.Dense(3, 2))
            .initialize(1);
    dev.nerve.train.TraceRecorder rec = dev.nerve.train.TraceRecorder.at(1, 2);
    dev.nerve.train.Trainer.builder(
            net,
            new dev.nerve.loss.SoftmaxCrossEntropy(),
            new dev.nerve.optim.Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(1)
        .noShuffle()
        .listener(rec)
        .build()
        .fit(d);
    Trace t = rec.trace();
    Walkthrough w = Walkthrough.of(t);
    assertTrue(w.steps().stream().anyMatch(s -> s.title().equals("LSTM, time step 4 of 5")));
    assertEquals(null, w.value(t.iterations().get(1), "T1.h#4")); // not computed there
    assertNotNull(w.value(t.iterations().get(1), "T1.h#1"));
    String html = TracePage.html(t, "lengths");
    assertTrue(html.contains("LSTM, time step 4 of 5"));
  }
}
