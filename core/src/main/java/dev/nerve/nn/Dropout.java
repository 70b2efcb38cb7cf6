package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;

/**
 * Inverted dropout: while training, each value is zeroed with probability {@code rate} and the
 * others are scaled by {@code 1 / (1 - rate)}, so inference needs no rescaling and is the identity.
 * Whether it drops is the {@code training} flag of each forward call: there is no global switch.
 * The mask is drawn from a generator seeded when the network is initialised.
 */
public final class Dropout implements Layer {
  private final float rate;
  private Rng rng = new Rng(0x5eedL);
  private float[] mask;
  private Tensor outputBuffer;
  private Tensor gradInput;
  private boolean dropped;

  /**
   * Drops values with probability {@code rate}.
   *
   * @throws IllegalArgumentException if {@code rate} is outside [0, 1)
   */
  public Dropout(float rate) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
  }

  /** The state of this layer's mask generator, for a checkpoint that resumes to the same bits. */
  public long rngState() {
    return rng.state();
  }

  /** Continues the mask generator from a state {@link #rngState()} returned. */
  public void restoreRngState(long state) {
    rng = Rng.fromState(state);
  }

  /** The probability of dropping a value. */
  public float rate() {
    return rate;
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public void initialize(Rng rng) {
    this.rng = new Rng(rng.nextLong());
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    dropped = training && rate > 0f;
    if (!dropped) {
      return x;
    }
    int n = x.size();
    if (outputBuffer == null || !outputBuffer.shape().equals(x.shape())) {
      outputBuffer = Tensor.zeros(x.shape().dims());
      mask = new float[n];
    }
    float keep = 1f / (1f - rate);
    float[] xd = x.data();
    float[] y = outputBuffer.data();
    for (int i = 0; i < n; i++) {
      mask[i] = rng.nextFloat() < rate ? 0f : keep;
      y[i] = xd[i] * mask[i];
    }
    return outputBuffer;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (!dropped) {
      return dy;
    }
    if (gradInput == null || !gradInput.shape().equals(dy.shape())) {
      gradInput = Tensor.zeros(dy.shape().dims());
    }
    float[] g = gradInput.data();
    float[] d = dy.data();
    for (int i = 0; i < g.length; i++) {
      g[i] = d[i] * mask[i];
    }
    return gradInput;
  }

  @Override
  public String toString() {
    return "Dropout(rate=" + rate + ")";
  }
}
