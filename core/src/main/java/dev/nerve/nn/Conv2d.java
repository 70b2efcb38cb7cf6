package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Convs;
import dev.nerve.tensor.kernel.Dots;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import java.util.List;
import java.util.Map;

/**
 * A 2-D convolution over channels-first images ({@code [batch, channels, height, width]}), shaped
 * like PyTorch's {@code Conv2d}: weight {@code [out, in, kH, kW]}, bias {@code [out]}.
 *
 * <p>Output size per axis: {@code (size + 2 padding - dilation (kernel - 1) - 1) / stride + 1}.
 * With stride 1, no dilation and padding below the kernel, and the Vector API present, the layer
 * runs {@link Convs}' direct kernels: forward and input gradient image by image without columns,
 * the weight gradient unfolding a few images at a time into a buffer that stays in cache. Otherwise
 * the convolution is lowered onto the core's matrix multiply: the input patches of the batch are
 * unfolded into a {@code [in·kH·kW, batch·outH·outW]} matrix (im2col), so that forward is {@code W
 * × cols} image by image, and backward is {@code dW = dY × colsᵀ} ({@link Dots}) and {@code dcols =
 * Wᵀ × dY} folded back onto the input (col2im). Both paths perform the same operations in the same
 * order and give the same bits.
 *
 * <pre>{@code
 * new Sequential(Shape.of(1, 28, 28), new Conv2d(1, 6, 5, 1, 2), new ReLU(), ...)
 * }</pre>
 */
public final class Conv2d implements Layer {
  /**
   * The settings of a convolution in the network JSON ({@code "type": "conv2d"}); the input
   * channels come from the shape that reaches the layer.
   *
   * @param outChannels output channels, {@code "out_channels"} (required)
   * @param kernelSize kernel height and width, {@code "kernel_size"} (required)
   * @param stride {@code "stride"} (default 1)
   * @param padding {@code "padding"} (default 0)
   * @param dilation {@code "dilation"} (default 1)
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
      boolean bias,
      Init weightInit,
      Init biasInit)
      implements LayerSettings {
    /** A convolution with bias, dilation 1 and the automatic initialiser. */
    public Settings(int outChannels, int kernelSize, int stride, int padding) {
      this(outChannels, kernelSize, stride, padding, 1, true, Init.auto(), Init.zeros());
    }

