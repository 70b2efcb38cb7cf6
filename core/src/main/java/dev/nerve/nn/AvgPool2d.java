package dev.nerve.nn;

import dev.nerve.tensor.Tensor;

/**
 * Average pooling over {@code kernel × kernel} windows of each channel, as PyTorch's {@code
 * AvgPool2d} (stride defaults to the kernel; padding counts as zeros in the average). Backward
 * spreads each output's gradient evenly over its window.
 */
public final class AvgPool2d extends Pool2d {
  /** The type {@code avg_pool2d}. */
  public static final LayerType<Pool2d.Settings, AvgPool2d> TYPE =
      Pool2d.type("avg_pool2d", "AvgPool2d", AvgPool2d.class, AvgPool2d::new);

  private Tensor outputBuffer;
  private Tensor gradInput;
  private int[] inputDims;

  /** Windows of {@code kernel}, stride {@code kernel}, no padding. */
  public AvgPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  /**
   * Windows of {@code kernel} every {@code stride}, with {@code padding}.
   *
   * @throws IllegalArgumentException as {@link MaxPool2d#MaxPool2d(int, int, int)}
   */
  public AvgPool2d(int kernel, int stride, int padding) {
    super("AvgPool2d", kernel, stride, padding);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] d = p.check(this, x);
    int oh = p.out(d[2]);
    int ow = p.out(d[3]);
    Tensor y =
        training
            ? (outputBuffer = Conv2d.reuse4(outputBuffer, d[0], d[1], oh, ow))
            : Tensor.zeros(d[0], d[1], oh, ow);
    window(d, oh, ow, x.data(), y.data(), true);
    if (training) {
      inputDims = d.clone();
    }
    return y;
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int[] d = inputDims;
    gradInput = Conv2d.reuse4(gradInput, d[0], d[1], d[2], d[3]);
    java.util.Arrays.fill(gradInput.data(), 0f);
    window(d, p.out(d[2]), p.out(d[3]), gradInput.data(), dy.data(), false);
    return gradInput;
  }

  /** Forward: {@code y = mean(x over window)}; backward: {@code x += y / k²} over the window. */
  private void window(int[] d, int oh, int ow, float[] x, float[] y, boolean forward) {
    int h = d[2];
    int w = d[3];
    float scale = 1f / (p.kernel * p.kernel);
    int o = 0;
    for (int plane = 0; plane < d[0] * d[1]; plane++) {
      int base = plane * h * w;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, o++) {
          float s = 0;
          float share = forward ? 0 : y[o] * scale;
          for (int i = 0; i < p.kernel; i++) {
            int iy = oy * p.stride - p.padding + i;
            if (iy < 0 || iy >= h) {
              continue;
            }
            for (int j = 0; j < p.kernel; j++) {
              int ix = ox * p.stride - p.padding + j;
              if (ix >= 0 && ix < w) {
                if (forward) {
                  s += x[base + iy * w + ix];
                } else {
                  x[base + iy * w + ix] += share;
                }
              }
            }
          }
          if (forward) {
            y[o] = s * scale;
          }
        }
      }
    }
  }
}
