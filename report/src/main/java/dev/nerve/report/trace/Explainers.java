package dev.nerve.report.trace;

import static dev.nerve.report.trace.LayerContext.rule;
import static dev.nerve.report.trace.LayerContext.sup;

import dev.nerve.nn.Activation;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.Layer;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Pool2d;
import dev.nerve.nn.Softmax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The walkthrough's explainers, one per layer class that has a tailored explanation: {@link Dense}
 * (the tutorial's own steps), {@link Conv2d}, every {@link Activation}, the pools, {@link Flatten}
 * and {@link Softmax}. A layer is explained by the explainer of its class or of its nearest
 * registered superclass, else by {@link #DEFAULT}, which shows its input, output, error and
 * parameters without spelling out each cell's arithmetic.
 */
public final class Explainers {
  private Explainers() {}

  /** The explanation of a layer no explainer is registered for. */
  public static final LayerExplainer DEFAULT = new LayerExplainer() {};

  private static final Map<Class<?>, LayerExplainer> BY_CLASS = new ConcurrentHashMap<>();

  static {
    register(Dense.class, new DenseExplainer());
    register(Conv2d.class, new ConvExplainer());
    register(Activation.class, new ActivationExplainer());
    register(Pool2d.class, new PoolExplainer());
    register(Flatten.class, new FlattenExplainer());
    register(Softmax.class, new SoftmaxExplainer());
    register(dev.nerve.nn.Recurrent.class, new RecurrentExplainer());
    AttentionExplainer attention = new AttentionExplainer();
    register(dev.nerve.nn.MultiHeadAttention.class, attention);
    register(dev.nerve.nn.TransformerEncoder.class, attention);
    register(dev.nerve.nn.LayerNorm.class, attention);
  }

  /** Explains layers of {@code type} (and its subclasses without one of their own) so. */
  public static void register(Class<? extends Layer> type, LayerExplainer explainer) {
    BY_CLASS.put(type, explainer);
  }

  /** The explainer for {@code layer}: its class's, its nearest superclass's, or the default. */
  public static LayerExplainer of(Layer layer) {
    for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
      LayerExplainer e = BY_CLASS.get(c);
      if (e != null) {
        return e;
      }
    }
    return DEFAULT;
  }

  /** The tutorial's dense layer: {@code hidden_layer_input = matrix_dot_product(X, wh) + bh}. */
  private static final class DenseExplainer implements LayerExplainer {
    @Override
    public Role role() {
      return Role.WEIGHTED;
    }

    @Override
    public String parameterName(LayerContext c, int j) {
      String base = c.isOutputBlock() ? "out" : "h" + (c.parameterLayers() <= 2 ? "" : c.ordinal());
      return (c.parameterNames().get(j).equals("weight") ? "w" : "b") + base;
    }

    @Override
    public String initTutorial(LayerContext c) {
      Dense d = (Dense) c.layer();
      String t =
          c.nameOf(c.parameter(0)) + " = np.random.uniform(size=(" + d.in() + ", " + d.out() + "))";
      if (d.hasBias()) {
        t += "   " + c.nameOf(c.parameter(1)) + " = np.random.uniform(size=(1, " + d.out() + "))";
      }
      return t;
    }

    @Override
    public void forward(LayerContext c) {
      Dense d = (Dense) c.layer();
      String x = c.input();
      String w = c.parameter(0);
      c.matrix(c.output(), c.outputName(), "matrix");
      String ell = sup(c.ordinalBefore());
      List<String> shows = new ArrayList<>(List.of(x, w));
      Map<String, Object> r = rule("kind", "matmul", "a", x, "b", w, "flat", true);
      String tut =
          c.outputName() + " = matrix_dot_product(" + c.nameOf(x) + ", " + c.nameOf(w) + ")";
      String math =
          "z"
              + ell
              + " = "
              + (c.index() == 0 ? "X" : "a" + sup(c.ordinalBefore() - 1))
              + " · W"
              + ell;
      if (d.hasBias()) {
        String b = c.parameter(1);
        shows.add(b);
        r.put("bias", b);
        tut += " + " + c.nameOf(b);
        math += " + b" + ell;
      }
      c.step(
          c.forwardNumber(),
          c.isOutputBlock()
              ? "Linear transformation at the output layer"
              : "Calculate the hidden layer input",
          tut,
          math,
          c.where() + ": Dense.forward → Tensor.matmul(x, W) + b",
          "Each cell is one example's input row times one column of weights, plus that"
              + " column's bias: a weighted sum per neuron.",
          shows,
          c.output(),
          r);
    }

    @Override
    public void backward(LayerContext c) {
      String w = c.parameter(0);
      c.step(
          "8",
          "Error at the hidden layer",
          c.nameOf(c.errorIn())
              + " = matrix_dot_product("
              + c.nameOf(c.errorOut())
              + ", "
              + c.nameOf(w)
              + ".Transpose)",
          "E"
              + sup(c.ordinalBefore() - 1)
              + " = δ"
              + sup(c.ordinal())
              + " · W"
              + sup(c.ordinal())
              + "ᵀ",
          c.where() + ": Dense.backward → Tensor.matmul(dy, false, W, true)",
          "Each hidden neuron's share of the error: the deltas it fed, weighted by the"
              + " weights it fed them through.",
          List.of(c.errorOut(), w),
          c.errorIn(),
          rule("kind", "matmul", "a", c.errorOut(), "b", w, "tb", true, "flat", true));
    }

    @Override
    public Direction direction(LayerContext c, int j) {
      String delta = c.errorOut();
      if (c.parameterNames().get(j).equals("bias")) {
        return new Direction(
            rule("kind", "colsum", "a", delta, "maps", false, "flat", true),
            "sum(" + c.nameOf(delta) + ", axis=0)",
            false);
      }
      return new Direction(
          rule("kind", "matmul", "a", c.input(), "ta", true, "b", delta, "flat", true),
          "matrix_dot_product(" + c.nameOf(c.input()) + ".Transpose, " + c.nameOf(delta) + ")",
          true);
    }
  }

  /** A convolution: each output pixel a kernel laid over a patch. */
  private static final class ConvExplainer implements LayerExplainer {
    @Override
    public Role role() {
      return Role.WEIGHTED;
    }

    @Override
    public String outputName(LayerContext c) {
      return c.isLast() && c.isOutputBlock() ? "output" : "conv" + c.ordinal() + "_maps";
    }

    @Override
    public String parameterDisplay(LayerContext c, int j) {
      return j == 0 ? "kernels" : "matrix";
    }

    @Override
    public String parameterName(LayerContext c, int j) {
      return "conv" + c.ordinal() + "_" + c.parameterNames().get(j);
    }

    @Override
    public void forward(LayerContext c) {
      Conv2d conv = (Conv2d) c.layer();
      String x = c.input();
      String w = c.parameter(0);
      c.matrix(c.output(), c.outputName(), "maps");
      String ell = sup(c.ordinalBefore());
      List<String> shows = new ArrayList<>(List.of(x, w));
      Map<String, Object> r =
          rule(
              "kind",
              "conv",
              "a",
              x,
              "w",
              w,
              "stride",
              conv.stride(),
              "padding",
              conv.padding(),
              "dilation",
              conv.dilation());
      if (conv.bias() != null) {
        shows.add(c.parameter(1));
        r.put("bias", c.parameter(1));
      }
      c.step(
          c.forwardNumber(),
          "Feature maps: convolution",
          c.outputName() + " = conv2d(" + c.nameOf(x) + ", " + c.nameOf(w) + ") + bias",
          "z" + ell + "[c] = Σ_in (input[in] ⋆ W" + ell + "[c, in]) + b" + ell + "[c]",
          c.where() + ": Conv2d.forward → Im2col.unfold + Tensor.matmul",
          "Each output pixel is a kernel laid over a patch of every input channel: the sum of"
              + " the products, plus the channel's bias. Same weights at every position.",
          shows,
          c.output(),
          r);
    }

    @Override
    public String backwardText(LayerContext c) {
      return "A transposed convolution: each input pixel collects the errors of the"
          + " outputs it fed, weighted by the kernel cells that joined them.";
    }

    @Override
    public Direction direction(LayerContext c, int j) {
      if (c.parameterNames().get(j).equals("bias")) {
        return new Direction(
            rule("kind", "colsum", "a", c.errorOut(), "maps", true),
            "sum(" + c.nameOf(c.errorOut()) + ", axis=0)",
            false);
      }
      return LayerExplainer.super.direction(c, j);
    }
  }

  /** An element-wise activation: {@code hiddenlayer_activations = sigmoid(hidden_layer_input)}. */
  private static final class ActivationExplainer implements LayerExplainer {
    @Override
    public Role role() {
      return Role.ACTIVATION;
    }

    @Override
    public void forward(LayerContext c) {
      String x = c.input();
      c.matrix(c.output(), c.outputName(), c.displayOf(x));
      String fn = c.typeName();
      String symbol = fn.equals("sigmoid") ? "σ" : fn;
      String ell = sup(c.ordinalBefore());
      c.step(
          c.forwardNumber(),
          c.isOutputBlock()
              ? "Non-linear transformation at the output layer"
              : "Non-linear transformation of the hidden layer input",
          c.outputName() + " = " + fn + "(" + c.nameOf(x) + ")",
          c.blockActivation()
              ? "a" + ell + " = " + symbol + "(z" + ell + ")"
              : "a = " + symbol + "(input)",
          c.where() + ": Activation.forward, element by element",
          "The activation function applied to every cell on its own.",
          List.of(x),
          c.output(),
          rule("kind", "map", "a", x, "fn", fn, "param", c.setting()));
    }

    @Override
    public void backward(LayerContext c) {
      boolean output = c.isOutputBlock();
      String slope = "S" + c.index();
      c.step(
          output ? "7" : "9",
          output ? "Delta at the output layer" : "Delta at the hidden layer",
          c.nameOf(c.errorIn()) + " = " + c.nameOf(c.errorOut()) + " * " + c.nameOf(slope),
          "δ = E ⊙ f′(z)   (chain rule: ∂L/∂z = ∂L/∂a · ∂a/∂z)",
          c.where() + ": Activation.backward, element by element",
          "Each cell's error scaled by how much its activation responds there. (The"
              + " tutorial's text multiplies by the learning rate here too; its code, like"
              + " Nerve, does that in the update.)",
          List.of(c.errorOut(), slope),
          c.errorIn(),
          rule("kind", "mul", "a", c.errorOut(), "b", slope));
    }
  }

  /** Max or average pooling over windows. */
  private static final class PoolExplainer implements LayerExplainer {
    @Override
    public void forward(LayerContext c) {
      Pool2d p = (Pool2d) c.layer();
      boolean max = p instanceof MaxPool2d;
      String kind = max ? "max" : "mean";
      c.matrix(c.output(), c.outputName(), "maps");
      c.step(
          c.forwardNumber(),
          (max ? "Max" : "Average") + " pooling",
          c.outputName()
              + " = "
              + (max ? "max_pool" : "avg_pool")
              + "("
              + c.nameOf(c.input())
              + ")",
          "each output = " + kind + " of a " + p.kernel() + "×" + p.kernel() + " window",
          c.where() + ": " + c.simpleName() + ".forward",
          "Shrinks each feature map: every output keeps the "
              + (max ? "largest" : "average")
              + " value of its window.",
          List.of(c.input()),
          c.output(),
          rule(
              "kind",
              "pool",
              "a",
              c.input(),
              "op",
              kind,
              "k",
              p.kernel(),
              "stride",
              p.stride(),
              "padding",
              p.padding(),
              "avgCountsPadding",
              p instanceof AvgPool2d));
    }

    @Override
    public String backwardText(LayerContext c) {
      return c.layer() instanceof MaxPool2d
          ? "Each error goes back to the input that was the window's maximum; the others get 0."
          : "Each error is shared equally by the inputs of its window.";
    }
  }

  /** Flatten: the same numbers in one row per example. */
  private static final class FlattenExplainer implements LayerExplainer {
    @Override
    public void forward(LayerContext c) {
      c.matrix(c.output(), c.outputName(), "matrix");
      c.step(
          c.forwardNumber(),
          "Flatten",
          c.outputName() + " = " + c.nameOf(c.input()) + ".reshape(batch, -1)",
          "a = vec(maps)",
          c.where() + ": Flatten.forward (a view, no copy)",
          "The feature maps of each example laid out in one row, channel after channel, row"
              + " after row, for the dense layers that follow.",
          List.of(c.input()),
          c.output(),
          rule("kind", "same", "a", c.input()));
    }

    @Override
    public void backward(LayerContext c) {
      c.step(
          "8",
          "Error carried back through flatten",
          c.nameOf(c.errorIn()) + " = " + c.nameOf(c.errorOut()) + ".reshape(maps)",
          "E = reshape(E)",
          c.where() + ": Flatten.backward (a view)",
          "The same numbers, laid out as feature maps again.",
          List.of(c.errorOut()),
          c.errorIn(),
          rule("kind", "same", "a", c.errorOut()));
    }
  }

  /** Softmax over each row. */
  private static final class SoftmaxExplainer implements LayerExplainer {
    @Override
    public void forward(LayerContext c) {
      c.matrix(c.output(), c.outputName(), "matrix");
      c.step(
          c.forwardNumber(),
          "Softmax",
          c.outputName() + " = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)",
          "p_j = e^(z_j) / Σ_k e^(z_k)",
          c.where() + ": Softmax.forward",
          "Turns each row into probabilities that sum to 1.",
          List.of(c.input()),
          c.output(),
          rule("kind", "softmax", "a", c.input()));
    }
  }
}
