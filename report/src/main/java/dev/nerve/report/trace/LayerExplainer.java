package dev.nerve.report.trace;

import java.util.List;
import java.util.Map;

/**
 * How the walkthrough explains one kind of layer: its forward step, the step that carries the error
 * back through it, and how its parameters are named and updated, in the first tutorial's words.
 * {@link Explainers} finds the explainer registered for a layer's class (or the nearest superclass
 * that has one); a layer without one gets the default, which shows its input, output, error and
 * parameters with the rule "computed by the layer" — every matrix is there, only the cell-by-cell
 * arithmetic is not spelled out.
 *
 * <p>Every method has a default, so an explainer overrides only what its layer does differently.
 * The {@link LayerContext} hands it everything about the layer's place in the network: the ids and
 * tutorial names of its matrices, its ordinal among the layers with parameters, and the step to
 * add.
 */
public interface LayerExplainer {
  /**
   * What part a layer plays in the tutorial's vocabulary, which decides how its output and error
   * are named: a weighted sum ({@code hidden_layer_input}, {@code d_hiddenlayer}), an element-wise
   * activation ({@code hiddenlayer_activations}, with a slope in step 6), or anything else ({@code
   * maxpool2d_2}, {@code Error_at_maxpool2d_2}).
   */
  enum Role {
    /** A weighted sum of its inputs with parameters: dense, convolution. */
    WEIGHTED,
    /** An element-wise activation, whose slope step 6 shows and step 7/9 multiplies by. */
    ACTIVATION,
    /** Any other layer. */
    OTHER
  }

  /** This layer's role; {@link Role#OTHER} unless overridden. */
  default Role role() {
    return Role.OTHER;
  }

  /** The tutorial's name for the layer's output; by default chosen from its {@link #role()}. */
  default String outputName(LayerContext c) {
    return c.defaultOutputName();
  }

  /** Adds the forward step: by default, the output computed by the layer, rule {@code none}. */
  default void forward(LayerContext c) {
    c.matrix(c.output(), c.outputName(), c.outputDisplay());
    String s = c.simpleName();
    c.step(
        c.forwardNumber(),
        s,
        c.outputName()
            + " = "
            + s.toLowerCase(java.util.Locale.ROOT)
            + "("
            + c.nameOf(c.input())
            + ")",
        "a = " + s + "(input)",
        c.where() + ": " + s + ".forward",
        "This layer's output in training mode.",
        List.of(c.input()),
        c.output(),
        LayerContext.rule("kind", "none"));
  }

  /**
   * Adds the step that carries the error back to the layer's input: by default the chain rule,
   * explained by {@link #backwardText}, rule {@code none}.
   */
  default void backward(LayerContext c) {
    String s = c.simpleName();
    c.step(
        "8",
        "Error carried back through " + s,
        c.nameOf(c.errorIn()) + " = backward(" + c.nameOf(c.errorOut()) + ")",
        "E_in = (∂out/∂in)ᵀ · E_out",
        c.where() + ": " + s + ".backward",
        backwardText(c),
        List.of(c.errorOut()),
        c.errorIn(),
        LayerContext.rule("kind", "none"));
  }

  /**
   * Adds the steps of backpropagation inside the layer, before its error is carried back to its
   * input and whether or not it is (a recurrent layer's steps back through time): nothing by
   * default.
   */
  default void backwardWithin(LayerContext c) {}

  /** The sentence under the default backward step. */
  default String backwardText(LayerContext c) {
    return "The chain rule through " + c.simpleName() + ".";
  }

  /** How parameter {@code j} is drawn: {@code matrix} or {@code kernels}. */
  default String parameterDisplay(LayerContext c, int j) {
    return "matrix";
  }

  /** The name of parameter {@code j}, such as {@code conv1_weight}. */
  default String parameterName(LayerContext c, int j) {
    return c.simpleName().toLowerCase(java.util.Locale.ROOT)
        + c.ordinal()
        + "_"
        + c.parameterNames().get(j);
  }

  /** The tutorial's line drawing this layer's initial parameters, or null. */
  default String initTutorial(LayerContext c) {
    return null;
  }

  /**
   * The update direction {@code −∂L/∂P} of parameter {@code j} from the layer's delta: by default
   * computed by the layer's backward pass (rule {@code none}), from its input and delta.
   */
  default Direction direction(LayerContext c, int j) {
    return new Direction(
        LayerContext.rule("kind", "none"), "backward(" + c.nameOf(c.errorOut()) + ")", true);
  }

  /**
   * How a parameter's update direction is computed.
   *
   * @param rule the cell rule, as the page's script reads it
   * @param tutorial the expression in the tutorial's numpy
   * @param showsInput whether the step shows the layer's input beside the delta
   */
  record Direction(Map<String, Object> rule, String tutorial, boolean showsInput) {}
}
