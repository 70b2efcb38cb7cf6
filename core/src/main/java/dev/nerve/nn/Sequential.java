package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layers applied one after another: a multi-layer perceptron is {@code Dense, activation, Dense,
 * activation, ...}.
 *
 * <p>Tutorial 1's network (4 inputs, 3 sigmoid hidden units, 1 sigmoid output, biases):
 *
 * <pre>{@code
 * Sequential net = new Sequential(
 *     new Dense(4, 3, Init.uniform(0, 1), Init.uniform(0, 1)), new Sigmoid(),
 *     new Dense(3, 1, Init.uniform(0, 1), Init.uniform(0, 1)), new Sigmoid())
 *     .initialize(42);
 * Tensor output = net.predict(x);
 * }</pre>
 *
 * <p>The layers' sizes are checked against each other here, when the network is built: a mismatch
 * names the layer and both shapes. Parameters start at zero; {@link #initialize} draws them from an
 * explicit seed (there is no hidden global generator) and loading weights ({@link
 * dev.nerve.io.Weights}) sets them from a file.
 */
public final class Sequential implements Layer, Model {
  private final List<Layer> layers;
  private final Shape inputShape;
  private boolean initialized;
  private boolean reshapedInput;

  /**
   * A network of these layers, in order.
   *
   * @throws ShapeMismatchException if a layer cannot take the previous layer's output
   * @throws IllegalArgumentException if there are no layers
   */
  public Sequential(Layer... layers) {
    this(List.of(layers));
  }

  /** A network of these layers, in order. */
  public Sequential(List<Layer> layers) {
    this(null, layers);
  }

  /**
   * Layers applied to examples of shape {@code input} (without the batch dimension), such as {@code
   * Shape.of(1, 28, 28)} for one-channel images: every layer's shape is checked now, so a kernel
   * that does not fit or a dense layer of the wrong width after a convolution is refused when the
   * network is built. Rows of {@code input.size()} values are viewed in this shape as they enter.
   *
   * @throws ShapeMismatchException naming the layer and both shapes
   */
  public Sequential(Shape input, Layer... layers) {
    this(input, List.of(layers));
  }

  /** See {@link #Sequential(Shape, Layer...)}; {@code input} null: from the first layer. */
  public Sequential(Shape input, List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a Sequential needs at least one layer");
    }
    this.layers = List.copyOf(layers);
    java.util.Set<Layer> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < this.layers.size(); i++) {
      if (!seen.add(this.layers.get(i))) {
        // A layer keeps its forward state for backward: one object in two places would
        // overwrite the first use's state with the second's and train on wrong gradients.
        throw new IllegalArgumentException(
            "layer "
                + i
                + " "
                + this.layers.get(i)
                + " is the same object as an earlier layer; create a new one for each place");
      }
    }
    Shape in = input;
    for (Layer l : this.layers) {
      if (in == null && l.inputShape() != null) {
        in = l.inputShape();
        break;
      }
    }
    this.inputShape = in;
    Shape shape = in;
    for (int i = 0; i < this.layers.size(); i++) {
      Layer l = this.layers.get(i);
      if (shape == null) {
        shape = l.inputShape() == null ? null : l.outputShape(l.inputShape());
        continue;
      }
      try {
        shape = l.outputShape(shape);
      } catch (ShapeMismatchException e) {
        String own = e.getMessage();
        String reason =
            l.inputShape() != null
                ? "it expects input " + l.inputShape() + ", gets " + shape
                : own.startsWith(l + ": ") ? own.substring(l.toString().length() + 2) : own;
        throw new ShapeMismatchException(
            "layer "
                + i
                + " "
                + l
                + " cannot follow "
                + (i == 0 ? "the input" : "layer " + (i - 1) + " " + this.layers.get(i - 1))
                + ": "
                + reason);
      }
    }
  }

  /** The layers, in order (unmodifiable). */
  @Override
  public List<Layer> layers() {
    return layers;
  }

  /** Layer {@code i}. */
  public Layer layer(int i) {
    return layers.get(i);
  }

  /** Number of layers. */
  public int size() {
    return layers.size();
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape(Shape input) {
    return Chain.outputShape(layers, input, "");
  }

  /**
   * Draws every parameter from a generator seeded with {@code seed}, layer by layer, each layer
   * with its own initialiser; returns this network.
   */
  public Sequential initialize(long seed) {
    initialize(new Rng(seed));
    return this;
  }

  /**
   * Initialises the layers in order, each knowing the layer after it (so {@link Init#auto()} can
   * choose He before a ReLU-like activation).
   */
  @Override
  public void initialize(Rng rng) {
    Layer.initializeChildren(layers, rng);
    initialized = true;
  }

  /** The layers: a Sequential used inside another network is a composite layer. */
  @Override
  public List<Layer> children() {
    return layers;
  }

  /** The layers' generators in order (declared by both Layer and Model; Layer's default). */
  @Override
  public long[] randomState() {
    return Layer.super.randomState();
  }

  @Override
  public void restoreRandomState(long[] state) {
    Layer.restoreRandomState(layers, state, "the network");
  }

  /** True once {@link #initialize} ran or weights were loaded. */
  public boolean isInitialized() {
    return initialized;
  }

  /** Records that the parameters were set by other means (weights loaded from a file). */
  public void markInitialized() {
    initialized = true;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> ps = new ArrayList<>();
    for (Layer l : layers) {
      ps.addAll(l.parameters());
    }
    return Collections.unmodifiableList(ps);
  }

  /** Total number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.value().size();
    }
    return n;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    return forward(x, null, training, null);
  }

  @Override
  public Tensor forward(Tensor x, int[] lengths, boolean training) {
    return forward(x, lengths, training, null);
  }

  /**
   * A training forward pass, like {@code forward(x, true)}, that also appends a copy of every
   * layer's output to {@code outputs} (modified), one per layer in order. The trainer uses it for
   * the iterations a trace asks for.
   */
  @Override
  public Tensor forwardRecorded(Tensor x, List<Tensor> outputs) {
    return forward(x, null, true, outputs);
  }

  @Override
  public Tensor forwardRecorded(Tensor x, int[] lengths, List<Tensor> outputs) {
    return forward(x, lengths, true, outputs);
  }

  /**
   * {@code x} as the first layer sees it: rows of values viewed as examples of the input shape (no
   * copy) when the network takes images, else {@code x} itself.
   */
  @Override
  public Tensor viewAsInput(Tensor x) {
    if (inputShape != null && inputShape.rank() > 1 && x.rank() == 2) {
      int[] dims = new int[inputShape.rank() + 1];
      dims[0] = x.rows();
      System.arraycopy(inputShape.dims(), 0, dims, 1, inputShape.rank());
      return x.reshape(dims);
    }
    return x;
  }

  private Tensor forward(Tensor x, int[] lengths, boolean training, List<Tensor> outputs) {
    Tensor h = viewAsInput(x);
    if (training) {
      reshapedInput = h != x;
    }
    if (lengths != null) {
      checkLengths(h, lengths);
    }
    return Chain.forward(layers, h, lengths, training, outputs);
  }

  /**
   * Checks that there is one length per example, each in [1, time steps].
   *
   * @throws IllegalArgumentException naming the example and its length
   */
  static void checkLengths(Tensor x, int[] lengths) {
    int n = x.shape().dim(0);
    if (lengths.length != n) {
      throw new IllegalArgumentException(
          lengths.length + " sequence lengths for a batch of " + n + " examples");
    }
    int steps = x.rank() < 2 ? 1 : x.shape().dim(1);
    for (int b = 0; b < n; b++) {
      if (lengths[b] < 1 || lengths[b] > steps) {
        throw new IllegalArgumentException(
            "example "
                + b
                + " has length "
                + lengths[b]
                + "; lengths must be in [1, "
                + steps
                + "] for inputs "
                + x.shape());
      }
    }
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    return backward(gradOutput, true);
  }

  /**
   * Backward through every layer; without {@code inputGradient} (a network trained on data), the
   * layers before the first one with parameters are skipped and that one is told to skip its input
   * gradient, so this returns {@code null}.
   */
  @Override
  public Tensor backward(Tensor gradOutput, boolean inputGradient) {
    return backward(gradOutput, inputGradient, null);
  }

  /**
   * Backpropagation like {@link #backward(Tensor, boolean)} that also fills {@code outputGradients}
   * (modified: cleared, then one entry per layer) with a copy of the gradient of the loss with
   * respect to each layer's output; entries stay null for layers before the first layer with
   * parameters when {@code inputGradient} is false, as their gradients are not computed.
   */
  @Override
  public Tensor backwardRecorded(
      Tensor gradOutput, boolean inputGradient, List<Tensor> outputGradients) {
    outputGradients.clear();
    for (int i = 0; i < layers.size(); i++) {
      outputGradients.add(null);
    }
    return backward(gradOutput, inputGradient, outputGradients);
  }

  private Tensor backward(Tensor gradOutput, boolean inputGradient, List<Tensor> record) {
    Tensor g = Chain.backward(layers, gradOutput, inputGradient, record);
    if (!inputGradient || g == null) { // an embedding first: token ids have no gradient
      return null;
    }
    return reshapedInput ? g.reshape(g.shape().dims()[0], g.size() / g.shape().dims()[0]) : g;
  }

  /**
   * The network's output for a batch, in inference mode: keeps no state, so a trained network may
   * predict from several threads at once.
   *
   * @param x {@code [batch, features]}
   * @throws IllegalStateException if the network was never initialised nor loaded
   */
  @Override
  public Tensor predict(Tensor x) {
    requireInitialized();
    return forward(x, false);
  }

  /** {@link #predict(Tensor)} over sequences of these lengths (null: all full). */
  @Override
  public Tensor predict(Tensor x, int[] lengths) {
    requireInitialized();
    return forward(x, lengths, false);
  }

  /** Forgets the state every stateful layer carries from one call to the next. */
  @Override
  public void resetState() {
    Layer.super.resetState();
  }

  /** Throws a clear error if the parameters were never set. */
  @Override
  public void requireInitialized() {
    if (!initialized && !parameters().isEmpty()) {
      throw new IllegalStateException(
          "the network's parameters were never set: call"
              + " initialize(seed) or load weights first");
    }
  }

  /**
   * One line per layer with its output shape and parameter count, Keras-style; the columns widen to
   * fit the longest layer and shape.
   */
  public String summary() {
    List<String> names = new ArrayList<>();
    List<String> shapes = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    Shape s = inputShape;
    for (Layer l : layers) {
      s = s == null ? null : l.outputShape(s);
      long n = 0;
      for (Parameter p : l.parameters()) {
        n += p.value().size();
      }
      names.add(l.toString());
      shapes.add(s == null ? "?" : "[*, " + s.toString().substring(1));
      counts.add(n);
    }
    int nameWidth = Math.max(32, names.stream().mapToInt(String::length).max().orElse(0));
    int shapeWidth = Math.max(12, shapes.stream().mapToInt(String::length).max().orElse(0));
    String row = "%-4s %-" + nameWidth + "s %-" + shapeWidth + "s %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(row, "#", "layer", "output", "parameters"));
    for (int i = 0; i < layers.size(); i++) {
      sb.append(String.format(row, i, names.get(i), shapes.get(i), counts.get(i)));
    }
    sb.append("total parameters: ").append(parameterCount());
    return sb.toString();
  }

  /** Like {@code Sequential(Dense(in=4, out=3), Sigmoid(), Dense(in=3, out=1), Sigmoid())}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Sequential(");
    for (int i = 0; i < layers.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(layers.get(i));
    }
    return sb.append(')').toString();
  }
}
