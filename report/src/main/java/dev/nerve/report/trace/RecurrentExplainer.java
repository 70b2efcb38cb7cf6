package dev.nerve.report.trace;

import static dev.nerve.report.trace.LayerContext.rule;

import dev.nerve.nn.GRU;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.RNN;
import dev.nerve.nn.Recurrent;
import dev.nerve.report.trace.Walkthrough.Part;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A recurrent layer (RNN, LSTM, GRU) unrolled through time: forward, one step per time step with
 * the step's input {@code x_t}, the previous hidden state {@code h_{t-1}}, every gate and the new
 * states, each cell pointing back to the row of {@code x_t}, the row of {@code h_{t-1}} and the
 * weight rows that made it; backward (backpropagation through time), one step per time step from
 * the last to the first, the error at {@code h_t} made of the error from the output at {@code t}
 * and the error flowing back from step {@code t + 1} through {@code W_hh}. The forward direction
 * only; a bidirectional layer's reverse direction runs the same steps from the last to the first.
 *
 * <p>Matrix ids: {@code T<i>.<name>} are the layer's {@link Recurrent#insides()} ({@code [batch,
 * time, ...]}), and {@code <id>#t} is time step {@code t} of a matrix {@code [batch, time, ...]};
 * errors ({@code dh}, {@code dA}) are shown with the walkthrough's sign, minus the gradient.
 */
final class RecurrentExplainer implements LayerExplainer {
  /**
   * With more time steps than this, or more values than {@link #BUDGET}, only the first and last
   * few steps are shown.
   */
  static final int ALL_STEPS = 12;

  /**
   * About how many values the unrolled steps of one iteration may put on the page: a language
   * model's batch of 64 through a GRU of 128 has some 70,000 per step, and the page keeps every
   * recorded iteration.
   */
  static final long BUDGET = 1 << 18;

  static final int ENDS = 4;

  @Override
  public Role role() {
    return Role.WEIGHTED;
  }

  @Override
  public String outputName(LayerContext c) {
    return c.isLast() ? "output" : kind(c).toLowerCase(java.util.Locale.ROOT) + "_output";
  }

  @Override
  public String parameterName(LayerContext c, int j) {
    String n = c.parameterNames().get(j);
    String base =
        n.startsWith("weight_ih")
            ? "W_ih"
            : n.startsWith("weight_hh") ? "W_hh" : n.startsWith("bias_ih") ? "b_ih" : "b_hh";
    return base + (n.endsWith("_reverse") ? "_reverse" : "");
  }

  @Override
  public String initTutorial(LayerContext c) {
    Recurrent r = (Recurrent) c.layer();
    double k = 1 / Math.sqrt(r.hiddenSize());
    return "W_ih, W_hh, b_ih, b_hh = np.random.uniform(-" + fmt(k) + ", " + fmt(k) + ", ...)";
  }

  private static String fmt(double v) {
    return String.valueOf(Math.round(v * 1e4) / 1e4);
  }

  static String kind(LayerContext c) {
    return LayerContext.simpleName(c.layer());
  }

  /**
   * The time steps shown: all of them if there are at most {@link #ALL_STEPS} and they fit the
   * {@link #BUDGET}, else the first and last {@link #ENDS} (fewer, down to one each, for large
   * steps).
   */
  static List<Integer> shown(int steps, long perStep) {
    int ends = (int) Math.max(1, Math.min(ENDS, BUDGET / Math.max(1, perStep) / 2));
    boolean all = steps <= ALL_STEPS && steps * perStep <= BUDGET;
    List<Integer> out = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      if (all || t < ends || t >= steps - ends) {
        out.add(t);
      }
    }
    return out;
  }

  /** The values one time step puts on the page: every inside's share of a step, and the input. */
  private static long perStep(LayerContext c, int steps) {
    long n = 0;
    for (Tensor t : c.insides().values()) {
      if (t.rank() == 3 && t.shape().dim(1) == steps) {
        n += t.size() / steps;
      }
    }
    Recurrent r = (Recurrent) c.layer();
    return n + (n == 0 ? 0 : (long) c.insides().get("h").shape().dim(0) * r.inputSize());
  }

  private static int steps(LayerContext c) {
    Map<String, Tensor> in = c.insides();
    return in.containsKey("h") ? in.get("h").shape().dim(1) : 0;
  }

  private static String sub(int t) {
    return "⁽" + LayerContext.sup(t).replace("⁽", "") + "⁾";
  }

  private static String id(LayerContext c, String name) {
    return "T" + c.index() + "." + name;
  }

  private static String at(String id, int t) {
    return id + "#" + t;
  }

  @Override
  public void forward(LayerContext c) {
    Recurrent r = (Recurrent) c.layer();
    int steps = steps(c);
    String x = c.input();
    c.matrix(c.output(), c.outputName(), "matrix");
    if (steps == 0) {
      LayerExplainer.super.forward(c);
      return;
    }
    boolean lstm = r instanceof LSTM;
    boolean gru = r instanceof GRU;
    String wih = c.parameter(0);
    String whh = c.parameter(1);
    String bih = r.hasBias() ? c.parameter(2) : null;
    String bhh = r.hasBias() ? c.parameter(3) : null;
    int n = r.hiddenSize();
    c.matrix(id(c, "h0"), "h⁽⁻¹⁾ (initial state)", "matrix");
    if (lstm) {
      c.matrix(id(c, "c0"), "c⁽⁻¹⁾ (initial state)", "matrix");
    }
    List<Integer> ts = shown(steps, perStep(c, steps));
    for (int t : ts) {
      String xt = at(x, t);
      c.matrix(xt, c.nameOf(x) + "[:, " + t + "]", "matrix");
      String hPrev = t == 0 ? id(c, "h0") : at(id(c, "h"), t - 1);
      if (t > 0 && !ts.contains(t - 1)) {
        c.matrix(hPrev, "h" + sub(t - 1), "matrix");
      }
      String ht = at(id(c, "h"), t);
      c.matrix(ht, "h" + sub(t), "matrix");
      List<Part> parts = new ArrayList<>();
      List<String> shows = new ArrayList<>(List.of(xt, hPrev, wih, whh));
      if (bih != null) {
        shows.add(bih);
        shows.add(bhh);
      }
      String tutorial;
      String math;
      String text;
      if (lstm) {
        String[] gates = {"i", "f", "g", "o"};
        String[] fns = {"sigmoid", "sigmoid", "tanh", "sigmoid"};
        for (int k = 0; k < 4; k++) {
          String gid = at(id(c, gates[k]), t);
          c.matrix(gid, gates[k] + sub(t), "matrix");
          parts.add(new Part(gid, affine(xt, wih, bih, hPrev, whh, bhh, k * n, fns[k], null)));
        }
        String cPrev = t == 0 ? id(c, "c0") : at(id(c, "c"), t - 1);
        if (t > 0 && !ts.contains(t - 1)) {
          c.matrix(cPrev, "c" + sub(t - 1), "matrix");
        }
        shows.add(cPrev);
        String ct = at(id(c, "c"), t);
        String tc = at(id(c, "tanh_c"), t);
        c.matrix(ct, "c" + sub(t), "matrix");
        c.matrix(tc, "tanh(c" + sub(t) + ")", "matrix");
        parts.add(
            new Part(
                ct,
                rule(
                    "kind",
                    "products",
                    "terms",
                    List.of(
                        List.of(at(id(c, "f"), t), cPrev),
                        List.of(at(id(c, "i"), t), at(id(c, "g"), t))))));
        parts.add(new Part(tc, rule("kind", "map", "a", ct, "fn", "tanh", "param", 0.0)));
        parts.add(
            new Part(
                ht, rule("kind", "products", "terms", List.of(List.of(at(id(c, "o"), t), tc)))));
        tutorial =
            "i, f, g, o = gates(x[:, t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)   c = f * c + i * g"
                + "   h = o * np.tanh(c)";
        math =
            "i = σ(x W_iiᵀ + h W_hiᵀ + b), f, o alike, g = tanh(…);  c⁽ᵗ⁾ = f ⊙ c⁽ᵗ⁻¹⁾ + i ⊙ g,"
                + "  h⁽ᵗ⁾ = o ⊙ tanh(c⁽ᵗ⁾)";
        text =
            "Each gate is a weighted sum of this step's input and the previous hidden state, in"
                + " the gate's rows of W_ih and W_hh (PyTorch's order i, f, g, o), squashed; the"
                + " cell state keeps what the forget gate lets through and adds what the input"
                + " gate lets in.";
      } else if (gru) {
        String[] gates = {"r", "z"};
        for (int k = 0; k < 2; k++) {
          String gid = at(id(c, gates[k]), t);
          c.matrix(gid, gates[k] + sub(t), "matrix");
          parts.add(new Part(gid, affine(xt, wih, bih, hPrev, whh, bhh, k * n, "sigmoid", null)));
        }
        String nt = at(id(c, "n"), t);
        c.matrix(nt, "n" + sub(t), "matrix");
        parts.add(
            new Part(nt, affine(xt, wih, bih, hPrev, whh, bhh, 2 * n, "tanh", at(id(c, "r"), t))));
        parts.add(
            new Part(
                ht,
                rule(
                    "kind",
                    "products",
                    "terms",
                    List.of(
                        List.of("1-" + at(id(c, "z"), t), nt),
                        List.of(at(id(c, "z"), t), hPrev)))));
        tutorial =
            "r, z = sigmoid(...)   n = np.tanh(x @ W_in.T + b_in + r * (h @ W_hn.T + b_hn))"
                + "   h = (1 - z) * n + z * h";
        math =
            "r, z = σ(x Wᵢᵀ + h Wₕᵀ + b);  n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn));"
                + "  h⁽ᵗ⁾ = (1 − z) ⊙ n + z ⊙ h⁽ᵗ⁻¹⁾";
        text =
            "The reset gate r decides how much of the previous state the candidate n sees; the"
                + " update gate z mixes the candidate with the previous state.";
      } else {
        String fn = ((RNN) r).relu() ? "relu" : "tanh";
        parts.add(new Part(ht, affine(xt, wih, bih, hPrev, whh, bhh, 0, fn, null)));
        tutorial = "h = np." + fn + "(x[:, t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)";
        math = "h⁽ᵗ⁾ = " + fn + "(x⁽ᵗ⁾ W_ihᵀ + b_ih + h⁽ᵗ⁻¹⁾ W_hhᵀ + b_hh)";
        text =
            "The same weights at every step: this step's input and the previous hidden state,"
                + " each through its own weight matrix, added and squashed.";
      }
      c.steps(
          c.forwardNumber(),
          kind(c) + ", time step " + t + " of " + steps,
          tutorial,
          math,
          c.where() + ": Recurrent.forward, step " + t,
          text,
          shows,
          parts);
    }
    String skipped =
        steps > ts.size()
            ? " This layer runs "
                + steps
                + " time steps; the first and last "
                + (ts.size() / 2)
                + " are shown, the ones between run the same way."
            : "";
    c.step(
        c.forwardNumber(),
        kind(c) + ": the layer's output",
        c.outputName() + " = " + (r.returnSequences() ? "h at every step" : "h at the last step"),
        r.returnSequences() ? "output[:, t] = h⁽ᵗ⁾" : "output = h⁽ᵀ⁻¹⁾",
        c.where() + ": Recurrent.forward",
        (r.returnSequences()
                ? "Every step's hidden state, one row of steps per example."
                : "The hidden state after each example's last real step.")
            + skipped,
        List.of(at(id(c, "h"), steps - 1)),
        c.output(),
        r.returnSequences() || r.bidirectional()
            ? rule("kind", "none")
            : rule("kind", "same", "a", at(id(c, "h"), steps - 1)));
  }

  private static Map<String, Object> affine(
      String x,
      String wih,
      String bih,
      String h,
      String whh,
      String bhh,
      int offset,
      String fn,
      String gate) {
    return rule(
        "kind", "affine2", "a", x, "wa", wih, "ba", bih, "h", h, "wh", whh, "bh", bhh, "offset",
        offset, "fn", fn, "gate", gate);
  }

  /** Backpropagation through time, from the last step to the first. */
  @Override
  public void backwardWithin(LayerContext c) {
    Recurrent r = (Recurrent) c.layer();
    int steps = steps(c);
    if (steps == 0 || !c.insides().containsKey("dh")) {
      return;
    }
    boolean gru = r instanceof GRU;
    String whh = c.parameter(1);
    List<Integer> ts = shown(steps, perStep(c, steps));
    for (int k = ts.size() - 1; k >= 0; k--) {
      int t = ts.get(k);
      String dh = at(id(c, "dh"), t);
      String da = at(id(c, "dA"), t);
      c.matrix(dh, "E_h" + sub(t), "matrix");
      c.matrix(da, "δ" + sub(t), "matrix");
      String fromOutput =
          r.returnSequences() ? at(c.errorOut(), t) : t == steps - 1 ? c.errorOut() : null;
      List<String> shows = new ArrayList<>();
      Map<String, Object> rule;
      String nextDelta = t + 1 < steps ? at(id(c, "dA"), t + 1) : null;
      if (nextDelta != null && !ts.contains(t + 1)) {
        c.matrix(nextDelta, "δ" + sub(t + 1), "matrix");
      }
      if (fromOutput != null) {
        if (r.returnSequences()) {
          c.matrix(fromOutput, c.nameOf(c.errorOut()) + "[:, " + t + "]", "matrix");
        }
        shows.add(fromOutput);
      }
      // A bidirectional layer's output error is [batch, 2 * hidden]: its cells do not line up with
      // the forward direction's [batch, hidden], so its rules are told in words only.
      boolean lined = !r.bidirectional();
      if (nextDelta == null) {
        rule =
            fromOutput == null || !lined
                ? rule("kind", "none")
                : rule("kind", "same", "a", fromOutput);
      } else if (gru || !lined) {
        shows.add(nextDelta);
        rule = rule("kind", "none");
      } else {
        shows.add(nextDelta);
        shows.add(whh);
        rule =
            rule(
                "kind",
                "matmul",
                "a",
                nextDelta,
                "b",
                whh,
                "ta",
                false,
                "tb",
                false,
                "add",
                fromOutput != null && r.returnSequences() ? fromOutput : null);
      }
      String carried =
          gru
              ? "the previous state reaches h⁽ᵗ⁺¹⁾ both through W_hh (δ⁽ᵗ⁺¹⁾ · W_hh, the reset gate"
                  + " scaling the candidate's part) and directly (z ⊙ E_h⁽ᵗ⁺¹⁾)"
              : "δ⁽ᵗ⁺¹⁾ · W_hh, the error at the next step's gates carried back through the"
                  + " weights that brought h⁽ᵗ⁾ there";
      c.steps(
          "8",
          "Back through time: the error at h" + sub(t) + " and the deltas of step " + t,
          "E_h[t] = E_output[t] + d[t+1] @ W_hh   d[t] = E_h[t] * gates'(...)",
          "E_h⁽ᵗ⁾ = E_out⁽ᵗ⁾ + "
              + (gru ? "δ⁽ᵗ⁺¹⁾ W_hh (with r) + z ⊙ E_h⁽ᵗ⁺¹⁾" : "δ⁽ᵗ⁺¹⁾ W_hh")
              + ";  δ⁽ᵗ⁾ = ∂h⁽ᵗ⁾/∂a⁽ᵗ⁾ applied to E_h⁽ᵗ⁾",
          c.where() + ": Recurrent.backward, step " + t,
          "The error at this step's hidden state has two sources: "
              + (fromOutput == null
                  ? "nothing from the output here (only the last step's state is the output), "
                  : "the output at this step, ")
              + (nextDelta == null ? "and nothing from later (this is the last step)" : carried)
              + ". Multiplied by each gate's slope it gives the step's delta δ⁽ᵗ⁾ (one block per"
              + " gate), which the weight gradients sum over all steps and which flows on to "
              + (t == 0
                  ? "the initial state, where it stops (the initial state is not trained)."
                  : "step " + (t - 1) + ". A padded step passes the error through unchanged."),
          shows,
          List.of(new Part(dh, rule), new Part(da, rule("kind", "none"))));
    }
  }

  @Override
  public void backward(LayerContext c) {
    LayerExplainer.super.backward(c);
  }

  @Override
  public Direction direction(LayerContext c, int j) {
    String n = c.parameterNames().get(j);
    String from =
        n.startsWith("weight_ih") ? "x[:, t]" : n.startsWith("weight_hh") ? "h[:, t-1]" : "1";
    return new Direction(
        rule("kind", "none"), "sum over t of d[t].T @ " + from, n.startsWith("weight_ih"));
  }
}
