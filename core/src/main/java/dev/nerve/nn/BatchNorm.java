package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Batch normalisation (Ioffe and Szegedy) of dense inputs {@code [batch, features]} or of each
 * channel of convolutional inputs {@code [batch, channels, h, w]}, as PyTorch's {@code
 * BatchNorm1d}/{@code BatchNorm2d}: {@code y = γ (x - μ) / √(σ² + ε) + β}.
 *
 * <p>While training, μ and σ² are the batch's (biased variance) and the running statistics move
 * towards them, {@code running = (1 - m) running + m batch} with momentum m = 0.1 and the unbiased
 * variance; at inference the running statistics are used. They are saved with the weights ({@link
 * #buffers()}) but never trained.
 */
public final class BatchNorm implements Layer {
  /** The type {@code batch_norm}: no settings; the features come from the input shape. */
  public static final LayerType<NoSettings, BatchNorm> TYPE =
      new LayerType<>("batch_norm", BatchNorm.class, NoSettings.class) {
        @Override
        public NoSettings read(SettingsReader in) {
          return new NoSettings(this);
        }

        @Override
        public void write(NoSettings s, Map<String, Object> out) {}

        @Override
        public NoSettings describe(BatchNorm b) {
          return new NoSettings(this);
        }

        @Override
        public Sizes sizes(NoSettings s, Shape input) {
          if (input.rank() != 3 && input.rank() != 1) {
            throw new ShapeMismatchException(
                name()
                    + ": expects input [channels, height, width] or [features] but gets "
                    + input);
          }
          return new Sizes(input, 2L * input.dim(0), 2L * input.dim(0));
        }

        @Override
        public BatchNorm build(NoSettings s, Shape input) {
          return new BatchNorm(input.dim(0));
        }
      };

  private static final float EPS = 1e-5f;
  private static final float MOMENTUM = 0.1f;

  private final int features;
  private final Parameter gamma;
  private final Parameter beta;
  private final Buffer runningMean;
  private final Buffer runningVar;
  private Tensor xhat;
  private float[] invStd;
  private Tensor outputBuffer;
  private Tensor gradInput;

  /**
   * Normalises {@code features} features (dense) or channels (convolutional).
   *
   * @throws IllegalArgumentException if {@code features < 1}
   */
  public BatchNorm(int features) {
    if (features < 1) {
      throw new IllegalArgumentException("BatchNorm needs at least 1 feature, got " + features);
    }
    this.features = features;
    this.gamma = new Parameter("weight", Tensor.full(1f, features));
    this.beta = new Parameter("bias", Tensor.zeros(features));
    this.runningMean = new Buffer("running_mean", Tensor.zeros(features));
    this.runningVar = new Buffer("running_var", Tensor.full(1f, features));
  }

  /** Features or channels normalised. */
  public int features() {
    return features;
  }

  @Override
  public Shape outputShape(Shape input) {
    if ((input.rank() != 1 && input.rank() != 3) || input.dims()[0] != features) {
      throw new ShapeMismatchException(
          this + ": expected input [" + features + "] or [" + features + ", h, w], got " + input);
    }
    return input;
  }

  @Override
  public void initialize(dev.nerve.tensor.Rng rng) {
    gamma.value().fillInPlace(1f);
    beta.value().fillInPlace(0f);
    runningMean.value().fillInPlace(0f);
    runningVar.value().fillInPlace(1f);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(gamma, beta);
  }

  @Override
  public List<Buffer> buffers() {
    return List.of(runningMean, runningVar);
  }

  /** No: training normalises with the batch's statistics, inference with the running ones. */
  @Override
  public boolean trainsAsItPredicts() {
    return false;
  }

  /** Batch size, and values per feature per example (1 dense, h·w convolutional). */
  private int[] layout(Tensor x) {
    int[] d = x.shape().dims();
    if ((d.length != 2 && d.length != 4) || d[1] != features) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, " + features + "(, h, w)], got " + x.shape());
    }
    return new int[] {d[0], d.length == 4 ? d[2] * d[3] : 1};
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] l = layout(x);
    int n = l[0];
    int plane = l[1];
    int m = n * plane;
    Tensor y =
        training && outputBuffer != null && outputBuffer.shape().equals(x.shape())
            ? outputBuffer
            : Tensor.zeros(x.shape().dims());
    float[] xd = x.data();
    float[] yd = y.data();
    float[] g = gamma.value().data();
    float[] b = beta.value().data();
    if (training) {
      if (m < 2) {
        throw new IllegalArgumentException(
            this + ": needs more than one value per feature to train, got a batch of " + n);
      }
      outputBuffer = y;
      if (xhat == null || !xhat.shape().equals(x.shape())) {
        xhat = Tensor.zeros(x.shape().dims());
      }
      invStd = new float[features];
    }
    float[] rm = runningMean.value().data();
    float[] rv = runningVar.value().data();
    for (int f = 0; f < features; f++) {
      double mean;
      double var;
      if (training) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          int base = (i * features + f) * plane;
          for (int j = 0; j < plane; j++) {
            s += xd[base + j];
          }
        }
        mean = s / m;
        double sq = 0;
        for (int i = 0; i < n; i++) {
          int base = (i * features + f) * plane;
          for (int j = 0; j < plane; j++) {
            double dv = xd[base + j] - mean;
            sq += dv * dv;
          }
        }
        var = sq / m;
        rm[f] = (float) ((1 - MOMENTUM) * rm[f] + MOMENTUM * mean);
        rv[f] = (float) ((1 - MOMENTUM) * rv[f] + MOMENTUM * sq / (m - 1));
      } else {
        mean = rm[f];
        var = rv[f];
      }
      float inv = (float) (1 / Math.sqrt(var + EPS));
      if (training) {
        invStd[f] = inv;
      }
      float mu = (float) mean;
      for (int i = 0; i < n; i++) {
        int base = (i * features + f) * plane;
        for (int j = 0; j < plane; j++) {
          float h = (xd[base + j] - mu) * inv;
          if (training) {
            xhat.data()[base + j] = h;
          }
          yd[base + j] = g[f] * h + b[f];
        }
      }
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (xhat == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int[] l = layout(dy);
    int n = l[0];
    int plane = l[1];
    int m = n * plane;
    if (gradInput == null || !gradInput.shape().equals(dy.shape())) {
      gradInput = Tensor.zeros(dy.shape().dims());
    }
    float[] d = dy.data();
    float[] h = xhat.data();
    float[] dx = gradInput.data();
    float[] g = gamma.value().data();
    float[] dg = gamma.grad().data();
    float[] db = beta.grad().data();
    for (int f = 0; f < features; f++) {
      double sumDy = 0;
      double sumDyH = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * features + f) * plane;
        for (int j = 0; j < plane; j++) {
          sumDy += d[base + j];
          sumDyH += d[base + j] * h[base + j];
        }
      }
      db[f] += (float) sumDy;
      dg[f] += (float) sumDyH;
      // dx = γ/σ · (dy - mean(dy) - x̂ · mean(dy · x̂))
      float k = g[f] * invStd[f];
      float meanDy = (float) (sumDy / m);
      float meanDyH = (float) (sumDyH / m);
      for (int i = 0; i < n; i++) {
        int base = (i * features + f) * plane;
        for (int j = 0; j < plane; j++) {
          dx[base + j] = k * (d[base + j] - meanDy - h[base + j] * meanDyH);
        }
      }
    }
    return gradInput;
  }

  @Override
  public String toString() {
    return "BatchNorm(features=" + features + ")";
  }
}
