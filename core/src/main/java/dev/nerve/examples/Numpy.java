package dev.nerve.examples;

import dev.nerve.tensor.Tensor;
import java.util.Locale;

/** Prints a matrix the way numpy prints an array, so tutorial output looks familiar. */
public final class Numpy {
  private Numpy() {}

  /** Like numpy's {@code print(output)}: {@code [[0.97696709]\n [0.96621222]\n [0.04439228]]}. */
  public static String format(Tensor m) {
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < m.rows(); r++) {
      sb.append(r == 0 ? "[" : "\n [");
      for (int c = 0; c < m.cols(); c++) {
        sb.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.8f", m.get(r, c)));
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }
}
