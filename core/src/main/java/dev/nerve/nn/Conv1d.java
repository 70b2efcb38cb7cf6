package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Dots;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A 1-D convolution over channels-first sequences ({@code [batch, channels, length]}), shaped like
 * PyTorch's {@code Conv1d}: weight {@code [out, in / groups, kernel]}, bias {@code [out]}. The
 * sequence is time (audio frames, characters) and the channels are the features at each step (the
 * mel bands of a spectrogram): output length {@code (length + 2 padding − dilation (kernel − 1) −
 * 1) / stride + 1}.
 *
 * <p>With {@code groups > 1} the channels are split into that many groups, each convolved with its
 * own filters only ({@code groups = in = out} is a depthwise convolution).
 *
 * <p>Lowered onto the matrix multiply as {@link Conv2d} is, for the whole batch at once: the
 * windows of every sequence are unfolded side by side into a {@code [in·kernel, batch·outLength]}
 * matrix (one row per channel and tap), so forward is {@code W × cols} per group, backward {@code
 * dW = dY × colsᵀ} and {@code dcols = Wᵀ × dY} folded back onto the input: three large products per
 * step instead of small ones per sequence. (A patch-major layout, {@code [batch·outLength,
 * in·kernel]}, which spares the weight gradient its transposed operand, measured slower here: its
 * unfolding and folding walk the input across channels.)
 */
public final class Conv1d implements Layer {
  /**
   * The settings of a 1-D convolution in the network JSON ({@code "type": "conv1d"}); the input
   * channels come from the shape that reaches the layer.
   *
   * @param outChannels output channels, {@code "out_channels"} (required)
   * @param kernelSize taps, {@code "kernel_size"} (required)
   * @param stride {@code "stride"} (default 1)
   * @param padding zeros on each end, {@code "padding"} (default 0)
   * @param dilation spacing of the taps, {@code "dilation"} (default 1)
   * @param groups {@code "groups"} (default 1; must divide both channel counts)
   * @param bias {@code "bias"} (default true)
   * @param weightInit {@code "weight_init"} (default auto: He before a ReLU-like activation, Glorot
   *     otherwise)
   * @param biasInit {@code "bias_init"} (default zeros)
   */
  public record Settings(
      int outChannels,
      int kernelSize,
      int stride,
      int padding,
      int dilation,
      int groups,
      boolean bias,
      Init weightInit,
      Init biasInit)
      implements LayerSettings {
    /** A convolution with bias, no dilation, one group and the automatic initialiser. */
    public Settings(int outChannels, int kernelSize, int stride, int padding) {
      this(outChannels, kernelSize, stride, padding, 1, 1, true, Init.auto(), Init.zeros());
    }

    @Override
    public LayerType<Settings, Conv1d> type() {
      return TYPE;
    }
  }

