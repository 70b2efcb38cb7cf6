package dev.nerve.train;

import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;

/**
 * How well a network does on a set of examples.
 *
 * <p>Classification is recognised from the targets: several columns, each row one-hot, is
 * multi-class (the largest output is the predicted class); one column of 0s and 1s is binary (an
 * output above 0.5 is class 1). Anything else is regression.
 *
 * @param loss the loss over all examples, as the loss function reduces it (a mean, or a sum for the
 *     losses that sum over the batch)
 * @param accuracy fraction of examples classified right, or NaN for regression
 * @param examples number of examples
 * @param confusion true against predicted class, or null for regression
 * @param regression MSE, MAE and R² (computed for every kind of target)
 */
public record Evaluation(
    double loss,
    double accuracy,
    int examples,
    ConfusionMatrix confusion,
    RegressionMetrics regression) {

  /** Examples predicted at once: enough to be fast, small enough to keep memory flat. */
  private static final int CHUNK = 512;

  /** Evaluates {@code model} on inputs {@code x} and targets {@code y}; see the class comment. */
  public static Evaluation of(Sequential model, Loss loss, Tensor x, Tensor y) {
    return of(model, loss, new Dataset(x, y));
  }

  /**
   * Evaluates {@code model} on {@code data}, predicting a few hundred examples at a time so that
   * memory does not grow with the dataset.
   *
   * @throws dev.nerve.tensor.ShapeMismatchException if the data does not fit the model
   */
  public static Evaluation of(Sequential model, Loss loss, Dataset data) {
    model.requireInitialized();
    int n = data.size();
    Features fx = data.features();
    Features fy = data.targets();
    int cols = fy.cols();
    double lossSum = 0;
    double se = 0;
    double ae = 0;
    // Welford's running mean and sum of squared deviations of each target column: stable for
    // targets with a large mean and a small spread, where sum(y^2) - sum(y)^2/n cancels.
    double[] yMean = new double[cols];
    double[] yM2 = new double[cols];
    long seen = 0;
    double[] sse = new double[cols];
    boolean classes = n > 0;
    ConfusionMatrix cm = new ConfusionMatrix(Math.max(2, cols));
    Tensor xb = null;
    Tensor yb = null;
    for (int from = 0; from < n; from += CHUNK) {
      int m = Math.min(CHUNK, n - from);
      if (xb == null || xb.rows() != m) {
        xb = Tensor.zeros(m, fx.cols());
        yb = Tensor.zeros(m, cols);
      }
      fx.gather(null, from, m, xb.data());
      fy.gather(null, from, m, yb.data());
      Tensor p = model.predict(xb);
      double v = loss.value(p, yb);
      lossSum += loss.sumsOverBatch() ? v : v * m;
      float[] pd = p.data();
      float[] yd = yb.data();
      for (int i = 0; i < m; i++) {
        seen++;
        for (int j = 0; j < cols; j++) {
          double t = yd[i * cols + j];
          double d = pd[i * cols + j] - t;
          se += d * d;
          ae += Math.abs(d);
          sse[j] += d * d;
          double dm = t - yMean[j];
          yMean[j] += dm / seen;
          yM2[j] += dm * (t - yMean[j]);
        }
        if (classes) {
          int truth = trueClass(yd, i * cols, cols);
          if (truth < 0) {
            classes = false;
          } else {
            cm.add(truth, predictedClass(pd, i * cols, cols));
          }
        }
      }
    }
    double r2 = 0;
    for (int j = 0; j < cols; j++) {
      double sst = yM2[j];
      r2 += sst > 0 ? 1 - sse[j] / sst : Double.NaN;
    }
    long values = (long) n * cols;
    RegressionMetrics reg =
        n == 0
            ? new RegressionMetrics(Double.NaN, Double.NaN, Double.NaN)
            : new RegressionMetrics(se / values, ae / values, r2 / cols);
    double lossValue = n == 0 ? Double.NaN : loss.sumsOverBatch() ? lossSum : lossSum / n;
    return new Evaluation(
        lossValue, classes ? cm.accuracy() : Double.NaN, n, classes ? cm : null, reg);
  }

  /** The class of a target row: its one-hot column, 0/1 for one column, or -1 if not a class. */
  private static int trueClass(float[] y, int off, int cols) {
    if (cols == 1) {
      float v = y[off];
      return v == 0f ? 0 : v == 1f ? 1 : -1;
    }
    int hot = -1;
    for (int j = 0; j < cols; j++) {
      float v = y[off + j];
      if (v == 1f && hot < 0) {
        hot = j;
      } else if (v != 0f) {
        return -1;
      }
    }
    return hot;
  }

  private static int predictedClass(float[] p, int off, int cols) {
    if (cols == 1) {
      return p[off] > 0.5f ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < cols; j++) {
      if (p[off + j] > p[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /**
   * Counts the rows of a batch classified right, or returns -1 if the targets are not classes; the
   * trainer's running training accuracy.
   */
  static int countRight(Tensor p, Tensor y) {
    int cols = y.cols();
    float[] pd = p.data();
    float[] yd = y.data();
    int right = 0;
    for (int i = 0; i < y.rows(); i++) {
      int t = trueClass(yd, i * cols, cols);
      if (t < 0) {
        return -1;
      }
      if (predictedClass(pd, i * cols, cols) == t) {
        right++;
      }
    }
    return right;
  }

  /** The accuracy of predictions {@code p} against targets {@code y}, or NaN if not classes. */
  public static double accuracy(Tensor p, Tensor y) {
    int r = y.rows() == 0 ? -1 : countRight(p, y);
    return r < 0 ? Double.NaN : (double) r / y.rows();
  }
}
