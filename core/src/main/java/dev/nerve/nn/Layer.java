package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One step of a network, with its forward pass and its backward pass side by side.
 *
 * <p>Shapes: inputs and outputs are batches, {@code [batch, features...]}; the first dimension is
 * the example. {@link #outputShape} speaks of one example (no batch dimension).
 *
 * <p>Contract: {@code forward(x, true)} keeps what {@code backward} needs; {@code backward(dy)}
 * receives dL/d(output) of the last training forward, adds dL/d(parameter) into each parameter's
 * gradient, and returns dL/d(input). {@code forward(x, false)} (inference) keeps no state and
 * writes nothing it shares, so it may run on many threads at once, and between a training forward
 * and its backward; the one exception is a layer told to carry its state from call to call (a
 * {@link Recurrent} layer that is {@link Recurrent#stateful()}), which updates that state.
 *
 * <p>A layer owns all of its state: its trainable {@link #parameters()}, the {@link #buffers()} it
 * saves but never trains (batch normalisation's running statistics) and the {@link #randomState()}
 * of the generators it draws from (dropout's masks). A <em>composite</em> layer holds other layers
 * ({@link #children()}); by default its parameters, buffers and random state are its children's, in
 * order. How a layer type is named in the network JSON, built and sized is its {@link LayerType}.
 */
public interface Layer {
  /**
   * The output shape of one example for an input of shape {@code input} (no batch dimension).
   *
   * @throws dev.nerve.tensor.ShapeMismatchException if this layer cannot take that input, naming
   *     the layer and both shapes
   */
  Shape outputShape(Shape input);

  /** The input shape of one example this layer requires, or {@code null} if it takes any. */
  default Shape inputShape() {
    return null;
  }

  /**
   * Forward pass. In training mode the returned tensor may be a buffer owned by the layer, valid
   * until its next forward pass; in inference mode it is new, or (for a layer that changes no
   * value, such as dropout at inference or flatten) the input itself or a view of it.
   *
   * @param input shape {@code [batch, features...]}, not modified
   * @param training keep what {@link #backward} needs
   */
  Tensor forward(Tensor input, boolean training);

  /**
   * Forward pass over sequences of different lengths: example {@code b} of {@code input} is real
   * for its first {@code lengths[b]} time steps (axis 1) and padding after them. A layer that runs
   * through time (a recurrent layer) stops at each example's last real step, so padding changes
   * none of its outputs for real steps nor its last-step output; its outputs at padded steps are
   * zero. Other layers ignore the lengths (the default): most work position by position, and the
   * loss's mask keeps padded positions out of the loss.
   *
   * @param lengths one length per example, each in [1, time steps], or null when every example uses
   *     every step
   */
  default Tensor forward(Tensor input, int[] lengths, boolean training) {
    return forward(input, training);
  }

  /**
   * What this layer computed inside its last training pass besides its output, for the walkthrough:
   * copies, by name (a recurrent layer's gates and states at every time step, and the error at
   * every step's hidden state after backward). Empty by default.
   */
  default java.util.Map<String, Tensor> insides() {
    return java.util.Map.of();
  }

  /**
   * Forgets any state carried from one forward pass to the next (a stateful recurrent layer's last
   * hidden state); a composite layer resets its children. By default there is none.
   */
  default void resetState() {
    for (Layer c : children()) {
      c.resetState();
    }
  }

  /**
   * Backward pass for the last training forward.
   *
   * @param gradOutput dL/d(output), shape of the last output; not modified
   * @return dL/d(input), shape of the last input
   */
  Tensor backward(Tensor gradOutput);

  /**
   * Backward pass that computes dL/d(input) only if {@code inputGradient}: the first layer of a
   * network adds its parameter gradients but nobody needs the gradient of the data, which for a
   * convolution costs as much as the rest of its backward pass.
   *
   * @return dL/d(input), or {@code null} if {@code inputGradient} is false and the layer skipped it
   */
  default Tensor backward(Tensor gradOutput, boolean inputGradient) {
    return backward(gradOutput);
  }

  /** The layers this one holds, in order (empty for a plain layer). */
  default List<Layer> children() {
    return List.of();
  }

  /**
   * Announces that the next training pass sees only {@code rows} of a larger batch: a layer that
   * draws random numbers while training then draws, for each row, what the whole batch would have
   * drawn for it, and leaves its generator where the whole batch would (see {@link BatchRows}). It
   * holds for one training pass; null (or a pass without an announcement) is a whole batch. A
   * composite layer tells its children; a layer that draws nothing ignores it.
   */
  default void drawAsRowsOf(BatchRows rows) {
    for (Layer c : children()) {
      c.drawAsRowsOf(rows);
    }
  }

  /**
   * The trainable parameters, in a fixed order. A composite layer's are its children's, and it must
   * not hold any of its own: give weights of its own to a child layer (its saved names and random
   * state are derived from the children).
   */
  default List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (Layer c : children()) {
      all.addAll(c.parameters());
    }
    return List.copyOf(all);
  }

  /**
   * State saved with the weights but not trained, such as batch normalisation's running statistics
   * (a composite layer's: its children's). Optimisers never see these.
   */
  default List<Buffer> buffers() {
    List<Buffer> all = new ArrayList<>();
    for (Layer c : children()) {
      all.addAll(c.buffers());
    }
    return List.copyOf(all);
  }

  /**
   * The names of {@link #parameters()}, in the same order, unique within this layer: a plain
   * layer's own names ({@code weight}, {@code bias}); a composite layer's are its children's
   * prefixed with the child's index ({@code 0.weight}, {@code 2.bias}), as in a PyTorch {@code
   * state_dict}.
   */
  default List<String> parameterNames() {
    if (children().isEmpty()) {
      return parameters().stream().map(Parameter::name).toList();
    }
    List<String> names = new ArrayList<>();
    List<Layer> cs = children();
    for (int i = 0; i < cs.size(); i++) {
      for (String n : cs.get(i).parameterNames()) {
        names.add(i + "." + n);
      }
    }
    return names;
  }

  /** The names of {@link #buffers()}, in order, unique within this layer (as the parameters'). */
  default List<String> bufferNames() {
    if (children().isEmpty()) {
      return buffers().stream().map(Buffer::name).toList();
    }
    List<String> names = new ArrayList<>();
    List<Layer> cs = children();
    for (int i = 0; i < cs.size(); i++) {
      for (String n : cs.get(i).bufferNames()) {
        names.add(i + "." + n);
      }
    }
    return names;
  }

  /**
   * One tensor a model file saves of a layer.
   *
   * @param name unique within the layer, as {@link #parameterNames()} and {@link #bufferNames()}
   * @param value the values, read and written in place
   */
  record Saved(String name, Tensor value) {}

  /**
   * What a model file saves of this layer, so that a saved network predicts exactly as it did:
   * every parameter, then every buffer; for a composite layer, each child's in turn.
   */
  default List<Saved> saved() {
    List<Saved> all = new ArrayList<>();
    List<Layer> cs = children();
    if (!cs.isEmpty()) {
      for (int i = 0; i < cs.size(); i++) {
        for (Saved s : cs.get(i).saved()) {
          all.add(new Saved(i + "." + s.name(), s.value()));
        }
      }
      if (all.size() != parameters().size() + buffers().size()) {
        throw new IllegalStateException(
            this
                + " has parameters or buffers besides its children's; a composite layer must hold"
                + " its own weights in a child layer, or they would not be saved");
      }
      return all;
    }
    for (Parameter p : parameters()) {
      all.add(new Saved(p.name(), p.value()));
    }
    for (Buffer b : buffers()) {
      all.add(new Saved(b.name(), b.value()));
    }
    return all;
  }

  /** Draws initial parameter values from {@code rng} (nothing for parameter-free layers). */
  default void initialize(Rng rng) {
    initializeChildren(children(), rng);
  }

  /**
   * Draws initial values knowing the layer that follows ({@code null} for the last): a weight
   * initialised by {@link Init#auto()} is drawn with He before a {@link #reluLike()} layer. By
   * default the same as {@link #initialize(Rng)}.
   */
  default void initialize(Rng rng, Layer next) {
    initialize(rng);
  }

  /**
   * Initialises {@code layers} in order from {@code rng}, each knowing the one after it: what a
   * {@link Sequential} and a composite layer do.
   */
  static void initializeChildren(List<Layer> layers, Rng rng) {
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).initialize(rng, i + 1 < layers.size() ? layers.get(i + 1) : null);
    }
  }

  /**
   * Whether this is a ReLU-like activation (ReLU, leaky ReLU, ELU, GELU, SiLU), before which {@link
   * Init#auto()} chooses He initialisation.
   */
  default boolean reluLike() {
    return false;
  }

  /**
   * Whether a training forward pass computes the same function as an inference one; false for
   * dropout and batch normalisation (and any composite layer holding one), for which a gradient
   * check by finite differences on inference passes cannot reproduce the training loss.
   */
  default boolean trainsAsItPredicts() {
    for (Layer c : children()) {
      if (!c.trainsAsItPredicts()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The states of the random generators this layer draws from while training (dropout's masks), in
   * a fixed order; empty for a layer that draws none. A checkpoint saves them so that a resumed run
   * draws the same numbers.
   */
  default long[] randomState() {
    long[] all = new long[0];
    for (Layer c : children()) {
      long[] s = c.randomState();
      all = Arrays.copyOf(all, all.length + s.length);
      System.arraycopy(s, 0, all, all.length - s.length, s.length);
    }
    return all;
  }

  /**
   * Continues the generators from states {@link #randomState()} returned.
   *
   * @throws IllegalArgumentException if {@code state} does not have one value per generator
   */
  default void restoreRandomState(long[] state) {
    restoreRandomState(children(), state, toString());
  }

  /**
   * Hands out {@code state} to {@code layers} in order, each taking as many values as its {@link
   * #randomState()} has.
   *
   * @throws IllegalArgumentException naming {@code owner} if the count does not match
   */
  static void restoreRandomState(List<Layer> layers, long[] state, String owner) {
    int[] counts = new int[layers.size()];
    int total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = layers.get(i).randomState().length;
      total += counts[i];
    }
    if (total != state.length) {
      throw new IllegalArgumentException(
          owner + " has " + total + " random generators; the saved state has " + state.length);
    }
    int at = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        layers.get(i).restoreRandomState(Arrays.copyOfRange(state, at, at + counts[i]));
        at += counts[i];
      }
    }
  }
}
