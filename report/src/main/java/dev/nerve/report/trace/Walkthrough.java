package dev.nerve.report.trace;

import dev.nerve.loss.BinaryCrossEntropy;
import dev.nerve.loss.HalfSquaredError;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.loss.SumSquaredError;
import dev.nerve.nn.Layer;
import dev.nerve.report.trace.LayerExplainer.Role;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training iteration told as the first tutorial tells it: the steps in order (step 0 read the
 * input and output, 1 the weights and biases, 2-4 forward propagation, 5 the error, 6 the slopes,
 * 7-9 the deltas and the error carried back, 10-11 the updates), each with the matrices it shows,
 * the matrix or matrices it computes and, for each computed cell, the rule naming the cells it came
 * from. Deeper networks repeat steps 2-3 and 8-9 per layer; convolution, pooling and flattening
 * layers get steps of their own in the same places. Each layer is explained by the {@link
 * LayerExplainer} registered for its class in {@link Explainers}; a layer without one (such as a
 * {@code Residual} block) still shows its input, output, error and parameters.
 *
 * <p>Signs follow the tutorial: the error {@code E} and the deltas {@code d} are the negative
 * gradients of the loss ({@code E = y - output} for the half squared error), so that an update adds
 * {@code learning rate * (input^T . d)}, exactly as the tutorial writes it; the check table beside
 * each update compares the true gradient {@code dL/dW} with its finite-difference estimate.
 *
 * <p>The matrix ids are: {@code X} and {@code Y} the batch, {@code O<i>} the output of layer i,
 * {@code E<i>} minus the gradient at that output, {@code S<i>} the slope of activation layer i, and
 * for parameter k in model order {@code P<k>} its value before, {@code Q<k>} after, {@code D<k>}
 * the step direction {@code -dL/dP}, {@code G<k>} the gradient and {@code N<k>} its numeric
 * estimate.
 *
 * @param trace the trace told
 * @param matrices every matrix's id, tutorial name and how to draw it, in first-shown order
 * @param steps the steps, the same for every recorded iteration
 */
public record Walkthrough(Trace trace, Map<String, MatrixInfo> matrices, List<Step> steps) {

  /**
   * How a matrix is named and drawn.
   *
   * @param id its id
   * @param name the tutorial's name for it, such as {@code hidden_layer_input}
   * @param display {@code matrix} (rows by columns; a vector is one row), {@code maps} (feature
   *     maps [batch, channels, height, width]) or {@code kernels} ([out, in, height, width])
   */
  public record MatrixInfo(String id, String name, String display) {}

  /**
   * One computed matrix of a step and the rule that says, for each of its cells, which cells of
   * other matrices it came from.
   *
   * @param result the id of the computed matrix
   * @param rule {@code kind} and its operands, as the page's script reads them
   */
  public record Part(String result, Map<String, Object> rule) {}

  /**
   * One step of the walkthrough.
   *
   * @param number the tutorial's step number ({@code 0} to {@code 11}); repeated for deeper
   *     networks
   * @param title what the step computes
   * @param tutorial the tutorial's line of numpy for it, with the names it uses
   * @param math the same in the notation of the chain rule
   * @param java the Nerve call that computed it
   * @param text one or two sentences of explanation
   * @param shows ids of the matrices it reads, shown before the results
   * @param parts what it computes
   * @param checks ids of parameters whose gradients get a check table in this step
   */
  public record Step(
      String number,
      String title,
      String tutorial,
      String math,
      String java,
      String text,
      List<String> shows,
      List<Part> parts,
      List<Integer> checks) {}

  /**
   * Whether {@code l} works on channels-first sequences {@code [channels, time]} (a 1-D convolution
   * or pool), whose outputs are drawn as one picture per example.
   */
  static boolean oneDimensional(Layer l) {
    return l instanceof dev.nerve.nn.Conv1d || l instanceof dev.nerve.nn.Pool1d;
  }

  /** The walkthrough of {@code trace}'s network. */
  public static Walkthrough of(Trace trace) {
    if (trace.iterations().isEmpty()) {
      throw new IllegalArgumentException("the trace recorded no iteration to walk through");
    }
    return new Builder(trace).build();
  }

