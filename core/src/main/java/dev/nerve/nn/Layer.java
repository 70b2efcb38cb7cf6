package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * One step of a network, with its forward pass and its backward pass side by side.
 *
 * <p>Shapes: inputs and outputs are batches, {@code [batch, features...]}; the first dimension is
 * the example. {@link #outputShape} speaks of one example (no batch dimension).
 *
 * <p>Contract: {@code forward(x, true)} keeps what {@code backward} needs; {@code backward(dy)}
 * receives dL/d(output) of the last training forward, adds dL/d(parameter) into each parameter's
 * gradient, and returns dL/d(input). {@code forward(x, false)} (inference) keeps nothing and
 * allocates its output, so it may run on many threads at once.
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
   * until its next forward pass; in inference mode it is new.
   *
   * @param input shape {@code [batch, features...]}, not modified
   * @param training keep what {@link #backward} needs
   */
  Tensor forward(Tensor input, boolean training);

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

  /** The trainable parameters, in a fixed order (empty for parameter-free layers). */
  default List<Parameter> parameters() {
    return List.of();
  }

  /** Draws initial parameter values from {@code rng} (nothing for parameter-free layers). */
  default void initialize(Rng rng) {}

  /**
   * State saved with the weights but not trained, such as batch normalisation's running statistics
   * (none by default). Optimisers never see these.
   */
  default List<Parameter> buffers() {
    return List.of();
  }
}
