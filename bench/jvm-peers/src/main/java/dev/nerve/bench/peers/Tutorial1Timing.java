package dev.nerve.bench.peers;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/** Times tutorial 1's network (3 rows, full batch) the way the harness times numpy's loop. */
final class Tutorial1Timing {
  private Tutorial1Timing() {}

  /**
   * Warms up for 3 s, then {@code runs} times resets the network and trains {@code epochs}
   * full-batch epochs; prints the median run, the time per epoch and the final outputs.
   */
  static void run(int runs, int epochs, Runnable reset, Runnable epoch, Supplier<float[]> outputs) {
    long warm = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warm) {
      reset.run();
      for (int e = 0; e < epochs; e++) {
        epoch.run();
      }
    }
    double[] ms = new double[runs];
    for (int r = 0; r < runs; r++) {
      reset.run();
      long s = System.nanoTime();
      for (int e = 0; e < epochs; e++) {
        epoch.run();
      }
      ms[r] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(ms);
    float[] out = outputs.get();
    StringBuilder b = new StringBuilder();
    for (float v : out) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"median_ms\": %.4f, \"epochs\": %d, \"per_epoch_us\": %.4f, \"outputs\": [%s]}%n",
        ms[runs / 2],
        epochs,
        ms[runs / 2] * 1e3 / epochs,
        b);
  }
}
