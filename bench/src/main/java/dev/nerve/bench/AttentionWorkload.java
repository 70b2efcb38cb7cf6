package dev.nerve.bench;

import dev.nerve.nn.MultiHeadAttention;
import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import java.util.Locale;

/**
 * How fast attention's own products run, against the matrix multiply's peak in the same process:
 * the per-head products of the text-transformer example's shape (batch 16, 64 steps, width 128, 4
 * heads of 32), forward ({@code Q Kᵀ}, {@code A V}) and backward ({@code Aᵀ dO}, {@code dO Vᵀ},
 * {@code dZ K}, {@code dZᵀ Q}), each {@code 2·T·T·d} operations per head and example; the whole
 * layer's forward and backward (with its projections and softmax) as an effective rate; and a
 * square 512 product as the peak.
 */
final class AttentionWorkload {
  private AttentionWorkload() {}

  static final int BATCH = 16;
  static final int TIME = 64;
  static final int WIDTH = 128;
  static final int HEADS = 4;

  static void run(int threads, double seconds) {
    Parallel.setThreads(threads);
    int d = WIDTH / HEADS;
    int t = TIME;
    Rng rng = new Rng(1);
    float[] qkv = Tensor.uniform(rng, -1f, 1f, BATCH * t, 3 * WIDTH).data();
    int ld = 3 * WIDTH;
    // The six per-head products of one forward and backward pass, every head of every example,
    // split across the threads as the layer splits them.
    Runnable products =
        () -> {
          int pairs = BATCH * HEADS;
          int parts = Math.min(Parallel.threads(), pairs);
          Parallel.forEach(
              parts,
              part -> {
                float[] a = new float[t * t];
                float[] g = new float[t * WIDTH];
                for (int p = part * pairs / parts; p < (part + 1) * pairs / parts; p++) {
                  int ex = p / HEADS;
                  int h = p % HEADS;
                  int qo = ex * t * ld + h * d;
                  Gemm.gemm(false, true, t, t, d, qkv, qo, ld, qkv, qo + WIDTH, ld, a, 0, t, false);
                  Gemm.gemm(
                      false, false, t, d, t, a, 0, t, qkv, qo + 2 * WIDTH, ld, g, 0, WIDTH, false);
                  Gemm.gemm(true, false, t, d, t, a, 0, t, g, 0, WIDTH, g, d, WIDTH, false);
                  Gemm.gemm(
                      false, true, t, t, d, g, 0, WIDTH, qkv, qo + 2 * WIDTH, ld, a, 0, t, false);
                  Gemm.gemm(
                      false, false, t, d, t, a, 0, t, qkv, qo + WIDTH, ld, g, 2 * d, WIDTH, false);
                  Gemm.gemm(true, false, t, d, t, a, 0, t, qkv, qo, ld, g, 3 * d, WIDTH, false);
                }
              });
        };
    double productFlops = 6.0 * 2 * BATCH * HEADS * (double) t * t * d;
    double productSeconds = median(products, seconds);

    MultiHeadAttention mha = new MultiHeadAttention(WIDTH, HEADS, true, 0f, true);
    mha.initialize(new Rng(2));
    Tensor x = Tensor.uniform(new Rng(3), -1f, 1f, BATCH, t, WIDTH);
    Tensor dy = Tensor.uniform(new Rng(4), -1f, 1f, BATCH, t, WIDTH);
    Runnable layer =
        () -> {
          for (Parameter p : mha.parameters()) {
            p.zeroGradInPlace();
          }
          mha.forward(x, true);
          mha.backward(dy);
        };
    // Projections: forward 2·rows·w·3w + 2·rows·w·w, backward twice that; plus the products.
    double rows = BATCH * t;
    double projectionFlops = 3 * (2 * rows * WIDTH * 3 * WIDTH + 2 * rows * WIDTH * WIDTH);
    double layerSeconds = median(layer, seconds);

    int n = 512;
    float[] a = Tensor.uniform(new Rng(5), -1f, 1f, n, n).data();
    float[] b = Tensor.uniform(new Rng(6), -1f, 1f, n, n).data();
    float[] c = new float[n * n];
    double peakSeconds =
        median(() -> Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false), seconds);
    System.out.printf(
        Locale.ROOT,
        "{\"products_gflops\": %.2f, \"layer_gflops\": %.2f, \"layer_ms\": %.3f,"
            + " \"peak_gflops\": %.2f, \"products_share\": %.3f}%n",
        productFlops / productSeconds / 1e9,
        (productFlops + projectionFlops) / layerSeconds / 1e9,
        layerSeconds * 1e3,
        2.0 * n * n * n / peakSeconds / 1e9,
        productSeconds / layerSeconds);
  }

  private static double median(Runnable call, double seconds) {
    double[] lat = Workloads.latencies(call, seconds);
    return lat[lat.length / 2];
  }
}
