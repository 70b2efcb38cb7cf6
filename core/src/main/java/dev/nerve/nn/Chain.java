package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * Forward and backward through layers applied one after another: what {@link Sequential} and a
 * composite layer such as {@link Residual} share.
 */
final class Chain {
  private Chain() {}

  /**
   * The output shape of {@code layers} in order for one example of shape {@code input}; a shape
   * error is prefixed with {@code prefix} and the layer's index.
   */
  static Shape outputShape(List<Layer> layers, Shape input, String prefix) {
    Shape s = input;
    for (int i = 0; i < layers.size(); i++) {
      try {
        s = layers.get(i).outputShape(s);
      } catch (ShapeMismatchException e) {
        throw new ShapeMismatchException(prefix + "layer " + i + " " + e.getMessage());
      }
    }
    return s;
  }

  /**
   * {@code x} through {@code layers} in order; a shape error is prefixed with the layer's index.
   * With {@code outputs} not null, a copy of every layer's output is appended to it. {@code
   * lengths} (null: all full) go to every layer.
   */
  static Tensor forward(
      List<Layer> layers, Tensor x, int[] lengths, boolean training, List<Tensor> outputs) {
    return forward(layers, x, lengths, training, outputs, true);
  }

  /**
   * As {@link #forward(List, Tensor, int[], boolean, List)}; without {@code copies}, {@code
   * outputs} receives the layers' outputs themselves (a training pass's buffers, valid until each
   * layer's next forward pass), which costs nothing.
   */
  static Tensor forward(
      List<Layer> layers,
      Tensor x,
      int[] lengths,
      boolean training,
      List<Tensor> outputs,
      boolean copies) {
    Tensor h = x;
    for (int i = 0; i < layers.size(); i++) {
      try {
        h = layers.get(i).forward(h, lengths, training);
      } catch (ShapeMismatchException e) {
        throw new ShapeMismatchException("layer " + i + " " + e.getMessage());
      }
      if (outputs != null) {
        outputs.add(copies ? h.copy() : h);
      }
    }
    return h;
  }

  /**
   * Backward through {@code layers} in reverse. Without {@code inputGradient} the layers before the
   * first one with parameters are skipped and that one is told to skip its input gradient, so this
   * returns null: nobody needs the gradient of the data. With {@code record} not null (one entry
   * per layer), a copy of the gradient at each layer's output is set in it.
   */
  static Tensor backward(
      List<Layer> layers, Tensor gradOutput, boolean inputGradient, List<Tensor> record) {
    int first = 0;
    if (!inputGradient) {
      first = layers.size() - 1;
      for (int i = 0; i < layers.size(); i++) {
        if (!layers.get(i).parameters().isEmpty()) {
          first = i;
          break;
        }
      }
    }
    Tensor g = gradOutput;
    for (int i = layers.size() - 1; i > first; i--) {
      if (record != null) {
        record.set(i, g.copy());
      }
      g = layers.get(i).backward(g);
    }
    if (record != null) {
      record.set(first, g.copy());
    }
    g = layers.get(first).backward(g, inputGradient);
    return inputGradient ? g : null;
  }
}
