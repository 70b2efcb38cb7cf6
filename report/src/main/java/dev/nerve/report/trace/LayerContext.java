package dev.nerve.report.trace;

import dev.nerve.nn.Layer;
import dev.nerve.nn.LayerSettings;
import dev.nerve.nn.LayerTypes;
import dev.nerve.report.trace.Walkthrough.Part;
import dev.nerve.report.trace.Walkthrough.Step;
import java.util.List;
import java.util.Map;

/**
 * One layer's place in a walkthrough, as a {@link LayerExplainer} sees it: the ids and tutorial
 * names of the matrices around it, its ordinal among the layers with parameters, and the way to add
 * a step. Matrix ids: {@code X} the batch, {@code O<i>} the output of layer i, {@code E<i>} minus
 * the gradient at that output, {@code S<i>} an activation's slope, {@code P<k>} parameter k in
 * model order.
 */
public final class LayerContext {
  private final Walkthrough.Builder b;
  private final int i;

  LayerContext(Walkthrough.Builder b, int i) {
    this.b = b;
    this.i = i;
  }

  /** The layer's index in the network. */
  public int index() {
    return i;
  }

  /** The layer. */
  public Layer layer() {
    return b.layers.get(i);
  }

  /** The id of the layer's input: {@code X} for the first layer, else the previous output. */
  public String input() {
    return i == 0 ? "X" : "O" + (i - 1);
  }

  /** The id of the layer's output, {@code O<i>}. */
  public String output() {
    return "O" + i;
  }

  /** The id of minus the gradient at the layer's output, {@code E<i>}. */
  public String errorOut() {
    return "E" + i;
  }

  /** The id of minus the gradient at the layer's input, {@code E<i-1>}. */
  public String errorIn() {
    return "E" + (i - 1);
  }

  /** The id of the layer's parameter {@code j}, {@code P<k>}. */
  public String parameter(int j) {
    return "P" + (b.paramIndex[i] + j);
  }

  /**
   * What the layer computed inside its pass in the first recorded iteration ({@link
   * Layer#insides()}); matrix {@code T<i>.<name>} is one of these.
   */
  public Map<String, dev.nerve.tensor.Tensor> insides() {
    return b.trace.iterations().get(0).insides().get(i);
  }

  /** The layer's parameter names, as {@link Layer#parameterNames()}. */
  public List<String> parameterNames() {
    return layer().parameterNames();
  }

  /** The tutorial's name of a matrix already registered. */
  public String nameOf(String id) {
    return b.nameOf(id);
  }

  /** How a registered matrix is drawn. */
  public String displayOf(String id) {
    return b.displayOf(id);
  }

  /** The tutorial's name of this layer's output (from its explainer). */
  public String outputName() {
    return b.outputName(i);
  }

  /** The name of this layer's output by its role alone, what explainers start from. */
  public String defaultOutputName() {
    return b.defaultOutputName(i);
  }

  /**
   * How this layer's output is drawn: {@code maps} for feature maps {@code [batch, c, h, w]},
   * {@code matrix} otherwise.
   */
  public String outputDisplay() {
    int rank = b.trace.iterations().get(0).outputs().get(i).rank();
    if (rank == 3 && Walkthrough.oneDimensional(layer())) {
      return "sheet"; // [batch, channels, time]: one picture per example
    }
    return rank == 4 ? "maps" : "matrix";
  }

  /** Registers matrix {@code id} under a tutorial name and a display (the first name stays). */
  public void matrix(String id, String name, String display) {
    b.matrix(id, name, display);
  }

  /** Whether this layer is at or after the last layer with parameters (the output block). */
  public boolean isOutputBlock() {
    return b.isOutputBlock(i);
  }

  /** Whether this is the network's last layer. */
  public boolean isLast() {
    return i == b.layers.size() - 1;
  }

  /** This layer's number among the layers with parameters, from 1 (0 if it has none). */
  public int ordinal() {
    return b.ordinal[i];
  }

  /** The ordinal of the layer with parameters at or before this one (1 if none). */
  public int ordinalBefore() {
    return b.ordinalBefore(i);
  }

  /** How many layers have parameters. */
  public int parameterLayers() {
    return b.paramLayers;
  }

  /** Whether this activation follows a layer with parameters with no activation between. */
  public boolean blockActivation() {
    return b.blockActivation(i);
  }

  /**
   * The forward step's number in the tutorial: 4 in the output block, 3 for a hidden activation, 2
   * for the rest.
   */
  public String forwardNumber() {
    return isOutputBlock() ? "4" : b.role(i) == LayerExplainer.Role.ACTIVATION ? "3" : "2";
  }

  /** Like {@code layer 2 Dense(in=3, out=1)}, for a step's Java line. */
  public String where() {
    return "layer " + i + " " + layer();
  }

  /** The layer's class name as its {@code toString()} starts, such as {@code MaxPool2d}. */
  public String simpleName() {
    return simpleName(layer());
  }

  static String simpleName(Layer l) {
    String s = l.toString();
    int p = s.indexOf('(');
    return p > 0 ? s.substring(0, p) : s;
  }

  /**
   * The layer's type name in the network JSON, such as {@code leaky_relu} (for a layer of no
   * registered type, its class name in lower case).
   */
  public String typeName() {
    LayerSettings s = settings();
    return s != null ? s.type().name() : simpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The layer's first numeric setting (leaky ReLU's negative slope, ELU's α), or 0 if it has none:
   * the parameter of an activation's formula on the page.
   */
  public double setting() {
    LayerSettings s = settings();
    if (s != null) {
      for (Map.Entry<String, Object> e : LayerTypes.toJson(s).entrySet()) {
        if (e.getValue() instanceof Number n) {
          return n.doubleValue();
        }
      }
    }
    return 0;
  }

  private LayerSettings settings() {
    try {
      return LayerTypes.describe(layer());
    } catch (IllegalArgumentException e) {
      return null; // a layer of no registered type
    }
  }

  /** {@code n} in superscript digits, as in W². */
  public static String sup(int n) {
    return Walkthrough.Builder.sup(n);
  }

  /** A rule map with the given keys and values in order. */
  public static Map<String, Object> rule(Object... kv) {
    return Walkthrough.orderedMap(kv);
  }

  /** Adds a step that computes several matrices, one part each. */
  public void steps(
      String number,
      String title,
      String tutorial,
      String math,
      String java,
      String text,
      List<String> shows,
      List<Part> parts) {
    b.add(new Step(number, title, tutorial, math, java, text, shows, parts, List.of()));
  }

  /**
   * Adds a step that computes one matrix.
   *
   * @param number the tutorial's step number
   * @param title what it computes
   * @param tutorial the tutorial's numpy line
   * @param math the chain rule's notation
   * @param java the Nerve call
   * @param text a sentence or two of explanation
   * @param shows ids of the matrices it reads
   * @param result the id of the matrix it computes
   * @param rule how each cell of the result is computed
   */
  public void step(
      String number,
      String title,
      String tutorial,
      String math,
      String java,
      String text,
      List<String> shows,
      String result,
      Map<String, Object> rule) {
    b.add(
        new Step(
            number,
            title,
            tutorial,
            math,
            java,
            text,
            shows,
            List.of(new Part(result, rule)),
            List.of()));
  }
}
