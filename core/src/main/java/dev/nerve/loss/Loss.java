package dev.nerve.loss;

import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * A loss: how far a batch of predictions is from its targets, and the gradient of that with respect
 * to the predictions, where backpropagation starts.
 *
 * <p>Shapes: prediction and target are both {@code [batch, outputs]}. Each implementation says
 * whether it sums or averages over the batch: the learning rate that suits it depends on that (the
 * tutorials sum).
 */
public interface Loss {
  /** The loss of a batch. Neither argument is modified. */
  double value(Tensor prediction, Tensor target);

  /**
   * Writes dL/d(prediction) into {@code out}, which has the prediction's shape and is the only
   * argument modified.
   */
  void gradient(Tensor prediction, Tensor target, Tensor out);

  /** dL/d(prediction) as a new tensor. */
  default Tensor gradient(Tensor prediction, Tensor target) {
    Tensor out = Tensor.zeros(prediction.shape().dims());
    gradient(prediction, target, out);
    return out;
  }

  /**
   * True if the value sums over the examples of a batch (the tutorials' errors) rather than
   * averaging; an epoch's loss is then the sum of its batches' losses, not their mean.
   */
  default boolean sumsOverBatch() {
    return false;
  }

  /** The JSON name, such as {@code "mse"} or {@code "softmax_cross_entropy"}. */
  String name();

  /**
   * The loss with this JSON name: half_squared_error, sum_squared_error, mse, binary_cross_entropy,
   * softmax_cross_entropy.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  static Loss named(String name) {
    switch (name) {
      case HalfSquaredError.NAME:
        return new HalfSquaredError();
      case SumSquaredError.NAME:
        return new SumSquaredError();
      case MeanSquaredError.NAME:
        return new MeanSquaredError();
      case BinaryCrossEntropy.NAME:
        return new BinaryCrossEntropy();
      case SoftmaxCrossEntropy.NAME:
        return new SoftmaxCrossEntropy();
      default:
        throw new IllegalArgumentException(
            "unknown loss '"
                + name
                + "'; known: "
                + HalfSquaredError.NAME
                + ", "
                + SumSquaredError.NAME
                + ", "
                + MeanSquaredError.NAME
                + ", "
                + BinaryCrossEntropy.NAME
                + ", "
                + SoftmaxCrossEntropy.NAME);
    }
  }

  /** Checks that prediction, target and (if not null) out have one shape. */
  static void checkShapes(Loss loss, Tensor prediction, Tensor target, Tensor out) {
    if (!prediction.shape().equals(target.shape())) {
      throw new ShapeMismatchException(
          loss
              + ": prediction "
              + prediction.shape()
              + " and target "
              + target.shape()
              + " differ");
    }
    if (out != null && !out.shape().equals(prediction.shape())) {
      throw new ShapeMismatchException(
          loss
              + ": gradient buffer "
              + out.shape()
              + " does not match prediction "
              + prediction.shape());
    }
  }
}
