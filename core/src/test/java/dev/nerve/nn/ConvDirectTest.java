package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.kernel.Convs;
import dev.nerve.tensor.kernel.Dots;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The direct convolution ({@link Convs}, whichever kernel this JVM runs) gives the bits of the
 * lowered one — im2col, the matrix multiply and the bias pass forward; {@code Wᵀ × dY} and col2im
 * backward — on random stride-1 shapes, so that a network trains to the same bits with and without
 * the Vector API (DeterminismTest) and whichever path a layer takes.
 */
class ConvDirectTest {
  private static float[] values(Rng r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(16);
      x[i] = kind == 0 ? 0f : kind == 1 ? -0f : r.nextFloat() * 2 - 1;
    }
    return x;
  }

  @Test
  void directAndLoweredGiveTheSameBits() {
    Rng r = new Rng(41);
    for (int n = 0; n < 200; n++) {
      int k = 1 + r.nextInt(5);
      int pad = r.nextInt(k);
      int c = 1 + r.nextInt(7);
      int out = r.nextInt(4) == 0 ? 16 * (1 + r.nextInt(2)) : 1 + r.nextInt(17);
      int h = Math.max(1, k - 2 * pad) + r.nextInt(20);
      int w = Math.max(1, k - 2 * pad) + r.nextInt(40);
      int oh = h + 2 * pad - k + 1;
      int ow = w + 2 * pad - k + 1;
      int p = oh * ow;
      int kk = c * k * k;
      String what = List.of(c, out, k, pad, h, w).toString();
      float[] x = values(r, c * h * w);
      float[] wt = values(r, out * kk);
      float[] b = values(r, out);
      float[] cols = new float[kk * p];
      Im2col.unfold(x, 0, 1, c, h, w, k, 1, pad, 1, oh, ow, cols, p, 0, false);
      float[] lowered = new float[out * p];
      Gemm.gemm(false, false, out, p, kk, wt, 0, kk, cols, 0, p, lowered, 0, p, false);
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < p; i++) {
          lowered[o * p + i] += b[o];
        }
      }
      float[] direct = new float[out * p];
      Convs.forward(x, 0, 1, c, h, w, wt, b, out, k, pad, direct);
      assertArrayEquals(lowered, direct, "forward " + what);

      float[] dy = values(r, out * p);
      float[] dcols = new float[kk * p];
      Gemm.gemm(true, false, kk, p, out, wt, 0, kk, dy, 0, p, dcols, 0, p, false);
      float[] folded = new float[c * h * w];
      Im2col.fold(dcols, p, 0, 0, 1, c, h, w, k, 1, pad, 1, oh, ow, folded);
      float[] dx = new float[c * h * w];
      Convs.backwardInput(dy, 0, out, wt, c, h, w, k, pad, dx, 0);
      assertArrayEquals(folded, dx, "input gradient " + what);
    }
  }

  /**
   * The weight gradient, unfolded a chunk of images at a time (Convs.weightGradient), gives the
   * bits of the whole batch's columns met with the output gradient in one Dots product: random
   * shapes and batch sizes (chunks whole and ragged, planes of every size mod 16), 1-3 threads.
   */
  @Test
  void chunkedWeightGradientGivesTheBatchProductsBits() {
    Rng r = new Rng(43);
    int before = Parallel.threads();
    // LeNet-5's layers first: 28 × 28 planes (784 positions, whole sets of lanes: the output
    // gradient is read in place) and 10 × 10 (chunks of 12 images, the last one ragged).
    int[][] fixed = {{1, 6, 5, 2, 28, 28, 3}, {6, 16, 5, 0, 14, 14, 13}};
    try {
      for (int n = 0; n < 120; n++) {
        int k = 1 + r.nextInt(5);
        int pad = r.nextInt(k);
        int c = 1 + r.nextInt(4);
        int out = 1 + r.nextInt(9);
        int h = Math.max(1, k - 2 * pad) + r.nextInt(14);
        int w = Math.max(1, k - 2 * pad) + r.nextInt(30);
        int batch = 1 + r.nextInt(20);
        if (n < fixed.length) {
          c = fixed[n][0];
          out = fixed[n][1];
          k = fixed[n][2];
          pad = fixed[n][3];
          h = fixed[n][4];
          w = fixed[n][5];
          batch = fixed[n][6];
        }
        int oh = h + 2 * pad - k + 1;
        int ow = w + 2 * pad - k + 1;
        int p = oh * ow;
        int kk = c * k * k;
        String what = List.of(c, out, k, pad, h, w, batch).toString();
        float[] x = values(r, batch * c * h * w);
        float[] dy = values(r, batch * out * p);
        float[] cols = new float[kk * batch * p];
        Im2col.unfold(x, 0, batch, c, h, w, k, 1, pad, 1, oh, ow, cols, batch * p, 0, false);
        float[] g = new float[out * batch * p];
        for (int img = 0; img < batch; img++) {
          for (int o = 0; o < out; o++) {
            System.arraycopy(dy, (img * out + o) * p, g, o * batch * p + img * p, p);
          }
        }
        float[] want = values(r, out * kk);
        float[] got = want.clone();
        boolean add = r.nextInt(2) == 0;
        Dots.gemmNT(out, kk, batch * p, g, 0, batch * p, cols, 0, batch * p, want, 0, kk, add);
        Parallel.setThreads(n < fixed.length ? 2 : 1 + r.nextInt(3));
        Convs.weightGradient(x, batch, c, h, w, dy, out, k, pad, got, add);
        assertArrayEquals(want, got, "weight gradient " + what);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
