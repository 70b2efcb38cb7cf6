package dev.nerve.audio;

/**
 * The discrete Fourier transform of one size, {@code X[k] = sum_n x[n] e^(-2 pi i k n / N)}, in
 * double precision, for any size {@code N >= 1}.
 *
 * <p>A power of two is transformed by the iterative radix-2 algorithm (bit-reversal, then
 * butterflies over a precomputed table of twiddles). Any other size goes through Bluestein's chirp
 * z-transform: {@code nk = (n^2 + k^2 - (k-n)^2) / 2} turns the DFT into a convolution with a
 * chirp, done by radix-2 transforms of a power of two {@code M >= 2N - 1}. So every size costs
 * {@code O(N log N)}: a direct DFT costs {@code N^2} complex multiply-adds per frame (160,000 for
 * the {@code n_fft = 400} of torchaudio's and Whisper's defaults, half that for a half spectrum,
 * against two radix-2 transforms of 1024, about 10,000 butterflies, here) and grows without bound
 * for large or prime sizes, while the one extra path reuses the radix-2 code. In double precision
 * the chirp's extra rounding stays near 1e-13 of the largest value, far below the float32 the
 * spectrogram is returned in.
 *
 * <p>Not thread-safe (it keeps work arrays): one per thread.
 */
final class Fft {
  private final int n;
  private final int m; // the power-of-two size the radix-2 transform runs at (n itself, or M)
  private final double[] cos; // cos(2 pi k / m), k < m/2
  private final double[] sin;
  private final int[] reverse;
  // Bluestein only: the chirp w[k] = e^(-i pi k^2 / n), the transformed filter, and work arrays.
  private final double[] chirpRe;
  private final double[] chirpIm;
  private final double[] filterRe;
  private final double[] filterIm;
  private final double[] workRe;
  private final double[] workIm;

  Fft(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the transform size must be at least 1, got " + n);
    }
    this.n = n;
    boolean pow2 = (n & (n - 1)) == 0;
    this.m = pow2 ? n : Integer.highestOneBit(2 * n - 1) << 1;
    cos = new double[Math.max(1, m / 2)];
    sin = new double[cos.length];
    for (int k = 0; k < m / 2; k++) {
      double a = 2 * Math.PI * k / m;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
    int bits = Integer.numberOfTrailingZeros(m);
    reverse = new int[m];
    for (int i = 0; i < m; i++) {
      reverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
    if (pow2) {
      chirpRe = chirpIm = filterRe = filterIm = workRe = workIm = null;
      return;
    }
    chirpRe = new double[n];
    chirpIm = new double[n];
    long twoN = 2L * n;
    for (int k = 0; k < n; k++) {
      // k^2 mod 2n keeps the angle small, so it is exact however large k gets.
      double a = Math.PI * (((long) k * k) % twoN) / n;
      chirpRe[k] = Math.cos(a);
      chirpIm[k] = -Math.sin(a);
    }
    filterRe = new double[m];
    filterIm = new double[m];
    for (int k = 0; k < n; k++) {
      filterRe[k] = chirpRe[k];
      filterIm[k] = -chirpIm[k];
      if (k > 0) {
        filterRe[m - k] = chirpRe[k];
        filterIm[m - k] = -chirpIm[k];
      }
    }
    radix2(filterRe, filterIm);
    workRe = new double[m];
    workIm = new double[m];
  }

  /** The transform size. */
  int size() {
    return n;
  }

  /** Transforms {@code re + i im} (each of length {@link #size()}) in place. */
  void transform(double[] re, double[] im) {
    if (workRe == null) {
      radix2(re, im);
      return;
    }
    java.util.Arrays.fill(workRe, 0.0);
    java.util.Arrays.fill(workIm, 0.0);
    for (int k = 0; k < n; k++) {
      workRe[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
      workIm[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
    }
    radix2(workRe, workIm);
    // Multiply by the filter, then invert as conj(FFT(conj(.))) / m.
    for (int k = 0; k < m; k++) {
      double r = workRe[k] * filterRe[k] - workIm[k] * filterIm[k];
      double i = workRe[k] * filterIm[k] + workIm[k] * filterRe[k];
      workRe[k] = r;
      workIm[k] = -i;
    }
    radix2(workRe, workIm);
    for (int k = 0; k < n; k++) {
      double r = workRe[k] / m;
      double i = -workIm[k] / m;
      re[k] = r * chirpRe[k] - i * chirpIm[k];
      im[k] = r * chirpIm[k] + i * chirpRe[k];
    }
  }

  /** The radix-2 transform of size {@code m}, in place. */
  private void radix2(double[] re, double[] im) {
    for (int i = 0; i < m; i++) {
      int j = reverse[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= m; len <<= 1) {
      int half = len >> 1;
      int step = m / len;
      for (int start = 0; start < m; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = -sin[k * step];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
