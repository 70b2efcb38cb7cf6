package dev.nerve.nn;

import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.tensor.kernel.Pools;

/**
 * Max pooling over {@code kernel × kernel} windows of each channel ({@code [batch, channels, h,
 * w]}), as PyTorch's {@code MaxPool2d}: stride defaults to the kernel, padding reads as -∞.
 * Backward sends each output's gradient to the input that was the maximum (the first one on ties; a
 * NaN in a window is its maximum, as in PyTorch).
 */
public final class MaxPool2d extends Pool2d {
  /** The type {@code max_pool2d}. */
  public static final LayerType<Pool2d.Settings, MaxPool2d> TYPE =
      Pool2d.type("max_pool2d", "MaxPool2d", MaxPool2d.class, MaxPool2d::new);

  private int[] argmax;
  private Tensor outputBuffer;
  private Tensor gradInput;
  private int[] inputDims;

  /** Windows of {@code kernel}, stride {@code kernel}, no padding. */
  public MaxPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  /**
   * Windows of {@code kernel} every {@code stride}, with {@code padding}.
   *
   * @throws IllegalArgumentException if kernel or stride is below 1, or padding is negative or more
   *     than half the kernel
   */
  public MaxPool2d(int kernel, int stride, int padding) {
    super("MaxPool2d", kernel, stride, padding);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int[] d = p.check(this, x);
    int n = d[0];
    int c = d[1];
    int h = d[2];
    int w = d[3];
    int oh = p.out(h);
    int ow = p.out(w);
    Tensor y =
        training
            ? (outputBuffer = Conv2d.reuse4(outputBuffer, n, c, oh, ow))
            : Tensor.zeros(n, c, oh, ow);
    int[] arg = training ? (argmax = ensure(argmax, y.size())) : null;
    float[] xd = x.data();
    float[] yd = y.data();
    int planes = n * c;
    // Each plane is pooled by one thread, so the split never changes a result.
    Parallel.forRanges(
        planes,
        grain(oh * ow),
        (from, to) -> {
          if (p.padding == 0) {
            // Every window lies inside its plane: no bounds test per tap, and a lane-width of
            // windows at once with the Vector API (the same values and argmax).
            Pools.maxPool(xd, yd, arg, from, to, h, w, oh, ow, p.kernel, p.stride);
          } else {
            padded(xd, yd, arg, from, to, h, w, oh, ow);
          }
        });
    if (training) {
      inputDims = d.clone();
    }
    return y;
  }

  /**
   * Planes per part so that a part has some 4K outputs (some 15 µs of pooling): less is not worth a
   * hand-over. (At 16K, LeNet-5's second pooling, 25.6K outputs a batch, ran on one thread.)
   */
  static int grain(int perPlane) {
    return Math.max(1, (1 << 12) / Math.max(1, perPlane));
  }

  private void padded(
      float[] xd, float[] yd, int[] arg, int fromPlane, int toPlane, int h, int w, int oh, int ow) {
    int o = fromPlane * oh * ow;
    for (int plane = fromPlane; plane < toPlane; plane++) {
      int base = plane * h * w;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, o++) {
          float best = Float.NEGATIVE_INFINITY;
          int at = -1;
          for (int i = 0; i < p.kernel; i++) {
            int iy = oy * p.stride - p.padding + i;
            if (iy < 0 || iy >= h) {
              continue;
            }
            for (int j = 0; j < p.kernel; j++) {
              int ix = ox * p.stride - p.padding + j;
              if (ix >= 0 && ix < w) {
                float v = xd[base + iy * w + ix];
                if (v > best || v != v || at < 0) {
                  best = v;
                  at = base + iy * w + ix;
                }
              }
            }
          }
          yd[o] = best;
          if (arg != null) {
            arg[o] = at;
          }
        }
      }
    }
  }

  private static int[] ensure(int[] a, int n) {
    return a != null && a.length == n ? a : new int[n];
  }

  @Override
  public Tensor backward(Tensor dy) {
    if (inputDims == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    int[] d = inputDims;
    gradInput = Conv2d.reuse4(gradInput, d[0], d[1], d[2], d[3]);
    float[] g = gradInput.data();
    float[] dyd = dy.data();
    if (dyd.length != argmax.length) {
      throw new ShapeMismatchException(
          this
              + ": expected an output gradient like "
              + outputBuffer.shape()
              + ", got "
              + dy.shape());
    }
    // Every window lies in its own plane: split by planes, each input gradient has one writer.
    int[] d2 = inputDims;
    int inPlane = d2[2] * d2[3];
    int outPlane = dyd.length / (d2[0] * d2[1]);
    int[] arg = argmax;
    Parallel.forRanges(
        d2[0] * d2[1],
        grain(outPlane),
        (from, to) -> {
          java.util.Arrays.fill(g, from * inPlane, to * inPlane, 0f);
          for (int o = from * outPlane; o < to * outPlane; o++) {
            g[arg[o]] += dyd[o];
          }
        });
    return gradInput;
  }
}
