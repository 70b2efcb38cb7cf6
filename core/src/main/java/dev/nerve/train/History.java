package dev.nerve.train;

import java.util.Arrays;

/**
 * The loss of every iteration (one batch's update) and of every epoch, as the first tutorial plots
 * it.
 */
public final class History {
  private double[] iterations = new double[64];
  private int iterationCount;
  private double[] epochs = new double[16];
  private int epochCount;

  void addIteration(double loss) {
    if (iterationCount == iterations.length) {
      iterations = Arrays.copyOf(iterations, iterations.length * 2);
    }
    iterations[iterationCount++] = loss;
  }

  void addEpoch(double loss) {
    if (epochCount == epochs.length) {
      epochs = Arrays.copyOf(epochs, epochs.length * 2);
    }
    epochs[epochCount++] = loss;
  }

  /** The loss of each iteration, in order (a copy). */
  public double[] iterationLosses() {
    return Arrays.copyOf(iterations, iterationCount);
  }

  /**
   * The loss of each epoch, in order (a copy): the sum of its batch losses for a loss that sums
   * over the batch, otherwise their mean weighted by batch size.
   */
  public double[] epochLosses() {
    return Arrays.copyOf(epochs, epochCount);
  }

  /** Number of epochs recorded. */
  public int epochCount() {
    return epochCount;
  }

  /** Number of iterations recorded. */
  public int iterationCount() {
    return iterationCount;
  }

  /** The last epoch's loss, or NaN before any epoch. */
  public double finalLoss() {
    return epochCount == 0 ? Double.NaN : epochs[epochCount - 1];
  }
}
