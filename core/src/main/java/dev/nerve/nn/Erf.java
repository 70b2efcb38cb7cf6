package dev.nerve.nn;

/** The error function, which {@link Math} lacks. */
final class Erf {
  /** Numerical Recipes' Chebyshev fit of erfc, highest power last. */
  private static final double[] C = {
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277
  };

  private Erf() {}

  /** erf(x) to within 1.2e-7 everywhere, computed in double: more than float precision needs. */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double poly = C[C.length - 1];
    for (int i = C.length - 2; i >= 0; i--) {
      poly = C[i] + t * poly;
    }
    double erfc = t * Math.exp(-z * z + poly);
    return x >= 0 ? 1 - erfc : erfc - 1;
  }
}
