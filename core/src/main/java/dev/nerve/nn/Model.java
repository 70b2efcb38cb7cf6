package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * What a trainer, an evaluation and a trace need of a network: forward and backward passes over a
 * batch, its parameters, its layers in order (to name the one that went wrong or to explain each),
 * and the state of its random generators. {@link Sequential} is one; the training loop ({@code
 * dev.nerve.train.Trainer}) trains this interface, not a particular kind of network.
 */
public interface Model {
  /**
   * The output for a batch: in training mode keeping what {@link #backward} needs (the result may
   * be a buffer reused by the next pass), in inference mode keeping nothing.
   *
   * @param x {@code [batch, ...]}, not modified
   */
  Tensor forward(Tensor x, boolean training);

  /**
   * {@link #forward(Tensor, boolean)} over sequences of different lengths, padded to one: see
   * {@link Layer#forward(Tensor, int[], boolean)}.
   *
   * @param lengths one per example, or null when every example uses every step
   */
  Tensor forward(Tensor x, int[] lengths, boolean training);

  /**
   * A training forward pass that also appends a copy of every layer's output to {@code outputs}
   * (modified), one per layer of {@link #layers()} in order: what a trace records.
   */
  Tensor forwardRecorded(Tensor x, List<Tensor> outputs);

  /** {@link #forwardRecorded(Tensor, List)} over sequences of these lengths (null: all full). */
  Tensor forwardRecorded(Tensor x, int[] lengths, List<Tensor> outputs);

  /**
   * Backpropagation for the last training forward: adds dL/d(parameter) into every parameter's
   * gradient and returns dL/d(input), or null when {@code inputGradient} is false (nobody needs the
   * gradient of the data, and skipping it saves work).
   */
  Tensor backward(Tensor gradOutput, boolean inputGradient);

  /**
   * {@link #backward} that also fills {@code outputGradients} (modified: cleared, then one entry
   * per layer) with a copy of the gradient of the loss with respect to each layer's output; entries
   * the pass did not compute stay null.
   */
  Tensor backwardRecorded(Tensor gradOutput, boolean inputGradient, List<Tensor> outputGradients);

  /**
   * The output for a batch in inference mode, safe to call from several threads at once.
   *
   * @throws IllegalStateException if the parameters were never initialised nor loaded
   */
  Tensor predict(Tensor x);

  /** {@link #predict(Tensor)} over sequences of these lengths (null: all full). */
  Tensor predict(Tensor x, int[] lengths);

  /** Forgets the state every stateful layer carries from one call to the next. */
  void resetState();

  /** The trainable parameters, in a fixed order: the order optimisers and checkpoints use. */
  List<Parameter> parameters();

  /**
   * The shape of one example's output for one example's input shape (without the batch axis).
   *
   * @throws dev.nerve.tensor.ShapeMismatchException if the input does not fit, naming the layer
   */
  default Shape outputShape(Shape input) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not say its output shape");
  }

  /** The layers, in the order a forward pass runs them (unmodifiable). */
  List<Layer> layers();

  /**
   * {@code x} as the first layer sees it: rows of values viewed in the network's input shape (no
   * copy), or {@code x} itself.
   */
  Tensor viewAsInput(Tensor x);

  /** Throws a clear {@link IllegalStateException} if the parameters were never set. */
  void requireInitialized();

  /**
   * The states of every layer's random generators, in layer order; see {@link Layer#randomState}.
   */
  long[] randomState();

  /**
   * Continues every layer's random generators from states {@link #randomState()} returned.
   *
   * @throws IllegalArgumentException if the count does not match
   */
  void restoreRandomState(long[] state);
}