    @Override
    public LayerType<Settings, Conv2d> type() {
      return TYPE;
    }
  }

  /** The type {@code conv2d}. */
  public static final LayerType<Settings, Conv2d> TYPE =
      new LayerType<>("conv2d", Conv2d.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              in.size("out_channels"),
              in.size("kernel_size"),
              in.size("stride", 1),
              in.count("padding", 0),
              in.size("dilation", 1),
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
          out.put("bias", s.bias());
          out.put("weight_init", s.weightInit().name());
          out.put("bias_init", s.bias() ? s.biasInit().name() : "zeros");
        }

        @Override
        public Settings describe(Conv2d c) {
          return new Settings(
              c.out,
              c.kernel,
              c.stride,
              c.padding,
              c.dilation,
              c.hasBias(),
              c.weightInit,
              c.biasInit);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          if (input.rank() != 3) {
            throw new ShapeMismatchException(
                name() + ": expects input [channels, height, width] but gets " + input);
          }
          long k = s.kernelSize();
          long params =
              times(times(s.outChannels(), input.dim(0)), times(k, k))
                  + (s.bias() ? s.outChannels() : 0);
          checkValues(params);
          try {
            int h = outputSize(input.dim(1), s.kernelSize(), s.stride(), s.padding(), s.dilation());
            int w = outputSize(input.dim(2), s.kernelSize(), s.stride(), s.padding(), s.dilation());
            return new Sizes(Shape.of(s.outChannels(), h, w), params, 0);
          } catch (IllegalArgumentException e) {
            throw new ShapeMismatchException(name() + " on input " + input + ": " + e.getMessage());
          }
        }

        @Override
        public Conv2d build(Settings s, Shape input) {
          return new Conv2d(
              input.dim(0),
              s.outChannels(),
              s.kernelSize(),
              s.stride(),
              s.padding(),
              s.dilation(),
              s.bias(),
              s.weightInit(),
              s.biasInit());
        }
      };

  private final int in;
  private final int out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final Parameter weight;
  private final Parameter bias;
  private final Init weightInit;
  private final Init biasInit;
  // Forward state kept for backward, and buffers reused while shapes stay the same.
  private Tensor cols; // the training batch's columns, [k, n·oh·ow], for the weight gradient
  private int colsHeight; // the input height and width cols was last unfolded from
  private int colsWidth;
  private Tensor input; // the training batch's input, when the direct path needs no columns
  private float[] planeSums = new float[0]; // backward's per-image bias sums
  // Inference unfolds one image at a time into a buffer per thread and layer, which keeps its
  // padding's zeros from one image to the next (the shared scratch of backward would not).
  private final ThreadLocal<InferenceColumns> inferCols =
      ThreadLocal.withInitial(InferenceColumns::new);
  private Tensor gradProduct;
  private Tensor outputBuffer;
  private Tensor gradInput;
  private int[] inputDims;

  /** A stride-1, unpadded convolution with bias. */
  public Conv2d(int in, int out, int kernel) {
    this(in, out, kernel, 1, 0);
  }

  /** A convolution with bias and no dilation. */
  public Conv2d(int in, int out, int kernel, int stride, int padding) {
    this(in, out, kernel, stride, padding, 1, true, Init.auto(), Init.zeros());
  }

  /**
   * A convolution with every setting.
   *
   * @param weightInit {@link Init#auto()} chooses He for a convolution followed by a ReLU-like
   *     activation and Glorot otherwise, when the {@link Sequential} is initialised
   * @throws IllegalArgumentException if a size is below 1 or the padding is negative
   */
  public Conv2d(
      int in,
      int out,
      int kernel,
      int stride,
      int padding,
      int dilation,
      boolean bias,
      Init weightInit,
      Init biasInit) {
    if (in < 1 || out < 1 || kernel < 1 || stride < 1 || dilation < 1 || padding < 0) {
      throw new IllegalArgumentException(
          "Conv2d needs channels, kernel, stride and dilation of at least 1 and padding of 0 or"
              + " more");
    }
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.weight = new Parameter("weight", Tensor.zeros(out, in, kernel, kernel));
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

  /** Kernel height and width. */
  public int kernel() {
    return kernel;
  }

  /** Step between patches. */
  public int stride() {
    return stride;
  }

  /** Zeros added on each side. */
  public int padding() {
    return padding;
  }

  /** Spacing of the kernel's taps. */
  public int dilation() {
    return dilation;
  }

  /** Whether the layer has a bias. */
  public boolean hasBias() {
    return bias != null;
  }

  /** The weight {@code [out, in, kernel, kernel]}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias {@code [out]}, or null. */
  public Parameter bias() {
    return bias;
  }

  /** The weight initialiser. */
  public Init weightInit() {
    return weightInit;
  }

  /** The bias initialiser. */
  public Init biasInit() {
    return biasInit;
  }

  /**
   * The output length along one axis of a convolution: {@code (size + 2 padding - dilation (kernel
   * - 1) - 1) / stride + 1}, computed without overflow.
   *
   * @throws IllegalArgumentException if the dilated kernel does not fit the padded input, or a
   *     setting is out of range
   */
  public static int outputSize(int size, int kernel, int stride, int padding, int dilation) {
    if (size < 0 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
      throw new IllegalArgumentException(
          "size, kernel, stride, padding and dilation out of range: "
              + List.of(size, kernel, stride, padding, dilation));
    }
    long reach = (long) dilation * (kernel - 1) + 1;
    long padded = size + 2L * padding;
    if (padded < reach) {
      throw new IllegalArgumentException(
          "a " + reach + "×" + reach + " kernel does not fit " + size + " with padding " + padding);
    }
    long out = (padded - reach) / stride + 1;
    if (out > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("output size " + out + " exceeds 2^31-1");
    }
    return (int) out;
  }

  private int outSize(int size) {
    return outputSize(size, kernel, stride, padding, dilation);
  }

  @Override
  public Shape outputShape(Shape input) {
    int[] d = input.dims();
    if (d.length != 3 || d[0] != in) {
      throw new ShapeMismatchException(
          this + ": expected input [" + in + ", height, width], got " + input);
    }
    long reach = (long) dilation * (kernel - 1) + 1;
    if (d[1] + 2L * padding < reach || d[2] + 2L * padding < reach) {
      throw new ShapeMismatchException(
          this
              + ": a "
              + reach
              + "×"
              + reach
              + " kernel does not fit input "
              + input
              + " with padding "
              + padding);
    }
    try {
      return Shape.of(out, outSize(d[1]), outSize(d[2]));
    } catch (IllegalArgumentException e) {
      throw new ShapeMismatchException(this + ": input " + input + " gives " + e.getMessage());
    }
  }

  @Override
  public void initialize(Rng rng) {
    int fanIn = in * kernel * kernel;
    int fanOut = out * kernel * kernel;
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
          .fillInPlace(weight.value(), in * kernel * kernel, out * kernel * kernel, rng);
    }
  }

  @Override
  public List<Parameter> parameters() {
    return bias == null ? List.of(weight) : List.of(weight, bias);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] d = x.shape().dims();
    if (d.length != 4) {
      throw new ShapeMismatchException(
          this + ": expected input [batch, " + in + ", height, width], got " + x.shape());
    }
    Shape o = outputShape(Shape.of(d[1], d[2], d[3]));
    int n = d[0];
    int oh = o.dims()[1];
    int ow = o.dims()[2];
    int k = in * kernel * kernel;
    int p = oh * ow;
    Tensor y =
        training
            ? (outputBuffer = reuse4(outputBuffer, n, out, oh, ow))
            : Tensor.zeros(n, out, oh, ow);
    float[] xd = x.data();
    float[] wd = weight.value().data();
    float[] yd = y.data();
    float[] b = bias == null ? null : bias.value().data();
    // Stride 1 without dilation is computed directly, image by image (the same bits, see Convs),
    // and the weight gradient unfolds columns a few images at a time in backward: no columns here.
    boolean direct = Convs.direct(stride, dilation, kernel, padding);
    if (direct) {
      Parallel.forRanges(
          n,
          imageGrain(k * p),
          (from, to) ->
              Convs.forward(xd, from, to, in, d[2], d[3], wd, b, out, kernel, padding, yd));
      if (training) {
        input = x;
        cols = null; // a lowered pass's columns, not this batch's
        inputDims = d.clone();
      }
      return y;
    }
    // Otherwise image by image, the images split across threads: each image's columns are
    // unfolded and multiplied at once, while they are in cache, and the product lands in the
    // output's own layout ([out, oh·ow] per image). Training keeps the whole batch's columns side
    // by side ([k, n·oh·ow]) for the weight gradient; inference needs only one image's at a time.
    // Images are independent: any split gives the same bits.
    int width = n * p;
    boolean trainCleanBefore = cols != null && cols.rows() == k && cols.cols() == width;
    Tensor fresh = training ? reuse(cols, k, width) : null;
    // The batch's columns keep zeros where padding falls if the last unfolding into them had this
    // geometry (a new buffer is all zeros).
    boolean trainClean =
        training && (fresh != cols || trainCleanBefore && d[2] == colsHeight && d[3] == colsWidth);
    if (training) {
      cols = fresh;
      colsHeight = d[2];
      colsWidth = d[3];
      input = null;
    }
    float[] batchCols = training ? cols.data() : null;
    Parallel.forRanges(
        n,
        imageGrain(k * p),
        (from, to) -> {
          float[] cd = batchCols;
          if (training) {
            Im2col.unfold(
                xd,
                from,
                to,
                in,
                d[2],
                d[3],
                kernel,
                stride,
                padding,
                dilation,
                oh,
                ow,
                cd,
                width,
                0,
                trainClean);
          }
          InferenceColumns ic = training ? null : inferCols.get();
          boolean clean = !training && ic.prepare(k * p, d[2], d[3]);
          if (!training) {
            cd = ic.cols;
          }
          for (int img = from; img < to; img++) {
            if (!training) {
              Im2col.unfold(
                  xd, img, img + 1, in, d[2], d[3], kernel, stride, padding, dilation, oh, ow, cd,
                  p, img, clean);
              clean = true; // this image's unfolding left the padding's zeros in place
            }
            int yo = img * out * p;
            if (training) {
              Gemm.gemm(false, false, out, p, k, wd, 0, k, cd, img * p, width, yd, yo, p, false);
            } else {
              Gemm.gemm(false, false, out, p, k, wd, 0, k, cd, 0, p, yd, yo, p, false);
            }
            if (b != null) {
              for (int ch = 0; ch < out; ch++) {
                float add = b[ch];
                int row = yo + ch * p;
                for (int i = 0; i < p; i++) {
                  yd[row + i] += add;
                }
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
    int h = inputDims[2];
    int w = inputDims[3];
    int oh = outSize(h);
    int ow = outSize(w);
    int p = oh * ow;
    int k = in * kernel * kernel;
    if (dy.size() != n * out * p) {
      throw new ShapeMismatchException(
          this
              + ": expected output gradient ["
              + n
              + ", "
              + out
              + ", "
              + oh
              + ", "
              + ow
              + "], got "
              + dy.shape());
    }
    float[] dyd = dy.data();
    float[] db = null;
    if (bias != null) {
      boolean fresh = bias.takeZeroGrad(); // see Parameter.takeZeroGrad
      db = bias.grad().data();
      if (fresh) {
        java.util.Arrays.fill(db, 0f);
      }
    }
    boolean add = !weight.takeZeroGrad();
    if (input != null) {
      // The direct path: dW with the columns unfolded a few images at a time (Convs), the same
      // bits as the product below.
      sumBias(dyd, null, n, p, db);
      Convs.weightGradient(
          input.data(), n, in, h, w, dyd, out, kernel, padding, weight.grad().data(), add);
    } else {
      // The output gradient as [out, n·oh·ow], to meet the columns in one product for dW (its
      // k runs over every image's positions in order, so each weight's sum has a fixed order).
      gradProduct = reuse(gradProduct, out, n * p);
      float[] g = gradProduct.data();
      sumBias(dyd, g, n, p, db);
      // dW = dY·colsᵀ: out × k dot products of rows n·oh·ow long, read where they lie (a matrix
      // multiply would first copy cols transposed into panels, at several times the arithmetic's
      // cost for so long a k).
      Dots.gemmNT(
          out, k, n * p, g, 0, n * p, cols.data(), 0, n * p, weight.grad().data(), 0, k, add);
    }
    if (!inputGradient) {
      return null;
    }
    gradInput = reuse4(gradInput, n, in, h, w);
    float[] wd = weight.value().data();
    float[] gi = gradInput.data();
    // The error at each image's columns, Wᵀ × dY_i, folded back onto that image at once, on a
    // small buffer per thread that stays in cache; images are independent.
    Parallel.forRanges(
        n,
        imageGrain(k * p),
        (from, to) -> {
          if (Convs.direct(stride, dilation, kernel, padding)) {
            for (int img = from; img < to; img++) {
              Convs.backwardInput(
                  dyd, img * out * p, out, wd, in, h, w, kernel, padding, gi, img * in * h * w);
            }
            return;
          }
          float[] gc = scratch(k * p);
          for (int img = from; img < to; img++) {
            Gemm.gemm(true, false, k, p, out, wd, 0, k, dyd, img * out * p, p, gc, 0, p, false);
            Im2col.fold(
                gc, p, img, img, img + 1, in, h, w, kernel, stride, padding, dilation, oh, ow, gi);
          }
        });
    return gradInput;
  }

  /**
   * Adds each image's output gradient per channel (summed in order) onto the bias gradient {@code
   * db} (if any), and copies it into {@code g} as {@code [out, n·p]} (if not null).
   */
  private void sumBias(float[] dyd, float[] g, int n, int p, float[] db) {
    if (g != null) {
      for (int img = 0; img < n; img++) {
        for (int ch = 0; ch < out; ch++) {
          System.arraycopy(dyd, (img * out + ch) * p, g, ch * n * p + img * p, p);
        }
      }
    }
    if (db == null) {
      return;
    }
    // Each image's channel sums in order, eight planes at a time: independent chains of adds
    // instead of one, whose latency bound the loop (a third of LeNet-5's first weight gradient);
    // then onto the bias gradient image by image, as before.
    int planes = n * out;
    float[] sums = planeSums.length >= planes ? planeSums : (planeSums = new float[planes]);
    // Planes across threads in groups of eight (each sum is one thread's, in order).
    Parallel.forRanges(
        (planes + 7) / 8,
        Math.max(1, (1 << 15) / Math.max(1, 8 * p)),
        (g0, g1) -> planeSums(dyd, sums, p, 8 * g0, Math.min(planes, 8 * g1)));
    for (int img = 0; img < n; img++) {
      for (int ch = 0; ch < out; ch++) {
        db[ch] += sums[img * out + ch];
      }
    }
  }

  /**
   * The sums, each in order, of planes {@code [from, to)} of {@code dyd} ({@code p} floats each).
   */
  private static void planeSums(float[] dyd, float[] sums, int p, int from, int to) {
    int pl = from;
    for (; pl + 7 < to; pl += 8) {
      int at = pl * p;
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      float s4 = 0;
      float s5 = 0;
      float s6 = 0;
      float s7 = 0;
      for (int i = 0; i < p; i++, at++) {
        s0 += dyd[at];
        s1 += dyd[at + p];
        s2 += dyd[at + 2 * p];
        s3 += dyd[at + 3 * p];
        s4 += dyd[at + 4 * p];
        s5 += dyd[at + 5 * p];
        s6 += dyd[at + 6 * p];
        s7 += dyd[at + 7 * p];
      }
      sums[pl] = s0;
      sums[pl + 1] = s1;
      sums[pl + 2] = s2;
      sums[pl + 3] = s3;
      sums[pl + 4] = s4;
      sums[pl + 5] = s5;
      sums[pl + 6] = s6;
      sums[pl + 7] = s7;
    }
    for (; pl < to; pl++) {
      float s = 0;
      for (int i = 0, at = pl * p; i < p; i++, at++) {
        s += dyd[at];
      }
      sums[pl] = s;
    }
  }

  /** A thread's inference columns for one layer, and the input geometry last unfolded there. */
  private static final class InferenceColumns {
    float[] cols = new float[0];
    long geometry = -1;

    /**
     * Makes {@link #cols} {@code size} floats for input planes {@code h × w}; returns whether its
     * padding's places still hold zeros (a new buffer, or the same geometry as last time).
     */
    boolean prepare(int size, int h, int w) {
      long g = ((long) h << 32) | w;
      boolean clean = cols.length == size && geometry == g;
      if (cols.length != size) {
        cols = new float[size];
        clean = true; // all zeros
      }
      geometry = g;
      return clean;
    }
  }

  /** A per-thread buffer of at least {@code size} floats, kept between batches. */
  private static float[] scratch(int size) {
    float[] s = SCRATCH.get();
    if (s.length < size) {
      s = new float[size];
      SCRATCH.set(s);
    }
    return s;
  }

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  /** Images per thread's part: enough columns (some 64K floats) to pay for a hand-over. */
  private static int imageGrain(int floatsPerImage) {
    return Math.max(1, (1 << 16) / Math.max(1, floatsPerImage));
  }

  private static Tensor reuse(Tensor t, int rows, int cols) {
    return t != null && t.rank() == 2 && t.rows() == rows && t.cols() == cols
        ? t
        : Tensor.zeros(rows, cols);
  }

  static Tensor reuse4(Tensor t, int a, int b, int c, int d) {
    return t != null && t.shape().equals(Shape.of(a, b, c, d)) ? t : Tensor.zeros(a, b, c, d);
  }

  @Override
  public String toString() {
    return "Conv2d(in="
        + in
        + ", out="
        + out
        + ", kernel="
        + kernel
        + (stride != 1 ? ", stride=" + stride : "")
        + (padding != 0 ? ", padding=" + padding : "")
        + (dilation != 1 ? ", dilation=" + dilation : "")
        + (bias == null ? ", bias=false" : "")
        + ")";
  }
}
