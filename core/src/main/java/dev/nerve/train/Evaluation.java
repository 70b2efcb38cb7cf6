package dev.nerve.train;

import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;

/**
 * How well a network does on a set of examples.
 *
 * @param loss the loss over all examples, as the loss function reduces it
 * @param accuracy fraction of examples classified right, or NaN when the targets are not classes (a
 *     single output with targets other than 0 and 1 is regression)
 * @param examples number of examples
 */
public record Evaluation(double loss, double accuracy, int examples) {
  /**
   * Evaluates {@code model} on inputs {@code x} and targets {@code y}. Classification is recognised
   * from the targets: one column of 0s and 1s is binary (prediction above 0.5 is class 1), several
   * columns are one-hot (the largest output is the class).
   */
  public static Evaluation of(Sequential model, Loss loss, Tensor x, Tensor y) {
    Tensor p = model.predict(x);
    return new Evaluation(loss.value(p, y), accuracy(p, y), x.rows());
  }

  /** The accuracy of predictions {@code p} against targets {@code y}, or NaN (see above). */
  public static double accuracy(Tensor p, Tensor y) {
    int rows = y.rows();
    if (rows == 0) {
      return Double.NaN;
    }
    if (y.cols() == 1) {
      float[] t = y.data();
      for (float v : t) {
        if (v != 0f && v != 1f) {
          return Double.NaN;
        }
      }
      float[] q = p.data();
      int right = 0;
      for (int i = 0; i < rows; i++) {
        if ((q[i] > 0.5f ? 1f : 0f) == t[i]) {
          right++;
        }
      }
      return (double) right / rows;
    }
    int[] pred = p.argmaxRows();
    int[] truth = y.argmaxRows();
    int right = 0;
    for (int i = 0; i < rows; i++) {
      if (pred[i] == truth[i]) {
        right++;
      }
    }
    return (double) right / rows;
  }
}
