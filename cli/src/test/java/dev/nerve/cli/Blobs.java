package dev.nerve.cli;

import dev.nerve.tensor.Rng;
import java.util.Locale;

/** Test data: three labelled blobs of 2-D points around the unit circle, as CSV text. */
final class Blobs {
  private Blobs() {}

  /**
   * {@code rows} points of classes red, green, blue in turn, with Gaussian noise of {@code noise};
   * the label column sits between the two coordinates or after them.
   */
  static String csv(int rows, double noise, boolean labelInMiddle) {
    StringBuilder sb = new StringBuilder(labelInMiddle ? "a,kind,b\n" : "a,b,kind\n");
    Rng r = new Rng(4);
    String[] names = {"red", "green", "blue"};
    for (int i = 0; i < rows; i++) {
      double ang = 2 * Math.PI * (i % 3) / 3;
      String a = String.format(Locale.ROOT, "%.4f", Math.cos(ang) + noise * r.nextGaussian());
      String b = String.format(Locale.ROOT, "%.4f", Math.sin(ang) + noise * r.nextGaussian());
      String k = names[i % 3];
      sb.append(labelInMiddle ? a + "," + k + "," + b : a + "," + b + "," + k).append('\n');
    }
    return sb.toString();
  }
}
