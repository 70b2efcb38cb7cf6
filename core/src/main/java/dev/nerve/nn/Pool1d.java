package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import java.util.Map;

/**
 * What the 1-D pooling layers share: a window along the last axis of channels-first sequences
 * ({@code [batch, channels, length]}, as after a {@link Conv1d}), its stride and padding, and the
 * output length {@code (length + 2 padding − kernel) / stride + 1}. {@link MaxPool1d} and {@link
 * AvgPool1d} differ only in what they compute over each window, as PyTorch's {@code MaxPool1d} and
 * {@code AvgPool1d} (whose padding counts as zeros in the average).
 */
public abstract sealed class Pool1d implements Layer permits MaxPool1d, AvgPool1d {
  /**
   * The settings of a 1-D pooling layer in the network JSON ({@code "type": "max_pool1d"} or {@code
   * "avg_pool1d"}).
   *
   * @param type which pooling
   * @param kernelSize window length, {@code "kernel_size"} (required)
   * @param stride {@code "stride"} (default: the kernel size)
   * @param padding {@code "padding"} (default 0, at most half the kernel)
   */
  public record Settings(LayerType<Settings, ?> type, int kernelSize, int stride, int padding)
      implements LayerSettings {}

  /** Makes a pooling layer of one kind. */
  interface Factory<L extends Pool1d> {
    L make(int kernel, int stride, int padding);
  }

  /** The layer type of one kind of 1-D pooling, named {@code name} in JSON. */
  static <L extends Pool1d> LayerType<Settings, L> type(
      String name, Class<L> layerClass, Factory<L> make) {
    return new LayerType<>(name, layerClass, Settings.class) {
      @Override
      public Settings read(SettingsReader in) {
        int k = in.size("kernel_size");
        return new Settings(this, k, in.size("stride", k), in.count("padding", 0));
      }

      @Override
      public void write(Settings s, Map<String, Object> out) {
        out.put("kernel_size", s.kernelSize());
        out.put("stride", s.stride());
        out.put("padding", s.padding());
      }

      @Override
      public Settings describe(L layer) {
        return new Settings(this, layer.kernel, layer.stride, layer.padding);
      }

      @Override
      public Sizes sizes(Settings s, Shape input) {
        return Sizes.of(make.make(s.kernelSize(), s.stride(), s.padding()).outputShape(input));
      }

      @Override
      public L build(Settings s, Shape input) {
        return make.make(s.kernelSize(), s.stride(), s.padding());
      }
    };
  }

  /** The window arithmetic and its checks, shared with the 2-D pools. */
  final Pooling p;

  final int kernel;
  final int stride;
  final int padding;
  private int[] inputDims;
  private Tensor outputBuffer;
  private Tensor gradInput;

  Pool1d(String name, int kernel, int stride, int padding) {
    this.p = new Pooling(name, kernel, stride, padding);
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  /** Window length. */
  public int kernel() {
    return kernel;
  }

  /** Step between windows. */
  public int stride() {
    return stride;
  }

  /** Cells added on each end. */
  public int padding() {
    return padding;
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 2) {
      throw new ShapeMismatchException(this + ": expected input [channels, length], got " + input);
    }
    if (input.dim(1) + 2L * padding < kernel) {
      throw new ShapeMismatchException(
          this + ": a window of " + kernel + " does not fit input " + input);
    }
    return Shape.of(input.dim(0), p.out(input.dim(1)));
  }

  /**
   * Pools row {@code x[xo .. xo + length)} into {@code y[yo .. yo + lo)}; {@code arg} (training
   * only, else null) may record what backward needs per output.
   */
  abstract void pool(float[] x, int xo, int length, float[] y, int yo, int lo, int[] arg);

  /** Adds the gradient of row {@code dy[yo .. yo + lo)} into {@code dx[xo .. xo + length)}. */
  abstract void unpool(float[] dy, int yo, int lo, float[] dx, int xo, int length, int[] arg);

  /** Whether {@link #pool} records an index per output for backward. */
  abstract boolean recordsIndex();

  private int[] arg;

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] d = x.shape().dims();
    if (d.length != 3) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, channels, length], got " + x.shape());
    }
    int lo = outputShape(Shape.of(d[1], d[2])).dim(1);
    int rows = d[0] * d[1];
    Tensor y =
        training && outputBuffer != null && outputBuffer.shape().equals(Shape.of(d[0], d[1], lo))
            ? outputBuffer
            : Tensor.zeros(d[0], d[1], lo);
    int[] a = training && recordsIndex() ? reuse(arg, rows * lo) : null;
    float[] xd = x.data();
    float[] yd = y.data();
    int length = d[2];
    // Rows (one channel of one example) are independent: any split gives the same bits.
    dev.nerve.tensor.kernel.Parallel.forRanges(
        rows,
        Math.max(1, (1 << 14) / Math.max(1, length)),
        (from, to) -> {
          for (int r = from; r < to; r++) {
            pool(xd, r * length, length, yd, r * lo, lo, a);
          }
        });
    if (training) {
      inputDims = d.clone();
      outputBuffer = y;
      arg = a;
    }
    return y;
  }

  private static int[] reuse(int[] a, int n) {
    return a != null && a.length == n ? a : new int[n];
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int rows = inputDims[0] * inputDims[1];
    int length = inputDims[2];
    int lo = p.out(length);
    if (dy.size() != rows * lo) {
      throw new ShapeMismatchException(
          this
              + ": expected output gradient ["
              + inputDims[0]
              + ", "
              + inputDims[1]
              + ", "
              + lo
              + "], got "
              + dy.shape());
    }
    if (gradInput == null || !gradInput.shape().equals(Shape.of(inputDims))) {
      gradInput = Tensor.zeros(inputDims);
    } else {
      gradInput.fillInPlace(0f);
    }
    float[] g = gradInput.data();
    float[] dd = dy.data();
    int[] at = arg;
    dev.nerve.tensor.kernel.Parallel.forRanges(
        rows,
        Math.max(1, (1 << 14) / Math.max(1, length)),
        (from, to) -> {
          for (int r = from; r < to; r++) {
            unpool(dd, r * lo, lo, g, r * length, length, at);
          }
        });
    return gradInput;
  }

  @Override
  public String toString() {
    return p.toString();
  }
}
