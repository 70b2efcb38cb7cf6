package dev.nerve.train;

import java.util.Arrays;

/**
 * What happened during training: the loss of every iteration (one batch's update), as the first
 * tutorial plots it, and per epoch the training loss and accuracy, the validation loss and
 * accuracy, and the wall time; plus where early stopping ended the run.
 *
 * <p>Accuracies are NaN when the targets are not classes; validation values are NaN when the
 * trainer has no validation set.
 */
public final class History {
  private final Series iterations = new Series();
  private final Series epochs = new Series();
  private final Series trainAccuracy = new Series();
  private final Series validationLoss = new Series();
  private final Series validationAccuracy = new Series();
  private final Series epochSeconds = new Series();
  private final Series learningRates = new Series();
  private int bestEpoch;
  private int stoppedAt;

  /** A growable list of doubles. */
  private static final class Series {
    private double[] values = new double[16];
    private int count;

    void add(double v) {
      if (count == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[count++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(values, count);
    }
  }

  /** The history saved in {@code state}. */
  static History restore(TrainingState state) {
    History h = new History();
    for (double v : state.iterationLosses()) {
      h.iterations.add(v);
    }
    for (int e = 0; e < state.epochsDone(); e++) {
      h.epochs.add(state.epochLosses()[e]);
      h.trainAccuracy.add(state.trainAccuracies()[e]);
      h.validationLoss.add(state.validationLosses()[e]);
      h.validationAccuracy.add(state.validationAccuracies()[e]);
      h.epochSeconds.add(state.epochSeconds()[e]);
      h.learningRates.add(state.learningRates()[e]);
    }
    return h;
  }

  void addIteration(double loss) {
    iterations.add(loss);
  }

  void addEpoch(double loss) {
    addEpoch(loss, Double.NaN, Double.NaN, Double.NaN, 0);
  }

  void addEpoch(double loss, double accuracy, double valLoss, double valAccuracy, long nanos) {
    epochs.add(loss);
    trainAccuracy.add(accuracy);
    validationLoss.add(valLoss);
    validationAccuracy.add(valAccuracy);
    epochSeconds.add(nanos / 1e9);
  }

  void addLearningRate(double rate) {
    learningRates.add(rate);
  }

  /** The learning rate of each epoch (a copy). */
  public double[] learningRates() {
    return learningRates.toArray();
  }

  void setBestEpoch(int epoch) {
    bestEpoch = epoch;
  }

  void setStoppedAt(int epoch) {
    stoppedAt = epoch;
  }

  /** The loss of each iteration, in order (a copy). */
  public double[] iterationLosses() {
    return iterations.toArray();
  }

  /**
   * The loss of each epoch, in order (a copy): the sum of its batch losses for a loss that sums
   * over the batch, otherwise their mean weighted by batch size.
   */
  public double[] epochLosses() {
    return epochs.toArray();
  }

  /**
   * The training accuracy of each epoch (a copy): the fraction of the epoch's examples that were
   * classified right by the network as it was when each batch was seen, before its update.
   */
  public double[] trainAccuracies() {
    return trainAccuracy.toArray();
  }

  /** The validation loss after each epoch (a copy). */
  public double[] validationLosses() {
    return validationLoss.toArray();
  }

  /** The validation accuracy after each epoch (a copy). */
  public double[] validationAccuracies() {
    return validationAccuracy.toArray();
  }

  /** The wall time of each epoch in seconds, validation included (a copy). */
  public double[] epochSeconds() {
    return epochSeconds.toArray();
  }

  /** Number of epochs recorded. */
  public int epochCount() {
    return epochs.count;
  }

  /** Number of iterations recorded. */
  public int iterationCount() {
    return iterations.count;
  }

  /** The last epoch's loss, or NaN before any epoch. */
  public double finalLoss() {
    return epochs.count == 0 ? Double.NaN : epochs.values[epochs.count - 1];
  }

  /**
   * The epoch whose weights the model holds after early stopping restored the best ones, or 0 when
   * no weights were restored.
   */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The epoch after which early stopping ended training, or 0 if it ran every epoch. */
  public int stoppedEarlyAt() {
    return stoppedAt;
  }
}