  /**
   * The value of matrix {@code id} in iteration {@code it}, signs as the page shows them, or null
   * if the iteration has no such matrix.
   */
  public Tensor value(Trace.Iteration it, String id) {
    int hash = id.lastIndexOf('#');
    if (hash > 0) {
      // Time step t of a matrix [batch, time, ...]: [batch, ...].
      Tensor whole = value(it, id.substring(0, hash));
      return whole == null ? null : atStep(whole, Integer.parseInt(id.substring(hash + 1)));
    }
    if (id.charAt(0) == 'T') {
      // Layer i's insides; its errors (names starting with d) shown as minus the gradient.
      int dot = id.indexOf('.');
      String name = id.substring(dot + 1);
      Tensor t = it.insides().get(Integer.parseInt(id.substring(1, dot))).get(name);
      return t == null ? null : name.startsWith("d") ? t.scale(-1f) : t;
    }
    char kind = id.charAt(0);
    if (id.equals("X")) {
      return it.inputs();
    }
    if (id.equals("Y")) {
      return it.targets();
    }
    int k = Integer.parseInt(id.substring(1));
    switch (kind) {
      case 'O':
        return it.outputs().get(k);
      case 'E':
        Tensor g = it.outputGradients().get(k);
        return g == null ? null : g.scale(-1f);
      case 'S':
        return it.slopes().get(k);
      case 'P':
        return it.parameters().get(k).before();
      case 'Q':
        return it.parameters().get(k).after();
      case 'D':
        return it.parameters().get(k).gradient().scale(-1f);
      case 'G':
        return it.parameters().get(k).gradient();
      case 'N':
        return it.parameters().get(k).numericGradient();
      default:
        throw new IllegalArgumentException("no matrix " + id);
    }
  }

  /**
   * Time step {@code t} of {@code whole} {@code [batch, time, ...]}: {@code [batch, ...]}; null if
   * it has no step {@code t} (batches cut to their longest sequence differ in length).
   */
  static Tensor atStep(Tensor whole, int t) {
    int[] d = whole.shape().dims();
    if (d.length < 2 || t >= d[1]) {
      return null; // an iteration whose batch is shorter than the first one's: not computed
    }
    int batch = d[0];
    int steps = d[1];
    int per = whole.size() / (batch * steps);
    int[] out = new int[d.length - 1];
    out[0] = batch;
    System.arraycopy(d, 2, out, 1, d.length - 2);
    if (out.length == 1) {
      out = new int[] {batch, 1};
    }
    Tensor r = Tensor.zeros(out);
    for (int b = 0; b < batch; b++) {
      System.arraycopy(whole.data(), (b * steps + t) * per, r.data(), b * per, per);
    }
    return r;
  }