  /** The type {@code conv1d}. */
  public static final LayerType<Settings, Conv1d> TYPE =
      new LayerType<>("conv1d", Conv1d.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.size("out_channels"),
              in.size("kernel_size"),
              in.size("stride", 1),
              in.count("padding", 0),
              in.size("dilation", 1),
              in.size("groups", 1),
              in.flag("bias", true),
              in.init("weight_init", "auto"),
              in.init("bias_init", "zeros"));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          out.put("out_channels", s.outChannels());
          out.put("kernel_size", s.kernelSize());
          out.put("stride", s.stride());
          out.put("padding", s.padding());
          out.put("dilation", s.dilation());
          out.put("groups", s.groups());
          out.put("bias", s.bias());
          out.put("weight_init", s.weightInit().name());
          out.put("bias_init", s.bias() ? s.biasInit().name() : "zeros");
        }

        @Override
        public Settings describe(Conv1d c) {
          return new Settings(
              c.out,
              c.kernel,
              c.stride,
              c.padding,
              c.dilation,
              c.groups,
              c.bias != null,
              c.weightInit,
              c.biasInit);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          if (input.rank() != 2) {
            throw new ShapeMismatchException(
                name() + ": expects input [channels, length] but gets " + input);
          }
          checkGroups(name(), input.dim(0), s.outChannels(), s.groups());
          long params =
              plus(
                  times(times(s.outChannels(), input.dim(0) / s.groups()), s.kernelSize()),
                  s.bias() ? s.outChannels() : 0);
          checkValues(params);
          try {
            int l =
                Conv2d.outputSize(
                    input.dim(1), s.kernelSize(), s.stride(), s.padding(), s.dilation());
            return new Sizes(Shape.of(s.outChannels(), l), params, 0);
          } catch (IllegalArgumentException e) {
            throw new ShapeMismatchException(name() + " on input " + input + ": " + e.getMessage());
          }
        }

        @Override
        public Conv1d build(Settings s, Shape input) {
          return new Conv1d(
              input.dim(0),
              s.outChannels(),
              s.kernelSize(),
              s.stride(),
              s.padding(),
              s.dilation(),
              s.groups(),
              s.bias(),
              s.weightInit(),
              s.biasInit());
        }
      };

  private static void checkGroups(String who, int in, int out, int groups) {
    if (groups < 1 || in % groups != 0 || out % groups != 0) {
      throw new ShapeMismatchException(
          who
              + ": groups "
              + groups
              + " must divide both the input channels "
              + in
              + " and the output channels "
              + out);
    }
  }

  private final int in;
  private final int out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final int groups;
  private final Parameter weight;
  private final Parameter bias;
  private final Init weightInit;
  private final Init biasInit;
  private Tensor cols; // the training batch's columns, [in·kernel, n·outLength]
  private Tensor gradProduct; // dY as [out, n·outLength]
  private Tensor outputProduct; // W × cols of the training batch, [out, n·outLength]
  private Tensor gradCols; // Wᵀ × dY, [in·kernel, n·outLength]
  private Tensor outputBuffer;
  private Tensor gradInput;
  private int[] inputDims;

  /** A stride-1, unpadded convolution with bias. */
  public Conv1d(int in, int out, int kernel) {
    this(in, out, kernel, 1, 0, 1, 1, true, Init.auto(), Init.zeros());
  }

  /**
   * A convolution with every setting.
   *
   * @throws IllegalArgumentException if a size is below 1, the padding is negative, or {@code
   *     groups} does not divide both channel counts
   */
  public Conv1d(
      int in,
      int out,
      int kernel,
      int stride,
      int padding,
      int dilation,
      int groups,
      boolean bias,
      Init weightInit,
      Init biasInit) {
    if (in < 1 || out < 1 || kernel < 1 || stride < 1 || dilation < 1 || padding < 0) {
      throw new IllegalArgumentException(
          "Conv1d needs channels, kernel, stride and dilation of at least 1 and padding of 0 or"
              + " more");
    }
    if (groups < 1 || in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(
          "Conv1d: groups " + groups + " must divide both channel counts " + in + " and " + out);
    }
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    this.weight = new Parameter("weight", Tensor.zeros(out, in / groups, kernel));
    this.bias = bias ? new Parameter("bias", Tensor.zeros(out)) : null;
    this.weightInit = weightInit;
    this.biasInit = biasInit;
  }

  /** Input channels. */
  public int in() {
    return in;
  }

  /** Output channels. */
  public int out() {
    return out;
  }

  /** The weight {@code [out, in / groups, kernel]}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias {@code [out]}, or null. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public List<Parameter> parameters() {
    return bias == null ? List.of(weight) : List.of(weight, bias);
  }

  @Override
  public void initialize(Rng rng) {
    int fanIn = in / groups * kernel;
    int fanOut = out / groups * kernel;
    weightInit.fillInPlace(weight.value(), fanIn, fanOut, rng);
    if (bias != null) {
      biasInit.fillInPlace(bias.value(), fanIn, fanOut, rng);
    }
  }

  /** With {@link Init#auto()} weights before a ReLU-like layer, the weight is redrawn with He. */
  @Override
  public void initialize(Rng rng, Layer next) {
    initialize(rng);
    if (next != null && next.reluLike() && weightInit instanceof Init.Auto) {
      Init.heUniform()
          .fillInPlace(weight.value(), in / groups * kernel, out / groups * kernel, rng);
    }
  }

  private int outLength(int length) {
    return Conv2d.outputSize(length, kernel, stride, padding, dilation);
  }

  @Override
  public Shape outputShape(Shape input) {
    int[] d = input.dims();
    if (d.length != 2 || d[0] != in) {
      throw new ShapeMismatchException(
          this + ": expected input [" + in + ", length], got " + input);
    }
    try {
      return Shape.of(out, outLength(d[1]));
    } catch (IllegalArgumentException e) {
      throw new ShapeMismatchException(this + ": input " + input + ": " + e.getMessage());
    }
  }

  /**
   * Unfolds sequence {@code img} of {@code x} ({@code [n, in, length]}) into columns {@code
   * [in·kernel, lo]} of {@code cols} starting at column {@code col0}, rows {@code ld} apart: row
   * {@code c·kernel + t} holds tap {@code t} of channel {@code c} at every output position (zeros
   * where a window overhangs the ends).
   */
  private void unfold(float[] x, int img, int length, int lo, float[] cols, int ld, int col0) {
    int src0 = img * in * length;
    for (int c = 0; c < in; c++) {
      int src = src0 + c * length;
      for (int k = 0; k < kernel; k++) {
        int row = (c * kernel + k) * ld + col0;
        int shift = k * dilation - padding;
        int a = Math.min(lo, first(shift));
        int e = Math.max(a, end(shift, length, lo));
        Arrays.fill(cols, row, row + a, 0f);
        if (stride == 1) {
          System.arraycopy(x, src + shift + a, cols, row + a, e - a);
        } else {
          for (int o = a; o < e; o++) {
            cols[row + o] = x[src + o * stride + shift];
          }
        }
        Arrays.fill(cols, row + e, row + lo, 0f);
      }
    }
  }

  /** The first output position whose tap at {@code shift} falls inside the sequence. */
  private int first(int shift) {
    return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
  }

  /** One past the last output position whose tap at {@code shift} falls inside the sequence. */
  private int end(int shift, int length, int lo) {
    int last = length - 1 - shift; // o · stride ≤ last
    return last < 0 ? 0 : Math.min(lo, last / stride + 1);
  }

  /**
   * Writes columns {@code [in·kernel, lo]} of {@code cols} (rows {@code ld} apart, from column
   * {@code col0}) back onto sequence {@code img} of {@code gx}, adding where windows overlap.
   */
  private void fold(float[] cols, int ld, int col0, int img, int length, int lo, float[] gx) {
    int dst0 = img * in * length;
    Arrays.fill(gx, dst0, dst0 + in * length, 0f);
    for (int c = 0; c < in; c++) {
      int dst = dst0 + c * length;
      for (int k = 0; k < kernel; k++) {
        int row = (c * kernel + k) * ld + col0;
        int shift = k * dilation - padding;
        int e = end(shift, length, lo);
        if (stride == 1) {
          for (int o = first(shift), at = dst + o + shift; o < e; o++, at++) {
            gx[at] += cols[row + o];
          }
        } else {
          for (int o = first(shift); o < e; o++) {
            gx[dst + o * stride + shift] += cols[row + o];
          }
        }
      }
    }
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] d = x.shape().dims();
    if (d.length != 3) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, " + in + ", length], got " + x.shape());
    }
    int lo = outputShape(Shape.of(d[1], d[2])).dim(1);
    int n = d[0];
    int length = d[2];
    int k = in * kernel;
    int og = out / groups;
    int kg = in / groups * kernel;
    Tensor y =
        training ? (outputBuffer = reuse(outputBuffer, n, out, lo)) : Tensor.zeros(n, out, lo);
    float[] xd = x.data();
    float[] wd = weight.value().data();
    float[] yd = y.data();
    float[] b = bias == null ? null : bias.value().data();
    if ((long) n * lo * Math.max(k, out) > Integer.MAX_VALUE - 8) {
      throw new ShapeMismatchException(
          this + ": a batch of " + n + " sequences of " + lo + " outputs is too large at once");
    }
    int width = n * lo;
    int grain = Math.max(1, (1 << 14) / Math.max(1, k * lo));
    // The whole batch at once: every sequence's windows side by side ([k, n·lo], kept for the
    // weight gradient while training), one product per group into [out, n·lo], then each
    // sequence's rows moved to the output's layout with the bias. One large product instead of a
    // small one per sequence keeps the multiply's tiles full (a sequence has some 100 positions).
    float[] cd = training ? (cols = reuse(cols, k, width)).data() : new float[k * width];
    Parallel.forRanges(
        n,
        grain,
        (from, to) -> {
          for (int img = from; img < to; img++) {
            unfold(xd, img, length, lo, cd, width, img * lo);
          }
        });
    float[] product =
        training
            ? (outputProduct = reuse(outputProduct, out, width)).data()
            : new float[out * width];
    for (int g = 0; g < groups; g++) {
      Gemm.gemm(
          false,
          false,
          og,
          width,
          kg,
          wd,
          g * og * kg,
          kg,
          cd,
          g * kg * width,
          width,
          product,
          g * og * width,
          width,
          false);
    }
    Parallel.forRanges(
        n,
        grain,
        (from, to) -> {
          for (int img = from; img < to; img++) {
            for (int ch = 0; ch < out; ch++) {
              int src = ch * width + img * lo;
              int dst = (img * out + ch) * lo;
              float add = b == null ? 0f : b[ch];
              for (int i = 0; i < lo; i++) {
                yd[dst + i] = product[src + i] + add;
              }
            }
          }
        });
    if (training) {
      inputDims = d.clone();
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    return backward(dy, true);
  }

  @Override
  public Tensor backward(Tensor dy, boolean inputGradient) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int n = inputDims[0];
    int length = inputDims[2];
    int lo = outLength(length);
    if (dy.rank() != 3 || dy.size() != n * out * lo) {
      throw new ShapeMismatchException(
          this
              + ": expected output gradient ["
              + n
              + ", "
              + out
              + ", "
              + lo
              + "], got "
              + dy.shape());
    }
    int og = out / groups;
    int kg = in / groups * kernel;
    int width = n * lo;
    // dY as [out, n·lo], to meet the batch's columns in one product per group for dW.
    gradProduct = reuse(gradProduct, out, width);
    float[] g = gradProduct.data();
    float[] dyd = dy.data();
    float[] db = null;
    if (bias != null) {
      boolean fresh = bias.takeZeroGrad();
      db = bias.grad().data();
      if (fresh) {
        Arrays.fill(db, 0f);
      }
    }
    for (int img = 0; img < n; img++) {
      for (int ch = 0; ch < out; ch++) {
        int src = (img * out + ch) * lo;
        int dst = ch * width + img * lo;
        float s = 0;
        for (int i = 0; i < lo; i++) {
          float v = dyd[src + i];
          g[dst + i] = v;
          s += v;
        }
        if (db != null) {
          db[ch] += s;
        }
      }
    }
    boolean add = !weight.takeZeroGrad();
    float[] gw = weight.grad().data();
    float[] cd = cols.data();
    // dW = dY·colsᵀ per group: dot products of rows n·lo long, read where they lie (see
    // Conv2d's weight gradient).
    for (int gr = 0; gr < groups; gr++) {
      Dots.gemmNT(
          og,
          kg,
          width,
          g,
          gr * og * width,
          width,
          cd,
          gr * kg * width,
          width,
          gw,
          gr * og * kg,
          kg,
          add);
    }
    if (!inputGradient) {
      return null;
    }
    gradInput = reuse(gradInput, n, in, length);
    float[] wd = weight.value().data();
    float[] gi = gradInput.data();
    int k = in * kernel;
    // The error at every window of the batch at once, Wᵀ × dY per group into [k, n·lo], then
    // folded back onto each sequence (sequences are independent: any split, the same bits).
    float[] gc = (gradCols = reuse(gradCols, k, width)).data();
    for (int gr = 0; gr < groups; gr++) {
      Gemm.gemm(
          true,
          false,
          kg,
          width,
          og,
          wd,
          gr * og * kg,
          kg,
          g,
          gr * og * width,
          width,
          gc,
          gr * kg * width,
          width,
          false);
    }
    Parallel.forRanges(
        n,
        Math.max(1, (1 << 14) / Math.max(1, k * lo)),
        (from, to) -> {
          for (int img = from; img < to; img++) {
            fold(gc, width, img * lo, img, length, lo, gi);
          }
        });
    return gradInput;
  }

  private static Tensor reuse(Tensor t, int rows, int cols) {
    return t != null && t.rank() == 2 && t.rows() == rows && t.cols() == cols
        ? t
        : Tensor.zeros(rows, cols);
  }

  private static Tensor reuse(Tensor t, int a, int b, int c) {
    return t != null && t.shape().equals(Shape.of(a, b, c)) ? t : Tensor.zeros(a, b, c);
  }

  /** Like {@code Conv1d(in=40, out=64, kernel=5, padding=2)}. */
  @Override
  public String toString() {
    return "Conv1d(in="
        + in
        + ", out="
        + out
        + ", kernel="
        + kernel
        + (stride != 1 ? ", stride=" + stride : "")
        + (padding != 0 ? ", padding=" + padding : "")
        + (dilation != 1 ? ", dilation=" + dilation : "")
        + (groups != 1 ? ", groups=" + groups : "")
        + (bias == null ? ", bias=false" : "")
        + ")";
  }
}
