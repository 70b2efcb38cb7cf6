package dev.nerve.report.trace;

import dev.nerve.loss.BinaryCrossEntropy;
import dev.nerve.loss.HalfSquaredError;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.loss.SumSquaredError;
import dev.nerve.nn.Activation;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.ELU;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GELU;
import dev.nerve.nn.Identity;
import dev.nerve.nn.Layer;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Pool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.SiLU;
import dev.nerve.nn.Sigmoid;
import dev.nerve.nn.Softmax;
import dev.nerve.nn.Softplus;
import dev.nerve.nn.Tanh;
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
 * layers get steps of their own in the same places.
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
  private static final class Builder {
    private final Trace trace;
    private final List<Layer> layers;
    private final Map<String, MatrixInfo> matrices = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final int firstParam;
    private final int lastParam;
    private final int paramLayers;

    /** For each layer, the index of its first parameter in model order, or -1. */
    private final int[] paramIndex;

    /** For each layer with parameters, its number among them from 1 (for names like W²). */
    private final int[] ordinal;

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

    Walkthrough build() {
      matrix("X", "X", trace.iterations().get(0).inputs().rank() == 4 ? "maps" : "matrix");
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
      for (int i = 0; i < layers.size(); i++) {
        if (paramIndex[i] < 0) {
          continue;
        }
        for (int j = 0; j < layers.get(i).parameters().size(); j++) {
          int k = paramIndex[i] + j;
          matrix(
              "P" + k,
              paramName(i, j),
              layers.get(i) instanceof Conv2d && j == 0 ? "kernels" : "matrix");
          params.add("P" + k);
        }
      }
      steps.add(
          new Step(
              "1",
              "Weights and biases (random at the first iteration)",
              paramTutorial(),
              "W, b: the parameters gradient descent will change",
              "net.initialize(seed)  // at iteration 1; afterwards, the previous update's result",
              "At the first iteration these are the random initial values; at later ones, what the"
                  + " updates so far have made of them.",
              params,
              List.of(),
              List.of()));
      for (int i = 0; i < layers.size(); i++) {
        forward(i);
      }
      errorStep();
      slopesStep();
      for (int i = layers.size() - 1; i >= Math.max(firstParam, 0); i--) {
        backward(i);
      }
      updates();
      return new Walkthrough(trace, matrices, steps);
    }

    // ---- names ----------------------------------------------------------------------------

    private boolean isOutputBlock(int i) {
      return i >= lastParam;
    }

    private String hiddenSuffix(int i) {
      int k = ordinalBefore(i);
      return paramLayers <= 2 ? "" : String.valueOf(k);
    }

    /** The ordinal of the parameter layer at or before layer i (1 if none). */
    private int ordinalBefore(int i) {
      for (int j = i; j >= 0; j--) {
        if (ordinal[j] > 0) {
          return ordinal[j];
        }
      }
      return 1;
    }

    private String outputName(int i) {
      Layer l = layers.get(i);
      if (i == layers.size() - 1 && !(l instanceof Dense || l instanceof Conv2d)) {
        return "output";
      }
      if (l instanceof Dense || l instanceof Conv2d) {
        if (i == layers.size() - 1 && isOutputBlock(i)) {
          return "output";
        }
        if (l instanceof Conv2d) {
          return "conv" + ordinal[i] + "_maps";
        }
        return isOutputBlock(i)
            ? "output_layer_input"
            : "hidden_layer" + hiddenSuffix(i) + "_input";
      }
      if (l instanceof Activation && blockActivation(i)) {
        return isOutputBlock(i)
            ? "output" + (i == layers.size() - 1 ? "" : "_" + i)
            : "hiddenlayer" + hiddenSuffix(i) + "_activations";
      }
      return simpleName(l).toLowerCase(java.util.Locale.ROOT) + "_" + i;
    }

    /**
     * Whether activation layer i is the activation of a layer with parameters: there is one before
     * it and no other activation between them (so each tutorial name is used once).
     */
    private boolean blockActivation(int i) {
      for (int j = i - 1; j >= 0; j--) {
        if (paramIndex[j] >= 0) {
          return true;
        }
        if (layers.get(j) instanceof Activation) {
          return false;
        }
      }
      return false;
    }

    private String errorName(int i) {
      if (i == layers.size() - 1) {
        return "E";
      }
      Layer next = layers.get(i + 1);
      if (next instanceof Activation
          && (layers.get(i) instanceof Dense || layers.get(i) instanceof Conv2d)) {
        return isOutputBlock(i) ? "d_output" : "d_hiddenlayer" + hiddenSuffix(i);
      }
      String out = outputName(i);
      return out.startsWith("hiddenlayer") && out.endsWith("_activations")
          ? "Error_at_hidden_layer" + hiddenSuffix(i)
          : "Error_at_" + out;
    }

    private String paramName(int layer, int j) {
      Layer l = layers.get(layer);
      String p = l.parameters().get(j).name();
      if (l instanceof Dense) {
        String base = isOutputBlock(layer) ? "out" : "h" + (paramLayers <= 2 ? "" : ordinal[layer]);
        return (p.equals("weight") ? "w" : "b") + base;
      }
      String kind = l instanceof Conv2d ? "conv" : simpleName(l).toLowerCase(java.util.Locale.ROOT);
      return kind + ordinal[layer] + "_" + p;
    }

    private String paramTutorial() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i) instanceof Dense d) {
          sb.append(sb.length() == 0 ? "" : "   ")
              .append(paramName(i, 0))
              .append(" = np.random.uniform(size=(")
              .append(d.in())
              .append(", ")
              .append(d.out())
              .append("))");
          if (d.hasBias()) {
            sb.append("   ")
                .append(paramName(i, 1))
                .append(" = np.random.uniform(size=(1, ")
                .append(d.out())
                .append("))");
          }
        }
      }
      return sb.length() == 0 ? "the layers' initial parameters" : sb.toString();
    }

    private static String simpleName(Layer l) {
      String s = l.toString();
      int p = s.indexOf('(');
      return p > 0 ? s.substring(0, p) : s;
    }

    private void matrix(String id, String name, String display) {
      matrices.putIfAbsent(id, new MatrixInfo(id, name, display));
    }

    private String in(int i) {
      return i == 0 ? "X" : "O" + (i - 1);
    }

    private String nameOf(String id) {
      return matrices.get(id).name();
    }

    private static String sup(int n) {
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

    // ---- forward ----------------------------------------------------------------------------

    private void forward(int i) {
      Layer l = layers.get(i);
      String x = in(i);
      String out = "O" + i;
      String name = outputName(i);
      String n = isOutputBlock(i) ? "4" : (l instanceof Activation ? "3" : "2");
      String ell = sup(ordinalBefore(i));
      String where = "layer " + i + " " + l;
      if (l instanceof Dense d) {
        matrix(out, name, "matrix");
        int k = paramIndex[i];
        List<String> shows = new ArrayList<>(List.of(x, "P" + k));
        Map<String, Object> r = rule("kind", "matmul", "a", x, "b", "P" + k);
        String tut = name + " = matrix_dot_product(" + nameOf(x) + ", " + nameOf("P" + k) + ")";
        String math =
            "z" + ell + " = " + (i == 0 ? "X" : "a" + sup(ordinalBefore(i) - 1)) + " · W" + ell;
        if (d.hasBias()) {
          shows.add("P" + (k + 1));
          r.put("bias", "P" + (k + 1));
          tut += " + " + nameOf("P" + (k + 1));
          math += " + b" + ell;
        }
        steps.add(
            new Step(
                n,
                isOutputBlock(i)
                    ? "Linear transformation at the output layer"
                    : "Calculate the hidden layer input",
                tut,
                math,
                where + ": Dense.forward → Tensor.matmul(x, W) + b",
                "Each cell is one example's input row times one column of weights, plus that"
                    + " column's bias: a weighted sum per neuron.",
                shows,
                List.of(new Part(out, r)),
                List.of()));
      } else if (l instanceof Conv2d c) {
        matrix(out, name, "maps");
        int k = paramIndex[i];
        List<String> shows = new ArrayList<>(List.of(x, "P" + k));
        Map<String, Object> r =
            rule(
                "kind",
                "conv",
                "a",
                x,
                "w",
                "P" + k,
                "stride",
                c.stride(),
                "padding",
                c.padding(),
                "dilation",
                c.dilation());
        if (c.bias() != null) {
          shows.add("P" + (k + 1));
          r.put("bias", "P" + (k + 1));
        }
        steps.add(
            new Step(
                n,
                "Feature maps: convolution",
                name + " = conv2d(" + nameOf(x) + ", " + nameOf("P" + k) + ") + bias",
                "z" + ell + "[c] = Σ_in (input[in] ⋆ W" + ell + "[c, in]) + b" + ell + "[c]",
                where + ": Conv2d.forward → Im2col.unfold + Tensor.matmul",
                "Each output pixel is a kernel laid over a patch of every input channel: the sum of"
                    + " the products, plus the channel's bias. Same weights at every position.",
                shows,
                List.of(new Part(out, r)),
                List.of()));
      } else if (l instanceof Activation a) {
        matrix(out, name, displayOf(x));
        String fn = functionOf(a);
        steps.add(
            new Step(
                n,
                isOutputBlock(i)
                    ? "Non-linear transformation at the output layer"
                    : "Non-linear transformation of the hidden layer input",
                name + " = " + fn + "(" + nameOf(x) + ")",
                blockActivation(i)
                    ? "a" + ell + " = " + symbolOf(a) + "(z" + ell + ")"
                    : "a = " + symbolOf(a) + "(input)",
                where + ": Activation.forward, element by element",
                "The activation function applied to every cell on its own.",
                List.of(x),
                List.of(new Part(out, rule("kind", "map", "a", x, "fn", fn, "param", paramOf(a)))),
                List.of()));
      } else if (l instanceof Pool2d p) {
        matrix(out, name, "maps");
        String kind = p instanceof MaxPool2d ? "max" : "mean";
        steps.add(
            new Step(
                n,
                (p instanceof MaxPool2d ? "Max" : "Average") + " pooling",
                name
                    + " = "
                    + (p instanceof MaxPool2d ? "max_pool" : "avg_pool")
                    + "("
                    + nameOf(x)
                    + ")",
                "each output = " + kind + " of a " + p.kernel() + "×" + p.kernel() + " window",
                where + ": " + simpleName(p) + ".forward",
                "Shrinks each feature map: every output keeps the "
                    + (p instanceof MaxPool2d ? "largest" : "average")
                    + " value of its window.",
                List.of(x),
                List.of(
                    new Part(
                        out,
                        rule(
                            "kind",
                            "pool",
                            "a",
                            x,
                            "op",
                            kind,
                            "k",
                            p.kernel(),
                            "stride",
                            p.stride(),
                            "padding",
                            p.padding(),
                            "avgCountsPadding",
                            p instanceof AvgPool2d))),
                List.of()));
      } else if (l instanceof Flatten) {
        matrix(out, name, "matrix");
        steps.add(
            new Step(
                n,
                "Flatten",
                name + " = " + nameOf(x) + ".reshape(batch, -1)",
                "a = vec(maps)",
                where + ": Flatten.forward (a view, no copy)",
                "The feature maps of each example laid out in one row, channel after channel, row"
                    + " after row, for the dense layers that follow.",
                List.of(x),
                List.of(new Part(out, rule("kind", "same", "a", x))),
                List.of()));
      } else if (l instanceof Softmax) {
        matrix(out, name, "matrix");
        steps.add(
            new Step(
                n,
                "Softmax",
                name + " = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)",
                "p_j = e^(z_j) / Σ_k e^(z_k)",
                where + ": Softmax.forward",
                "Turns each row into probabilities that sum to 1.",
                List.of(x),
                List.of(new Part(out, rule("kind", "softmax", "a", x))),
                List.of()));
      } else {
        matrix(out, name, displayOf(x));
        steps.add(
            new Step(
                n,
                simpleName(l),
                name
                    + " = "
                    + simpleName(l).toLowerCase(java.util.Locale.ROOT)
                    + "("
                    + nameOf(x)
                    + ")",
                "a = " + simpleName(l) + "(input)",
                where + ": " + simpleName(l) + ".forward",
                "This layer's output in training mode.",
                List.of(x),
                List.of(new Part(out, rule("kind", "none"))),
                List.of()));
      }
    }

    private String displayOf(String id) {
      return matrices.get(id).display();
    }

    private static String functionOf(Activation a) {
      if (a instanceof Sigmoid) {
        return "sigmoid";
      } else if (a instanceof Tanh) {
        return "tanh";
      } else if (a instanceof ReLU) {
        return "relu";
      } else if (a instanceof LeakyReLU) {
        return "leaky_relu";
      } else if (a instanceof ELU) {
        return "elu";
      } else if (a instanceof GELU) {
        return "gelu";
      } else if (a instanceof Softplus) {
        return "softplus";
      } else if (a instanceof SiLU) {
        return "silu";
      } else if (a instanceof Identity) {
        return "identity";
      }
      return simpleName(a).toLowerCase(java.util.Locale.ROOT);
    }

    private static String symbolOf(Activation a) {
      return a instanceof Sigmoid ? "σ" : functionOf(a);
    }

    private static double paramOf(Activation a) {
      if (a instanceof LeakyReLU r) {
        return r.negativeSlope();
      } else if (a instanceof ELU e) {
        return e.alpha();
      }
      return 0;
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
        if (!(layers.get(i) instanceof Activation a)) {
          continue;
        }
        String s = "S" + i;
        String fn = functionOf(a);
        String slopeName =
            isOutputBlock(i) ? "slope_output_layer" : "slope_hidden_layer" + hiddenSuffix(i);
        matrix(s, slopeName, matrices.get("O" + i).display());
        boolean fromOutput = fn.equals("sigmoid") || fn.equals("tanh");
        String from = fromOutput ? "O" + i : in(i);
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
                    paramOf(a),
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

    // ---- backward ---------------------------------------------------------------------------

    private void backward(int i) {
      Layer l = layers.get(i);
      if (i == 0 || i <= firstParam) {
        return; // the gradient with respect to the data is not computed (nor needed)
      }
      String eOut = "E" + i;
      String eIn = "E" + (i - 1);
      matrix(eIn, errorName(i - 1), matrices.get("O" + (i - 1)).display());
      String where = "layer " + i + " " + l;
      if (l instanceof Activation a) {
        boolean output = isOutputBlock(i);
        steps.add(
            new Step(
                output ? "7" : "9",
                output ? "Delta at the output layer" : "Delta at the hidden layer",
                nameOf(eIn) + " = " + nameOf(eOut) + " * " + nameOf("S" + i),
                "δ = E ⊙ f′(z)   (chain rule: ∂L/∂z = ∂L/∂a · ∂a/∂z)",
                where + ": Activation.backward, element by element",
                "Each cell's error scaled by how much its activation responds there. (The"
                    + " tutorial's text multiplies by the learning rate here too; its code, like"
                    + " Nerve, does that in the update.)",
                List.of(eOut, "S" + i),
                List.of(new Part(eIn, rule("kind", "mul", "a", eOut, "b", "S" + i))),
                List.of()));
      } else if (l instanceof Dense) {
        int k = paramIndex[i];
        steps.add(
            new Step(
                "8",
                "Error at the hidden layer",
                nameOf(eIn)
                    + " = matrix_dot_product("
                    + nameOf(eOut)
                    + ", "
                    + nameOf("P" + k)
                    + ".Transpose)",
                "E"
                    + sup(ordinalBefore(i) - 1)
                    + " = δ"
                    + sup(ordinal[i])
                    + " · W"
                    + sup(ordinal[i])
                    + "ᵀ",
                where + ": Dense.backward → Tensor.matmul(dy, false, W, true)",
                "Each hidden neuron's share of the error: the deltas it fed, weighted by the"
                    + " weights it fed them through.",
                List.of(eOut, "P" + k),
                List.of(new Part(eIn, rule("kind", "matmul", "a", eOut, "b", "P" + k, "tb", true))),
                List.of()));
      } else if (l instanceof Flatten) {
        steps.add(
            new Step(
                "8",
                "Error carried back through flatten",
                nameOf(eIn) + " = " + nameOf(eOut) + ".reshape(maps)",
                "E = reshape(E)",
                where + ": Flatten.backward (a view)",
                "The same numbers, laid out as feature maps again.",
                List.of(eOut),
                List.of(new Part(eIn, rule("kind", "same", "a", eOut))),
                List.of()));
      } else {
        String how =
            l instanceof MaxPool2d
                ? "Each error goes back to the input that was the window's maximum; the others get 0."
                : l instanceof AvgPool2d
                    ? "Each error is shared equally by the inputs of its window."
                    : l instanceof Conv2d
                        ? "A transposed convolution: each input pixel collects the errors of the"
                            + " outputs it fed, weighted by the kernel cells that joined them."
                        : "The chain rule through " + simpleName(l) + ".";
        steps.add(
            new Step(
                "8",
                "Error carried back through " + simpleName(l),
                nameOf(eIn) + " = backward(" + nameOf(eOut) + ")",
                "E_in = (∂out/∂in)ᵀ · E_out",
                where + ": " + simpleName(l) + ".backward",
                how,
                List.of(eOut),
                List.of(new Part(eIn, rule("kind", "none"))),
                List.of()));
      }
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
        Layer l = layers.get(i);
        if (paramIndex[i] < 0) {
          continue;
        }
        String delta = "E" + i;
        String input = in(i);
        for (int j = 0; j < l.parameters().size(); j++) {
          int k = paramIndex[i] + j;
          String p = "P" + k;
          String name = nameOf(p);
          boolean isBias = l.parameters().get(j).name().equals("bias");
          String display = matrices.get(p).display();
          matrix("D" + k, "Δ" + name, display);
          matrix("G" + k, "∂L/∂" + name, display);
          matrix("N" + k, "numeric ∂L/∂" + name, display);
          matrix("Q" + k, name + " (updated)", display);
          List<Part> parts = isBias ? biases : weights;
          List<String> shows = isBias ? biasShows : weightShows;
          StringBuilder tut = isBias ? biasTut : weightTut;
          (isBias ? biasChecks : weightChecks).add(k);
          Map<String, Object> direction;
          String dTut;
          if (l instanceof Dense && !isBias) {
            direction = rule("kind", "matmul", "a", input, "ta", true, "b", delta);
            dTut = "matrix_dot_product(" + nameOf(input) + ".Transpose, " + nameOf(delta) + ")";
            shows.add(input);
          } else if (isBias && (l instanceof Dense || l instanceof Conv2d)) {
            direction = rule("kind", "colsum", "a", delta, "maps", l instanceof Conv2d);
            dTut = "sum(" + nameOf(delta) + ", axis=0)";
          } else {
            direction = rule("kind", "none");
            dTut = "backward(" + nameOf(delta) + ")";
            shows.add(input);
          }
          shows.add(delta);
          shows.add(p);
          parts.add(new Part("D" + k, direction));
          parts.add(
              new Part(
                  "Q" + k, rule("kind", plain ? "update" : "optimizer", "a", p, "d", "D" + k)));
          tut.append(tut.length() == 0 ? "" : "   ")
              .append(name)
              .append(plain ? " += " : " ← optimizer(")
              .append(dTut)
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
