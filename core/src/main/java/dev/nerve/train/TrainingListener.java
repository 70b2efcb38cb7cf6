package dev.nerve.train;

/**
 * Receives the trainer's events: progress lines, charts, logs and traces are listeners, and the
 * model and the trainer never print. Every method has an empty default.
 */
public interface TrainingListener {
  /** Before the first epoch. */
  default void onTrainStart(TrainStart event) {}

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
   * One epoch ended.
   *
   * @param epoch the epoch, from 1
   * @param epochs epochs in the run
   * @param loss the epoch's loss: the sum of its batch losses for a loss that sums over the batch,
   *     otherwise their mean weighted by batch size
   * @param accuracy the fraction of the epoch's examples classified right (NaN if not classes)
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
