package dev.nerve.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link Trainer} needs, besides the model's own parameters and buffers, to continue a
 * run after its {@code epochsDone}-th epoch and end with the same bits as a run never stopped: the
 * examples' order and the shuffling generator, the optimiser's running state, the layers' random
 * generators (dropout's masks), and the history so far (from which learning-rate schedules and
 * early stopping are replayed). {@code dev.nerve.io.Checkpoints} writes it beside the model; {@link
 * Trainer.Builder#resumeFrom} continues from it.
 *
 * @param epochsDone the epochs completed; training continues with the next
 * @param iteration the updates made so far
 * @param examples the training set's size
 * @param batchSize the batch size
 * @param order the examples' order after the last shuffle
 * @param shuffleState the shuffling generator's state (0 without shuffling)
 * @param baseRate the learning rate the run started with (schedules scale it)
 * @param learningRate the optimiser's learning rate at the checkpoint
 * @param optimizerSteps the optimiser's step count
 * @param optimizerArrays the optimiser's per-weight arrays, in its order
 * @param randomStates the states of the layers' random generators, in model order (see {@link
 *     dev.nerve.nn.Layer#randomState()})
 * @param iterationLosses the loss of every update
 * @param epochLosses the loss of every epoch
 * @param trainAccuracies the training accuracy of every epoch (NaN without classes)
 * @param validationLosses the validation loss of every epoch (NaN without validation)
 * @param validationAccuracies the validation accuracy of every epoch
 * @param epochSeconds the wall time of every epoch
 * @param learningRates the learning rate of every epoch
 * @param bestWeights the parameters at the best epoch so far when early stopping restores them,
 *     else null
 */
public record TrainingState(
    int epochsDone,
    long iteration,
    int examples,
    int batchSize,
    int[] order,
    long shuffleState,
    float baseRate,
    float learningRate,
    long optimizerSteps,
    List<float[]> optimizerArrays,
    long[] randomStates,
    double[] iterationLosses,
    double[] epochLosses,
    double[] trainAccuracies,
    double[] validationLosses,
    double[] validationAccuracies,
    double[] epochSeconds,
    double[] learningRates,
    float[][] bestWeights) {

  /**
   * A state; arrays are kept as given (the trainer passes copies).
   *
   * @throws IllegalArgumentException if the counts disagree with one another
   */
  public TrainingState {
    optimizerArrays = List.copyOf(optimizerArrays);
    if (epochsDone < 0 || iteration < 0 || examples < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "a training state needs epochs and updates of 0 or more and a positive size and batch");
    }
    if (order.length != examples) {
      throw new IllegalArgumentException(
          "the order lists " + order.length + " examples, the state says " + examples);
    }
    if (iterationLosses.length != iteration) {
      throw new IllegalArgumentException(
          iteration + " updates but " + iterationLosses.length + " iteration losses");
    }
    for (double[] perEpoch :
        new double[][] {
          epochLosses,
          trainAccuracies,
          validationLosses,
          validationAccuracies,
          epochSeconds,
          learningRates
        }) {
      if (perEpoch.length != epochsDone) {
        throw new IllegalArgumentException(
            epochsDone + " epochs done but a per-epoch series has " + perEpoch.length + " values");
      }
    }
  }

  /** The optimiser's part, as {@link dev.nerve.optim.Optimizer#restoreState} takes it. */
  public dev.nerve.optim.Optimizer.State optimizerState() {
    return new dev.nerve.optim.Optimizer.State(optimizerSteps, new ArrayList<>(optimizerArrays));
  }
}
