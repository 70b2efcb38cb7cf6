package dev.nerve.train;

import dev.nerve.loss.Loss;
import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import dev.nerve.optim.Optimizer;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * Receives the trainer's events: progress lines, charts, logs and traces are listeners, and the
 * model and the trainer never print. Every method has an empty default.
 */
public interface TrainingListener {
  /** Before the first epoch. */
  default void onTrainStart(TrainStart event) {}

  /**
   * Whether this listener wants to see the inside of the given iteration through {@link #onStep}.
   * Only then does the trainer keep a copy of every layer's output and gradient, so the default,
   * {@code false}, costs nothing.
   *
   * @param epoch the epoch, from 1
   * @param batch the batch within the epoch, from 1
   * @param iteration the update about to be made, from 1
   */
  default boolean wantsStep(int epoch, int batch, long iteration) {
    return false;
  }

  /**
   * The inside of one iteration that {@link #wantsStep} asked for, after backpropagation (and
   * gradient clipping) and before the optimiser's update; {@link #onBatchEnd} follows after the
   * update.
   */
  default void onStep(Step step) {}

  /**
   * Whether this listener wants the run's {@link TrainingState} after epoch {@code epoch} (a
   * checkpoint); the trainer copies it only when some listener does.
   */
  default boolean wantsState(int epoch) {
    return false;
  }

  /**
   * The state that continues the run after an epoch {@link #wantsState} asked for, taken after the
   * epoch's end (validation, schedule and early stopping included). Its arrays are copies.
   */
  default void onState(TrainingState state) {}

  /** After each batch's update. */
  default void onBatchEnd(BatchEnd event) {}

  /** After each epoch. */
  default void onEpochEnd(EpochEnd event) {}

  /** After the last epoch, with the whole history. */
  default void onTrainEnd(History history) {}

  /**
   * Training is about to start.
   *
   * @param epochs epochs to run
   * @param batchesPerEpoch batches in each epoch
   * @param examples examples in the training set
   */
  record TrainStart(int epochs, int batchesPerEpoch, int examples) {}

  /**
   * One batch was trained on.
   *
   * @param epoch the epoch, from 1
   * @param batch the batch within the epoch, from 1
   * @param iteration updates so far, from 1
   * @param batchSize examples in this batch
   * @param loss the loss of this batch, before the update
   */
  record BatchEnd(int epoch, int batch, long iteration, int batchSize, double loss) {}

  /**
   * One iteration seen from inside, between backpropagation and the update. The tensors are copies
   * the listener may keep; the model, its parameters and the optimiser are the live objects, so
   * their values and gradients are the ones before the update only during the call. A listener that
   * changes them changes the training.
   *
   * @param epoch the epoch, from 1
   * @param batch the batch within the epoch, from 1
   * @param iteration the update about to be made, from 1
   * @param inputs the batch's inputs as the first layer saw them ([batch, ...], images reshaped)
   * @param targets the batch's targets
   * @param mask the batch's mask over target positions (1 real, 0 padding), or null
   * @param lengths the real length of each example's input sequence, or null when all are full
   * @param layerOutputs the output of each layer in order, one per layer of the model
   * @param outputGradients the gradient of the loss with respect to each layer's output, one per
   *     layer; the last is the loss's gradient. Null for the layers before the first layer with
   *     parameters, whose gradients training does not compute
   * @param loss the batch's loss before the update
   * @param lossFunction the loss being minimised
   * @param model the model, its parameters holding the values before the update and the gradients
   * @param optimizer the optimiser about to make the update
   * @param gradientsClipped whether gradient clipping was applied to the gradients (by value or
   *     norm), so they may differ from the loss's true gradient
   */
  record Step(
      int epoch,
      int batch,
      long iteration,
      Tensor inputs,
      Tensor targets,
      Tensor mask,
      int[] lengths,
      List<Tensor> layerOutputs,
      List<Tensor> outputGradients,
      double loss,
      Loss lossFunction,
      Model model,
      Optimizer optimizer,
      boolean gradientsClipped) {
    /** The model's parameters, in order: values before the update, and their gradients. */
    public List<Parameter> parameters() {
      return model.parameters();
    }
  }

  /**
   * One epoch ended.
   *
   * @param epoch the epoch, from 1
   * @param epochs epochs in the run
   * @param loss the epoch's loss: the sum of its batch losses for a loss that sums over the batch,
   *     otherwise their mean weighted by the positions each batch holds (its examples, or its real
   *     time steps)
   * @param accuracy the fraction of the epoch's positions (examples, or real time steps) classified
   *     right (NaN if not classes)
   * @param validationLoss the loss on the validation set after the epoch (NaN without one)
   * @param validationAccuracy the accuracy on the validation set (NaN without one or classes)
   * @param nanos wall time of the epoch, validation included
   * @param learningRate the optimiser's learning rate during the epoch
   */
  record EpochEnd(
      int epoch,
      int epochs,
      double loss,
      double accuracy,
      double validationLoss,
      double validationAccuracy,
      long nanos,
      float learningRate) {}
}
