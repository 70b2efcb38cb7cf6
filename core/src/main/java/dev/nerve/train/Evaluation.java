package dev.nerve.train;

import dev.nerve.data.Batch;
import dev.nerve.data.Batcher;
import dev.nerve.data.Dataset;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Model;
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
 * @param accuracy fraction of predictions classified right (one per example, or one per real time
 *     step for targets {@code [time, classes]}), or NaN for regression
 * @param examples number of examples
 * @param confusion true against predicted class, or null for regression
 * @param regression MSE, MAE and R² (computed for every kind of target)
 * @param sequenceAccuracy for targets with positions ({@code [time, classes]}): the fraction of
 *     examples whose every kept position is classified right; NaN otherwise
 */
public record Evaluation(
    double loss,
    double accuracy,
    int examples,
    ConfusionMatrix confusion,
    RegressionMetrics regression,
    double sequenceAccuracy) {

  /**
   * The perplexity, {@code e^loss}: for a softmax cross-entropy averaged per token, the number of
   * equally likely tokens the model is as unsure as.
   */
  public double perplexity() {
    return Math.exp(loss);
  }

  /**
   * Bits per token (per character for a character model), {@code loss / ln 2}: for a softmax
   * cross-entropy averaged per token, what an ideal coder driven by the model spends per token.
   */
  public double bitsPerToken() {
    return loss / Math.log(2);
  }

  /** Examples predicted at once: enough to be fast, small enough to keep memory flat. */
  private static final int CHUNK = 512;

  /** Evaluates {@code model} on inputs {@code x} and targets {@code y}; see the class comment. */
  public static Evaluation of(Model model, Loss loss, Tensor x, Tensor y) {
    return of(model, loss, new Dataset(x, y));
  }

  /**
   * Evaluates {@code model} on {@code data}, predicting a few hundred examples at a time so that
   * memory does not grow with the dataset. For targets with positions ({@code [time, classes]}),
   * every kept position counts as one prediction (accuracy per token); padded positions count in
   * nothing.
   *
   * @throws dev.nerve.tensor.ShapeMismatchException if the data does not fit the model
   */
  public static Evaluation of(Model model, Loss loss, Dataset data) {
    model.requireInitialized();
    int n = data.size();
    int cols = data.targetShape().dim(-1);
    boolean perPosition = data.targetShape().rank() > 1; // targets [time, classes]
    double lossSum = 0;
    long positions = 0;
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
    long wholeRight = 0;
    long wholeSeen = 0;
    // Chunks of at most CHUNK examples and about 2^24 values of targets (a word-level language
    // model's one-hot targets are time x vocabulary per example).
    long perExample = Math.max(1, (long) data.targetShape().size() + data.inputShape().size());
    int chunk = (int) Math.max(1, Math.min(CHUNK, (1L << 24) / perExample));
    Batcher chunks = new Batcher(data, chunk, null);
    for (int c = 0; c < chunks.batchesPerEpoch() && n > 0; c++) {
      // Each chunk's rows are unrelated to the last chunk's: a stateful layer starts from zero.
      model.resetState();
      Batch batch = chunks.batch(c);
      int m = batch.size();
      Tensor p = model.predict(batch.x(), batch.lengths());
      Tensor yt = batch.y();
      Tensor mb = batch.mask();
      int per = (int) (Loss.positions(yt) / Math.max(1, m)); // this batch's positions per example
      double v = loss.value(p, yt, mb);
      long kept = Loss.kept(p, mb);
      lossSum += loss.sumsOverBatch() ? v : v * kept;
      positions += kept;
      float[] pd = p.data();
      float[] yd = yt.data();
      float[] md = mb == null ? null : mb.data();
      boolean allRight = true;
      boolean anyKept = false;
      for (int k = 0; k < m * per; k++) {
        if (perPosition && k % per == 0) {
          allRight = true;
          anyKept = false;
        }
        if (md != null && md[k] == 0f) {
          if (perPosition && k % per == per - 1 && anyKept) {
            wholeSeen++;
            wholeRight += allRight ? 1 : 0;
          }
          continue;
        }
        anyKept = true;
        seen++;
        for (int j = 0; j < cols; j++) {
          double t = yd[k * cols + j];
          double d = pd[k * cols + j] - t;
          se += d * d;
          ae += Math.abs(d);
          sse[j] += d * d;
          double dm = t - yMean[j];
          yMean[j] += dm / seen;
          yM2[j] += dm * (t - yMean[j]);
        }
        if (classes) {
          int truth = trueClass(yd, k * cols, cols);
          if (truth < 0) {
            classes = false;
          } else {
            int guess = predictedClass(pd, k * cols, cols);
            cm.add(truth, guess);
            allRight &= guess == truth;
          }
        }
        if (perPosition && k % per == per - 1) {
          wholeSeen++;
          wholeRight += allRight ? 1 : 0;
        }
      }
    }
    double r2 = 0;
    for (int j = 0; j < cols; j++) {
      double sst = yM2[j];
      r2 += sst > 0 ? 1 - sse[j] / sst : Double.NaN;
    }
    long values = seen * cols;
    RegressionMetrics reg =
        seen == 0
            ? new RegressionMetrics(Double.NaN, Double.NaN, Double.NaN)
            : new RegressionMetrics(se / values, ae / values, r2 / cols);
    double lossValue =
        positions == 0 ? Double.NaN : loss.sumsOverBatch() ? lossSum : lossSum / positions;
    classes &= seen > 0;
    model.resetState();
    return new Evaluation(
        lossValue,
        classes ? cm.accuracy() : Double.NaN,
        n,
        classes ? cm : null,
        reg,
        classes && perPosition && wholeSeen > 0 ? (double) wholeRight / wholeSeen : Double.NaN);
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
   * Counts the positions (rows, or time steps) of a batch classified right, skipping those the mask
   * drops, or returns -1 if the targets are not classes; the trainer's running training accuracy.
   */
  static int countRight(Tensor p, Tensor y, Tensor mask) {
    int cols = y.shape().dim(-1);
    int rows = (int) Loss.positions(y);
    float[] pd = p.data();
    float[] yd = y.data();
    float[] md = mask == null ? null : mask.data();
    int right = 0;
    for (int i = 0; i < rows; i++) {
      if (md != null && md[i] == 0f) {
        continue;
      }
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
    int r = Loss.positions(y) == 0 ? -1 : countRight(p, y, null);
    return r < 0 ? Double.NaN : (double) r / Loss.positions(y);
  }
}