  /**
   * A map of the given keys and values in their order ({@code key1, value1, key2, value2, ...}), so
   * that the rules and the page's data are the same bytes for the same trace.
   */
  static Map<String, Object> orderedMap(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Builds the steps for one network. */
  static final class Builder {
    final Trace trace;
    final List<Layer> layers;
    final List<LayerExplainer> explainers = new ArrayList<>();
    private final Map<String, MatrixInfo> matrices = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final int firstParam;
    private final int lastParam;
    final int paramLayers;

    /** For each layer, the index of its first parameter in model order, or -1. */
    final int[] paramIndex;

    /** For each layer with parameters, its number among them from 1 (for names like W²). */
    final int[] ordinal;

    Builder(Trace trace) {
      this.trace = trace;
      this.layers = trace.model().layers();
      paramIndex = new int[layers.size()];
      ordinal = new int[layers.size()];
      int first = -1;
      int last = -1;
      int count = 0;
      int p = 0;
      for (int i = 0; i < layers.size(); i++) {
        explainers.add(Explainers.of(layers.get(i)));
        int n = layers.get(i).parameters().size();
        paramIndex[i] = n > 0 ? p : -1;
        p += n;
        if (n > 0) {
          first = first < 0 ? i : first;
          last = i;
          ordinal[i] = ++count;
        }
      }
      firstParam = first;
      lastParam = last;
      paramLayers = count;
    }

    private LayerContext at(int i) {
      return new LayerContext(this, i);
    }

    Walkthrough build() {
      int rank = trace.iterations().get(0).inputs().rank();
      matrix(
          "X",
          "X",
          rank == 4
              ? "maps"
              : rank == 3 && !layers.isEmpty() && layers.get(0) instanceof dev.nerve.nn.Conv1d
                  ? "sheet" // a spectrogram [bands, frames] or another signal with channels
                  : "matrix");
      matrix("Y", "y", "matrix");
      steps.add(
          new Step(
              "0",
              "Read input and output",
              "X = np.array(...)   y = np.array(...)",
              "X: the batch's inputs, y: its targets",
              "trainer.fit(data)  // Batcher.x(b), Batcher.y(b)",
              "One row per example. This iteration trains on these examples together.",
              List.of("X", "Y"),
              List.of(),
              List.of()));
      List<String> params = new ArrayList<>();
      StringBuilder init = new StringBuilder();
      for (int i = 0; i < layers.size(); i++) {
        if (paramIndex[i] < 0) {
          continue;
        }
        LayerContext c = at(i);
        LayerExplainer e = explainers.get(i);
        for (int j = 0; j < layers.get(i).parameters().size(); j++) {
          matrix(c.parameter(j), e.parameterName(c, j), e.parameterDisplay(c, j));
          params.add(c.parameter(j));
        }
        String t = e.initTutorial(c);
        if (t != null) {
          init.append(init.length() == 0 ? "" : "   ").append(t);
        }
      }
      steps.add(
          new Step(
              "1",
              "Weights and biases (random at the first iteration)",
              init.length() == 0 ? "the layers' initial parameters" : init.toString(),
              "W, b: the parameters gradient descent will change",
              "net.initialize(seed)  // at iteration 1; afterwards, the previous update's result",
              "At the first iteration these are the random initial values; at later ones, what the"
                  + " updates so far have made of them.",
              params,
              List.of(),
              List.of()));
      for (int i = 0; i < layers.size(); i++) {
        explainers.get(i).forward(at(i));
      }
      errorStep();
      slopesStep();
      for (int i = layers.size() - 1; i >= Math.max(firstParam, 0); i--) {
        if (i == 0 || i <= firstParam) {
          if (paramIndex[i] >= 0) {
            explainers.get(i).backwardWithin(at(i)); // inside the layer, even so
          }
          continue; // the gradient with respect to the data is not computed (nor needed)
        }
        LayerContext c = at(i);
        explainers.get(i).backwardWithin(c);
        matrix(c.errorIn(), errorName(i - 1), matrices.get("O" + (i - 1)).display());
        explainers.get(i).backward(c);
      }
      updates();
      return new Walkthrough(trace, matrices, steps);
    }

    // ---- names ----------------------------------------------------------------------------

    Role role(int i) {
      return explainers.get(i).role();
    }

    boolean isOutputBlock(int i) {
      return i >= lastParam;
    }

    String hiddenSuffix(int i) {
      int k = ordinalBefore(i);
      return paramLayers <= 2 ? "" : String.valueOf(k);
    }

    /** The ordinal of the parameter layer at or before layer i (1 if none). */
    int ordinalBefore(int i) {
      for (int j = i; j >= 0; j--) {
        if (ordinal[j] > 0) {
          return ordinal[j];
        }
      }
      return 1;
    }

    String outputName(int i) {
      return explainers.get(i).outputName(at(i));
    }

    /** The name of layer i's output by its role: see {@link LayerExplainer#outputName}. */
    String defaultOutputName(int i) {
      Role r = role(i);
      boolean last = i == layers.size() - 1;
      if (last && r != Role.WEIGHTED) {
        return "output";
      }
      if (r == Role.WEIGHTED) {
        if (last && isOutputBlock(i)) {
          return "output";
        }
        return isOutputBlock(i)
            ? "output_layer_input"
            : "hidden_layer" + hiddenSuffix(i) + "_input";
      }
      if (r == Role.ACTIVATION && blockActivation(i)) {
        return isOutputBlock(i)
            ? "output" + (last ? "" : "_" + i)
            : "hiddenlayer" + hiddenSuffix(i) + "_activations";
      }
      return LayerContext.simpleName(layers.get(i)).toLowerCase(java.util.Locale.ROOT) + "_" + i;
    }

    /**
     * Whether activation layer i is the activation of a layer with parameters: there is one before
     * it and no other activation between them (so each tutorial name is used once).
     */
    boolean blockActivation(int i) {
      for (int j = i - 1; j >= 0; j--) {
        if (paramIndex[j] >= 0) {
          return true;
        }
        if (role(j) == Role.ACTIVATION) {
          return false;
        }
      }
      return false;
    }

    private String errorName(int i) {
      if (i == layers.size() - 1) {
        return "E";
      }
      if (role(i + 1) == Role.ACTIVATION && role(i) == Role.WEIGHTED) {
        return isOutputBlock(i) ? "d_output" : "d_hiddenlayer" + hiddenSuffix(i);
      }
      String out = outputName(i);
      return out.startsWith("hiddenlayer") && out.endsWith("_activations")
          ? "Error_at_hidden_layer" + hiddenSuffix(i)
          : "Error_at_" + out;
    }

    void matrix(String id, String name, String display) {
      matrices.putIfAbsent(id, new MatrixInfo(id, name, display));
    }

    void add(Step step) {
      steps.add(step);
    }

    String nameOf(String id) {
      return matrices.get(id).name();
    }

    String displayOf(String id) {
      return matrices.get(id).display();
    }

    static String sup(int n) {
      String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
      StringBuilder sb = new StringBuilder();
      for (char c : Integer.toString(n).toCharArray()) {
        sb.append(digits.charAt(c - '0'));
      }
      return sb.toString();
    }

    private static Map<String, Object> rule(Object... kv) {
      return orderedMap(kv);
    }

    // ---- error and slopes -------------------------------------------------------------------

    private void errorStep() {
      int last = layers.size() - 1;
      String out = "O" + last;
      String e = "E" + last;
      matrix(e, errorName(last), matrices.get(out).display());
      String loss = trace.lossName();
      String tut;
      String math;
      String text;
      switch (loss) {
        case HalfSquaredError.NAME -> {
          tut = "E = y - output";
          math = "L = ½ Σ (output − y)²,  E = −∂L/∂output = y − output";
          text = "How far each output is from its target, signed so that adding it moves toward y.";
        }
        case SumSquaredError.NAME -> {
          tut = "E = 2 * (y - output)";
          math = "L = Σ (y − output)²,  E = −∂L/∂output = 2 (y − output)";
          text = "Twice the distance from each output to its target (tutorial 2's 2*(y - output)).";
        }
        case MeanSquaredError.NAME -> {
          tut = "E = 2 * (y - output) / N";
          math = "L = mean (output − y)²,  E = −∂L/∂output = 2 (y − output) / N";
          text = "The distance to the target, scaled by 2/N for the mean over N cells.";
        }
        case BinaryCrossEntropy.NAME -> {
          tut = "E = (y - p) / (p * (1 - p)) / N";
          math = "L = −mean[y log p + (1−y) log(1−p)],  E = −∂L/∂p";
          text = "The cross-entropy's pull on each probability, p clamped to [1e-7, 1 − 1e-7].";
        }
        case SoftmaxCrossEntropy.NAME -> {
          tut = "E = (y - softmax(output)) / batch";
          math = "L = −(1/B) Σ y · log softmax(z),  E = −∂L/∂z = (y − softmax(z)) / B";
          text = "Softmax and cross-entropy together: target minus predicted probability, over B.";
        }
        default -> {
          tut = "E = -dL/d(output)";
          math = "E = −∂L/∂output";
          text = "The negative gradient of the loss at the output.";
        }
      }
      steps.add(
          new Step(
              "5",
              "Gradient of the error (E) at the output layer",
              tut,
              math,
              "loss.value(output, y); loss.gradient(output, y, grad)  // grad = −E",
              text
                  + " Nerve keeps the gradient ∂L/∂output, which is −E; the page shows E as the"
                  + " tutorial does.",
              List.of(out, "Y"),
              List.of(new Part(e, rule("kind", "error", "out", out, "y", "Y", "loss", loss))),
              List.of()));
    }

    private void slopesStep() {
      List<Part> parts = new ArrayList<>();
      List<String> shows = new ArrayList<>();
      StringBuilder tut = new StringBuilder();
      for (int i = layers.size() - 1; i >= Math.max(firstParam, 0); i--) {
        if (role(i) != Role.ACTIVATION) {
          continue;
        }
        LayerContext c = at(i);
        String s = "S" + i;
        String fn = c.typeName();
        String slopeName =
            isOutputBlock(i) ? "slope_output_layer" : "slope_hidden_layer" + hiddenSuffix(i);
        matrix(s, slopeName, matrices.get("O" + i).display());
        boolean fromOutput = fn.equals("sigmoid") || fn.equals("tanh");
        String from = fromOutput ? "O" + i : c.input();
        shows.add(from);
        tut.append(tut.length() == 0 ? "" : "   ")
            .append(slopeName)
            .append(" = derivatives_")
            .append(fn)
            .append("(")
            .append(nameOf(from))
            .append(")");
        parts.add(
            new Part(
                s,
                rule(
                    "kind",
                    "slope",
                    "a",
                    from,
                    "fn",
                    fn,
                    "param",
                    c.setting(),
                    "fromOutput",
                    fromOutput)));
      }
      if (parts.isEmpty()) {
        return;
      }
      steps.add(
          new Step(
              "6",
              "Slopes at the output and hidden layers",
              tut.toString(),
              "slope = f′(z): σ′(z) = σ(z)(1 − σ(z)), tanh′(z) = 1 − tanh²(z)",
              "Activation.slope(input, output)  // the derivative backward multiplies by",
              "The gradient (derivative) of each activation at the point the forward pass reached.",
              shows,
              parts,
              List.of()));
    }

    // ---- updates ----------------------------------------------------------------------------

    private void updates() {
      List<Part> weights = new ArrayList<>();
      List<Part> biases = new ArrayList<>();
      List<String> weightShows = new ArrayList<>();
      List<String> biasShows = new ArrayList<>();
      List<Integer> weightChecks = new ArrayList<>();
      List<Integer> biasChecks = new ArrayList<>();
      StringBuilder weightTut = new StringBuilder();
      StringBuilder biasTut = new StringBuilder();
      boolean plain = trace.iterations().stream().allMatch(Trace.Iteration::plainGradientDescent);
      for (int i = layers.size() - 1; i >= 0; i--) {
        if (paramIndex[i] < 0) {
          continue;
        }
        LayerContext c = at(i);
        LayerExplainer ex = explainers.get(i);
        String delta = c.errorOut();
        List<String> names = c.parameterNames();
        for (int j = 0; j < names.size(); j++) {
          int k = paramIndex[i] + j;
          String p = "P" + k;
          String name = nameOf(p);
          boolean isBias = names.get(j).equals("bias");
          String display = matrices.get(p).display();
          matrix("D" + k, "Δ" + name, display);
          matrix("G" + k, "∂L/∂" + name, display);
          matrix("N" + k, "numeric ∂L/∂" + name, display);
          matrix("Q" + k, name + " (updated)", display);
          List<Part> parts = isBias ? biases : weights;
          List<String> shows = isBias ? biasShows : weightShows;
          StringBuilder tut = isBias ? biasTut : weightTut;
          (isBias ? biasChecks : weightChecks).add(k);
          LayerExplainer.Direction d = ex.direction(c, j);
          if (d.showsInput()) {
            shows.add(c.input());
          }
          shows.add(delta);
          shows.add(p);
          parts.add(new Part("D" + k, d.rule()));
          parts.add(
              new Part(
                  "Q" + k, rule("kind", plain ? "update" : "optimizer", "a", p, "d", "D" + k)));
          tut.append(tut.length() == 0 ? "" : "   ")
              .append(name)
              .append(plain ? " += " : " ← optimizer(")
              .append(d.tutorial())
              .append(plain ? " * learning_rate" : ")");
        }
      }
      String math =
          plain
              ? "W ← W + lr · Δ,  Δ = aᵀ · δ = −∂L/∂W"
              : "W ← optimizer step from ∂L/∂W (" + trace.iterations().get(0).optimizer() + ")";
      String java = "optimizer.step()  // " + trace.iterations().get(0).optimizer();
      if (!weights.isEmpty()) {
        steps.add(
            new Step(
                "10",
                "Update the weights at every layer",
                weightTut.toString(),
                math,
                java,
                "Each weight moves against its gradient, in proportion to the learning rate. The"
                    + " check table sets the backpropagated gradient beside a finite-difference"
                    + " estimate (L(w + h) − L(w − h)) / 2h: if they agree, backpropagation is right.",
                dedupe(weightShows),
                weights,
                weightChecks));
      }
      if (!biases.isEmpty()) {
        steps.add(
            new Step(
                "11",
                "Update the biases at every layer",
                biasTut.toString(),
                plain ? "b ← b + lr · Σ_rows δ" : math,
                java,
                "A bias feeds every example with weight 1, so its step is the delta summed over the"
                    + " batch.",
                dedupe(biasShows),
                biases,
                biasChecks));
      }
    }

    private static List<String> dedupe(List<String> ids) {
      return List.copyOf(new java.util.LinkedHashSet<>(ids));
    }
  }
}
