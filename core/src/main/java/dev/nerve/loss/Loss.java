package dev.nerve.loss;

import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;

/**
 * A loss: how far a batch of predictions is from its targets, and the gradient of that with respect
 * to the predictions, where backpropagation starts.
 *
 * <p>Shapes: prediction and target have one shape, {@code [batch, outputs]} for vectors or {@code
 * [batch, time, outputs]} (any rank) for sequences: the last axis holds one position's outputs, and
 * the axes before it are positions. An optional mask has one value per position, 1 for a real
 * position and 0 for padding; padded positions count in neither the value nor the gradient.
 *
 * <p>Each implementation says whether it sums or averages over the batch: the learning rate that
 * suits it depends on that (the tutorials sum). A mean runs over {@link #terms} terms (cells or
 * positions); the training step of one slice of a larger batch passes the whole batch's count to
 * {@link #gradient(Tensor, Tensor, Tensor, Tensor, long)}, so that the slices' gradients add up to
 * the batch's.
 */
public interface Loss {
  /**
   * The sum of the loss's terms over the positions the mask keeps: the value of a summing loss, the
   * numerator of a mean. Neither argument is modified.
   *
   * @param mask one value per position (1 real, 0 padding), or null for all
   */
  double sum(Tensor prediction, Tensor target, Tensor mask);

  /**
   * How many terms this loss's mean runs over for this prediction and mask: by default the kept
   * cells (every output of every kept position); a loss averaged over positions overrides it. (A
   * summing loss returns the count too; it does not divide by it.)
   */
  default long terms(Tensor prediction, Tensor mask) {
    return kept(prediction, mask) * (prediction.rank() == 0 ? 1 : prediction.shape().dim(-1));
  }

  /**
   * Writes dL/d(prediction) into {@code out} (the only argument modified), where L is this loss
   * over a batch whose mean runs over {@code meanOver} terms: the terms of this prediction for a
   * whole batch, the whole batch's for one slice of it. Masked positions get 0.
   */
  void gradient(Tensor prediction, Tensor target, Tensor mask, Tensor out, long meanOver);

  /** The loss of a batch: {@link #sum}, divided by {@link #terms} unless it sums over the batch. */
  default double value(Tensor prediction, Tensor target, Tensor mask) {
    double s = sum(prediction, target, mask);
    if (sumsOverBatch()) {
      return s;
    }
    long n = terms(prediction, mask);
    return n == 0 ? 0 : s / n;
  }

  /** The loss of a batch without a mask. Neither argument is modified. */
  default double value(Tensor prediction, Tensor target) {
    return value(prediction, target, null);
  }

  /**
   * Writes dL/d(prediction) into {@code out}, which has the prediction's shape and is the only
   * argument modified.
   */
  default void gradient(Tensor prediction, Tensor target, Tensor out) {
    gradient(prediction, target, null, out, terms(prediction, null));
  }

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

  /** The number of positions of a prediction: its size over the size of its last axis. */
  static long positions(Tensor prediction) {
    int last = prediction.rank() == 0 ? 1 : prediction.shape().dim(-1);
    return last == 0 ? 0 : prediction.size() / last;
  }

  /** The positions the mask keeps (all when null). */
  static long kept(Tensor prediction, Tensor mask) {
    if (mask == null) {
      return positions(prediction);
    }
    long n = 0;
    for (float v : mask.data()) {
      n += v != 0f ? 1 : 0;
    }
    return n;
  }

  /** Checks that a mask, if any, has one value per position of the prediction. */
  static void checkMask(Loss loss, Tensor prediction, Tensor mask) {
    if (mask != null && mask.size() != positions(prediction)) {
      throw new ShapeMismatchException(
          loss
              + ": mask "
              + mask.shape()
              + " needs one value per position of prediction "
              + prediction.shape());
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
