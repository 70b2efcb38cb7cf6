package dev.nerve.report.trace;

import static dev.nerve.report.trace.LayerContext.rule;

import dev.nerve.nn.LayerNorm;
import dev.nerve.nn.MultiHeadAttention;
import dev.nerve.nn.TransformerEncoder;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attention and the transformer block, step by step: a {@link LayerNorm} as one step; a {@link
 * MultiHeadAttention} as four (queries, keys and values; the attention weights of every head, drawn
 * as heat maps; the values mixed by those weights; the output projection); a {@link
 * TransformerEncoder} as its first layer norm, those four, the residual addition, the second layer
 * norm, the feed-forward layers and the second residual addition. A cell of the weights points back
 * to its query row, its key row, the scale {@code 1/√d} and its softmax row.
 *
 * <p>Matrix ids {@code T<i>.<name>} are the layer's {@code insides()}; the names are those of
 * {@link MultiHeadAttention#insides()} and {@link TransformerEncoder#insides()}.
 */
final class AttentionExplainer implements LayerExplainer {
  @Override
  public Role role() {
    return Role.WEIGHTED;
  }

  @Override
  public String outputName(LayerContext c) {
    if (c.isLast()) {
      return "output";
    }
    return c.layer() instanceof LayerNorm
        ? "normalized"
        : c.layer() instanceof TransformerEncoder ? "block_output" : "attention_output";
  }

  @Override
  public String parameterName(LayerContext c, int j) {
    String n = c.parameterNames().get(j);
    if (c.layer() instanceof LayerNorm) {
      return n.equals("weight") ? "γ" : "β";
    }
    return switch (n.replaceFirst("^0\\.1\\.", "")) {
      case "in_proj_weight" -> "W_qkv";
      case "in_proj_bias" -> "b_qkv";
      case "out_proj.weight" -> "W_o";
      case "out_proj.bias" -> "b_o";
      case "0.0.weight" -> "γ₁";
      case "0.0.bias" -> "β₁";
      case "1.0.weight" -> "γ₂";
      case "1.0.bias" -> "β₂";
      case "1.1.weight" -> "W₁";
      case "1.1.bias" -> "b₁";
      case "1.4.weight" -> "W₂";
      case "1.4.bias" -> "b₂";
      default -> n;
    };
  }

  @Override
  public String initTutorial(LayerContext c) {
    if (c.layer() instanceof LayerNorm) {
      return "gamma = np.ones(features)   beta = np.zeros(features)";
    }
    return "W_qkv = glorot_uniform(3 * width, width)   W_o = np.random.uniform(-1/√width, 1/√width)";
  }

  private static String id(LayerContext c, String name) {
    return "T" + c.index() + "." + name;
  }

  @Override
  public void forward(LayerContext c) {
    Map<String, Tensor> in = c.insides();
    c.matrix(c.output(), c.outputName(), "matrix");
    if (c.layer() instanceof LayerNorm ln) {
      if (ln.parameters().isEmpty()) {
        LayerExplainer.super.forward(c);
        return;
      }
      layerNorm(c, c.input(), c.parameter(0), c.parameter(1), c.output(), "", ln.eps());
      return;
    }
    if (!in.containsKey("weights")) {
      LayerExplainer.super.forward(c);
      return;
    }
    if (c.layer() instanceof MultiHeadAttention mha) {
      boolean bias = mha.parameters().size() == 4;
      attention(
          c,
          c.input(),
          c.parameter(0),
          bias ? c.parameter(1) : null,
          c.parameter(bias ? 2 : 1),
          bias ? c.parameter(3) : null,
          c.output(),
          mha.heads(),
          mha.width());
      return;
    }
    TransformerEncoder block = (TransformerEncoder) c.layer();
    String x = c.input();
    String norm1 = id(c, "norm1");
    c.matrix(norm1, "norm₁", "matrix");
    double eps = block.settings().eps();
    layerNorm(c, x, c.parameter(0), c.parameter(1), norm1, "₁", eps);
    String att = id(c, "attention");
    c.matrix(att, "attention", "matrix");
    MultiHeadAttention mha = block.attention();
    attention(
        c,
        norm1,
        c.parameter(2),
        c.parameter(3),
        c.parameter(4),
        c.parameter(5),
        att,
        mha.heads(),
        mha.width());
    String kept1 = id(c, "attention_kept");
    String res1 = id(c, "residual1");
    c.matrix(kept1, "dropout(attention)", "matrix");
    c.matrix(res1, "residual₁", "matrix");
    residual(c, x, att, kept1, res1, "₁");
    String norm2 = id(c, "norm2");
    c.matrix(norm2, "norm₂", "matrix");
    layerNorm(c, res1, c.parameter(6), c.parameter(7), norm2, "₂", eps);
    String hidden = id(c, "hidden");
    String act = id(c, "activated");
    String actKept = id(c, "activated_kept");
    String ff = id(c, "feedforward");
    String ffKept = id(c, "feedforward_kept");
    c.matrix(hidden, "hidden", "matrix");
    c.matrix(act, "activated", "matrix");
    c.matrix(actKept, "dropout(activated)", "matrix");
    c.matrix(ff, "feedforward", "matrix");
    c.matrix(ffKept, "dropout(feedforward)", "matrix");
    String fn = block.settings().activation();
    c.steps(
        c.forwardNumber(),
        "Feed-forward, position by position: a hidden layer four times as wide",
        "hidden = matrix_dot_product(norm2, W1) + b1   activated = " + fn + "(hidden)",
        "hidden = norm₂ · W₁ + b₁;  a = " + fn + "(hidden)",
        c.where() + ": Dense.forward, then " + fn.toUpperCase(java.util.Locale.ROOT) + ".forward",
        "The same small MLP runs on every position alone: attention moved information between"
            + " positions, this layer works on what each position now holds.",
        List.of(norm2, c.parameter(8), c.parameter(9)),
        List.of(
            new Walkthrough.Part(
                hidden,
                rule(
                    "kind",
                    "matmul",
                    "a",
                    norm2,
                    "b",
                    c.parameter(8),
                    "bias",
                    c.parameter(9),
                    "flat",
                    true)),
            new Walkthrough.Part(act, rule("kind", "map", "a", hidden, "fn", fn, "param", 0.0))));
    c.step(
        c.forwardNumber(),
        "Feed-forward: back to the model width",
        "feedforward = matrix_dot_product(dropout(activated), W2) + b2",
        "f = dropout(a) · W₂ + b₂",
        c.where() + ": Dropout.forward, Dense.forward",
        "Dropout zeroes some activations while training (and scales the others up); then a"
            + " weighted sum per output feature.",
        List.of(act, actKept, c.parameter(10), c.parameter(11)),
        ff,
        rule(
            "kind",
            "matmul",
            "a",
            actKept,
            "b",
            c.parameter(10),
            "bias",
            c.parameter(11),
            "flat",
            true));
    residual(c, res1, ff, ffKept, c.output(), "₂");
  }

  /** One layer-norm step: {@code result = (a − mean) / √(var + eps) · γ + β}, row by row. */
  private static void layerNorm(
      LayerContext c, String a, String gamma, String beta, String result, String n, double eps) {
    c.step(
        c.forwardNumber(),
        "Layer norm" + (n.isEmpty() ? "" : " " + n) + ": each position to mean 0 and spread 1",
        c.nameOf(result) + " = (x - x.mean(-1)) / np.sqrt(x.var(-1) + eps) * gamma + beta",
        "x̂ = (x − μ) / √(σ² + ε);  y = γ" + n + " ⊙ x̂ + β" + n,
        c.where() + ": LayerNorm.forward",
        "Every row (one example at one position) is centred on its own mean and divided by its"
            + " own standard deviation, then scaled and shifted per feature. No batch statistics:"
            + " training and prediction compute the same thing.",
        List.of(a, gamma, beta),
        result,
        rule("kind", "layernorm", "a", a, "w", gamma, "b", beta, "eps", eps));
  }

  /** The residual addition {@code result = x + dropout(f)}, with the dropout as its first part. */
  private static void residual(
      LayerContext c, String x, String f, String kept, String result, String n) {
    c.steps(
        c.forwardNumber(),
        "Residual addition " + n + ": the input plus what the sub-layer adds",
        c.nameOf(result) + " = " + c.nameOf(x) + " + dropout(" + c.nameOf(f) + ")",
        "r" + n + " = x + dropout(f)",
        c.where() + ": Residual.forward",
        "The sub-layer's output is added to its input, cell by cell, so the block only has to"
            + " learn a correction, and the error flows back through the addition unchanged."
            + " While training, dropout first zeroes some cells of it.",
        List.of(x, f),
        List.of(
            new Walkthrough.Part(kept, rule("kind", "none")),
            new Walkthrough.Part(
                result, rule("kind", "products", "terms", List.of(List.of(x), List.of(kept))))));
  }

  /** The four steps of multi-head self-attention on {@code x}. */
  private static void attention(
      LayerContext c,
      String x,
      String wIn,
      String bIn,
      String wOut,
      String bOut,
      String result,
      int heads,
      int width) {
    String qkv = id(c, "qkv");
    String weights = id(c, "weights");
    String mixed = id(c, "mixed");
    c.matrix(qkv, "[Q K V]", "matrix");
    c.matrix(weights, "attention weights A", "heads");
    c.matrix(mixed, "A · V (heads side by side)", "matrix");
    int d = width / heads;
    List<String> shows = new ArrayList<>(List.of(x, wIn));
    Map<String, Object> r = rule("kind", "matmul", "a", x, "b", wIn, "tb", true, "flat", true);
    if (bIn != null) {
      shows.add(bIn);
      r.put("bias", bIn);
    }
    c.step(
        c.forwardNumber(),
        "Queries, keys and values",
        "Q, K, V = np.split(matrix_dot_product(" + c.nameOf(x) + ", W_qkv.T) + b_qkv, 3, -1)",
        "[Q K V] = x · W_qkvᵀ + b_qkv",
        c.where() + ": MultiHeadAttention.forward → Tensor.matmul(x, W_qkvᵀ)",
        "Each position asks a question (its query), offers a label (its key) and carries content"
            + " (its value): three linear maps of the same row. Head h uses columns h·"
            + d
            + " to h·"
            + d
            + " + "
            + d
            + " of each.",
        shows,
        qkv,
        r);
    c.step(
        c.forwardNumber(),
        "Attention weights, head by head",
        "A = softmax(Q_h @ K_h.T / np.sqrt(" + d + ") + mask)",
        "A_h = softmax(Q_h K_hᵀ / √" + d + " + mask)",
        c.where() + ": MultiHeadAttention.attend",
        "How much each position (a row) takes from each other position (a column): the dot"
            + " product of its query with every key, scaled by 1/√"
            + d
            + ", turned into weights that sum to 1 by a softmax over the row. Masked keys (later"
            + " positions in a causal layer, padding) get weight 0. One heat map per example and"
            + " head.",
        List.of(qkv),
        weights,
        rule("kind", "attention", "q", qkv, "heads", heads, "width", width));
    c.step(
        c.forwardNumber(),
        "Mix the values by the weights",
        "mixed = A_h @ V_h for every head, side by side",
        "O_h = dropout(A_h) V_h;  [O_1 … O_" + heads + "]",
        c.where() + ": MultiHeadAttention.forward → Gemm.gemm(A, V)",
        "Each position's new content is the weighted average of the values it attends to; the"
            + " heads' results are placed side by side. (While training, dropout on the weights"
            + " may zero some of them first.)",
        List.of(weights, qkv),
        mixed,
        rule("kind", "attnmix", "a", weights, "v", qkv, "heads", heads, "width", width));
    List<String> outShows = new ArrayList<>(List.of(mixed, wOut));
    Map<String, Object> o = rule("kind", "matmul", "a", mixed, "b", wOut, "tb", true, "flat", true);
    if (bOut != null) {
      outShows.add(bOut);
      o.put("bias", bOut);
    }
    c.step(
        c.forwardNumber(),
        "Output projection",
        c.nameOf(result) + " = matrix_dot_product(mixed, W_o.T) + b_o",
        "y = [O_1 … O_" + heads + "] · W_oᵀ + b_o",
        c.where() + ": MultiHeadAttention.forward → Tensor.matmul(mixed, W_oᵀ)",
        "A linear map that lets the heads' findings combine.",
        outShows,
        result,
        o);
  }

  @Override
  public String backwardText(LayerContext c) {
    if (c.layer() instanceof LayerNorm) {
      return "Through the normalisation: the error at each row, minus its mean, minus the part"
          + " along x̂, divided by the row's standard deviation.";
    }
    return "Back through the output projection, the weighted mix (dV = Aᵀ dO, dA = dO Vᵀ), the"
        + " softmax (dZ = A ⊙ (dA − Σ dA ⊙ A)) and the three projections"
        + (c.layer() instanceof TransformerEncoder
            ? ", the feed-forward layers and both layer norms, plus the residual paths, which"
                + " pass the error through unchanged."
            : ".");
  }
}
