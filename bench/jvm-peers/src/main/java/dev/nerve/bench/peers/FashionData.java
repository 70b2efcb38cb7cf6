package dev.nerve.bench.peers;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Fashion-MNIST from Debian's dataset-fashion-mnist, pixels scaled to [0, 1] as in every peer. */
final class FashionData {
  static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  final float[] x; // rows of 784
  final int[] y;
  final int n;

  private FashionData(float[] x, int[] y) {
    this.x = x;
    this.y = y;
    this.n = y.length;
  }

  /** {@code part} is "train" or "t10k". */
  static FashionData read(String part) throws IOException {
    byte[] images = body(DIR.resolve(part + "-images-idx3-ubyte.gz"), 16);
    byte[] labels = body(DIR.resolve(part + "-labels-idx1-ubyte.gz"), 8);
    float[] x = new float[images.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (images[i] & 0xff) / 255f;
    }
    int[] y = new int[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[i];
    }
    return new FashionData(x, y);
  }

  private static byte[] body(Path file, int header) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      new DataInputStream(in).readFully(new byte[header]);
      return in.readAllBytes();
    }
  }

  /** A fixed shuffle of 0..n-1 per epoch (the same generator for every peer run). */
  static int[] permutation(int n, java.util.Random rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static String json(double load, java.util.List<Double> epochs, double accuracy) {
    StringBuilder b = new StringBuilder();
    for (double e : epochs) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4f", e));
    }
    return String.format(
        java.util.Locale.ROOT,
        "{\"load_seconds\": %.4f, \"epoch_seconds\": [%s], \"test_accuracy\": %.5f}",
        load,
        b,
        accuracy);
  }

  static String latencyJson(double[] sortedSeconds, int batch) {
    double median = sortedSeconds[sortedSeconds.length / 2];
    return String.format(
        java.util.Locale.ROOT,
        "{\"median_us\": %.3f, \"p90_us\": %.3f, \"calls\": %d, \"per_second\": %.1f}",
        median * 1e6,
        sortedSeconds[(int) (sortedSeconds.length * 0.9)] * 1e6,
        sortedSeconds.length,
        batch / median);
  }

  /** Calls {@code call} for a third of {@code seconds} to warm up, then times each call; sorted. */
  static double[] latencies(Runnable call, double seconds) {
    long warm = System.nanoTime() + (long) (seconds / 3 * 1e9);
    while (System.nanoTime() < warm) {
      call.run();
    }
    double[] t = new double[1 << 16];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (n < t.length && System.nanoTime() < end) {
      long s = System.nanoTime();
      call.run();
      t[n++] = (System.nanoTime() - s) / 1e9;
    }
    double[] r = java.util.Arrays.copyOf(t, n);
    java.util.Arrays.sort(r);
    return r;
  }
}
