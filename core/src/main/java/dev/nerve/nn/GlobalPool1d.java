package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.Map;

/**
 * What the global 1-D pools share: one value per channel over the whole sequence, so that sequences
 * of any length give one vector. Two layouts, as Keras's {@code data_format}:
 *
 * <ul>
 *   <li>channels first (default), {@code [channels, length]} → {@code [channels]}: after a {@link
 *       Conv1d} (PyTorch's {@code AdaptiveAvgPool1d(1)} and a flatten);
 *   <li>channels last ({@code "channels_last": true}), {@code [time, features]} → {@code
 *       [features]}: after an embedding, a recurrent layer or a {@link TransformerEncoder}. Here
 *       sequence lengths are honoured: only an example's real steps are pooled, so padding changes
 *       nothing.
 * </ul>
 */
public abstract sealed class GlobalPool1d implements Layer
    permits GlobalAvgPool1d, GlobalMaxPool1d {
  /**
   * The settings of a global 1-D pool in the network JSON.
   *
   * @param type which pooling
   * @param channelsLast {@code "channels_last"}: pool over axis 0 of {@code [time, features]}
   *     instead of the last axis of {@code [channels, length]} (default false)
   */
  public record Settings(LayerType<Settings, ?> type, boolean channelsLast)
      implements LayerSettings {}

  /** Makes a pool of one kind. */
  interface Factory<L extends GlobalPool1d> {
    L make(boolean channelsLast);
  }

  /** The layer type of one kind of global pool, named {@code name} in JSON. */
  static <L extends GlobalPool1d> LayerType<Settings, L> type(
      String name, Class<L> layerClass, Factory<L> make) {
    return new LayerType<>(name, layerClass, Settings.class) {
      @Override
      public Settings read(SettingsReader in) {
        return new Settings(this, in.flag("channels_last", false));
      }

      @Override
      public void write(Settings s, Map<String, Object> out) {
        out.put("channels_last", s.channelsLast());
      }

      @Override
      public Settings describe(L layer) {
        return new Settings(this, layer.channelsLast);
      }

      @Override
      public Sizes sizes(Settings s, Shape input) {
        return Sizes.of(make.make(s.channelsLast()).outputShape(input));
      }

      @Override
      public L build(Settings s, Shape input) {
        return make.make(s.channelsLast());
      }
    };
  }

  private final String name;
  final boolean channelsLast;
  private int[] inputDims;
  private int[] lengths;
  private int[] arg;
  private Tensor gradInput;

  GlobalPool1d(String name, boolean channelsLast) {
    this.name = name;
    this.channelsLast = channelsLast;
  }

  /** Whether the input is {@code [time, features]} rather than {@code [channels, length]}. */
  public boolean channelsLast() {
    return channelsLast;
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 2) {
      throw new ShapeMismatchException(
          this
              + ": expected input "
              + (channelsLast ? "[time, features]" : "[channels, length]")
              + ", got "
              + input);
    }
    return Shape.of(channelsLast ? input.dim(1) : input.dim(0));
  }

  /**
   * Pools {@code count} values {@code step} apart from {@code x[at]}; {@code arg}, when not null,
   * receives the index (0-based along the pooled axis) backward needs.
   */
  abstract float pool(float[] x, int at, int count, int step, int[] arg, int argAt);

  /** Adds the gradient {@code g} of one pooled value back onto its inputs. */
  abstract void unpool(float g, float[] dx, int at, int count, int step, int[] arg, int argAt);

  abstract boolean recordsIndex();

  @Override
  public Tensor forward(Tensor x, boolean training) {
    return forward(x, null, training);
  }

  @Override
  public Tensor forward(Tensor x, int[] lengths, boolean training) {
    int[] d = x.shape().dims();
    if (d.length != 3) {
      throw new ShapeMismatchException(
          this
              + ": expected input "
              + (channelsLast ? "[batch, time, features]" : "[batch, channels, length]")
              + ", got "
              + x.shape());
    }
    int n = d[0];
    int[] lens = channelsLast ? lengths : null;
    if (lens != null && lens.length != n) {
      throw new ShapeMismatchException(
          this + ": " + lens.length + " sequence lengths for a batch of " + n);
    }
    int channels = channelsLast ? d[2] : d[1];
    Tensor y = Tensor.zeros(n, channels);
    int[] a = training && recordsIndex() ? new int[n * channels] : null;
    float[] xd = x.data();
    float[] yd = y.data();
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < channels; c++) {
        int at;
        int count;
        int step;
        if (channelsLast) {
          at = b * d[1] * d[2] + c;
          count = lens == null ? d[1] : Math.max(1, Math.min(d[1], lens[b]));
          step = d[2];
        } else {
          at = (b * d[1] + c) * d[2];
          count = d[2];
          step = 1;
        }
        yd[b * channels + c] = pool(xd, at, count, step, a, b * channels + c);
      }
    }
    if (training) {
      inputDims = d.clone();
      this.lengths = lens == null ? null : lens.clone();
      arg = a;
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int[] d = inputDims;
    int n = d[0];
    int channels = channelsLast ? d[2] : d[1];
    if (dy.size() != n * channels) {
      throw new ShapeMismatchException(
          this + ": expected output gradient [" + n + ", " + channels + "], got " + dy.shape());
    }
    if (gradInput == null || !gradInput.shape().equals(Shape.of(d))) {
      gradInput = Tensor.zeros(d);
    } else {
      gradInput.fillInPlace(0f);
    }
    float[] g = gradInput.data();
    float[] dd = dy.data();
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < channels; c++) {
        if (channelsLast) {
          int count = lengths == null ? d[1] : Math.max(1, Math.min(d[1], lengths[b]));
          unpool(dd[b * channels + c], g, b * d[1] * d[2] + c, count, d[2], arg, b * channels + c);
        } else {
          unpool(dd[b * channels + c], g, (b * d[1] + c) * d[2], d[2], 1, arg, b * channels + c);
        }
      }
    }
    return gradInput;
  }

  @Override
  public String toString() {
    return name + (channelsLast ? "(channels_last=true)" : "()");
  }
}
