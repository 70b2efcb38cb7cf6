package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.Map;

/**
 * Inverted dropout: while training, each value is zeroed with probability {@code rate} and the
 * others are scaled by {@code 1 / (1 - rate)}, so inference needs no rescaling and is the identity.
 * Whether it drops is the {@code training} flag of each forward call: there is no global switch.
 * The mask is drawn from a generator seeded when the network is initialised, whose state is the
 * layer's {@link #randomState()}.
 */
public final class Dropout implements Layer {
  /**
   * The settings of dropout in the network JSON ({@code "type": "dropout"}).
   *
   * @param rate the probability of dropping a value, {@code "rate"} (default 0.5), in [0, 1)
   */
  public record Settings(float rate) implements LayerSettings {
    @Override
    public LayerType<Settings, Dropout> type() {
      return TYPE;
    }
  }

  /** The type {@code dropout}. */
  public static final LayerType<Settings, Dropout> TYPE =
      new LayerType<>("dropout", Dropout.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(in.rate("rate", 0.5f));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("rate", s.rate());
        }

        @Override
        public Settings describe(Dropout d) {
          return new Settings(d.rate);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          return Sizes.of(input);
        }

        @Override
        public Dropout build(Settings s, Shape input) {
          return new Dropout(s.rate());
        }
      };

  private final float rate;
  private Rng rng = new Rng(0x5eedL);
  private float[] mask;
  private Tensor outputBuffer;
  private Tensor gradInput;
  private boolean dropped;
  private BatchRows slice;

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
  @Override
  public long[] randomState() {
    return new long[] {rng.state()};
  }

  /** Continues the mask generator from a state {@link #randomState()} returned. */
  @Override
  public void restoreRandomState(long[] state) {
    if (state.length != 1) {
      throw new IllegalArgumentException(
          this + " has one random generator; the saved state has " + state.length);
    }
    rng = Rng.fromState(state[0]);
  }

  /** No: training drops values, inference does not. */
  @Override
  public boolean trainsAsItPredicts() {
    return false;
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
    if (!training) {
      return x; // inference keeps no state: a training pass's mask stays for its backward
    }
    dropped = rate > 0f;
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
    BatchRows rows = slice;
    slice = null;
    if (rows == null) {
      for (int i = 0; i < n; i++) {
        mask[i] = rng.nextFloat() < rate ? 0f : keep;
        y[i] = xd[i] * mask[i];
      }
      return outputBuffer;
    }
    // One shard of a batch: each row draws from where that row starts in the whole batch.
    BatchRows.check(rows, x, this);
    int per = n / rows.rows();
    long start = rng.state();
    for (int r = 0; r < rows.rows(); r++) {
      Rng g = Rng.fromState(rows.rowState(start, r, per));
      for (int i = r * per; i < (r + 1) * per; i++) {
        mask[i] = g.nextFloat() < rate ? 0f : keep;
        y[i] = xd[i] * mask[i];
      }
    }
    rng = Rng.fromState(rows.endState(start, per));
    return outputBuffer;
  }

  @Override
  public void drawAsRowsOf(BatchRows rows) {
    this.slice = rows;
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
