package dev.nerve.audio;

import dev.nerve.tensor.Tensor;

/**
 * The mel scale and what is built on it: the triangular filterbank, log-mel in decibels and MFCCs,
 * each the formula of torchaudio with the settings named below.
 *
 * <ul>
 *   <li>HTK mel scale: {@code mel = 2595 log10(1 + f / 700)}.
 *   <li>{@link #filterbank}: {@code n_mels} triangles whose corners are {@code n_mels + 2} points
 *       evenly spaced in mel from {@code f_min} to {@code f_max}; filter {@code m} rises from 0 at
 *       corner {@code m} to 1 at corner {@code m + 1} and falls to 0 at corner {@code m + 2}, over
 *       the bin frequencies {@code linspace(0, sample_rate // 2, n_freqs)}; no area normalisation
 *       (torchaudio's {@code melscale_fbanks(norm=None, mel_scale="htk")}).
 *   <li>{@link #decibels}: {@code 10 log10(max(x, 1e-10))} ({@code AmplitudeToDB("power",
 *       top_db=None)}).
 *   <li>{@link #mfcc}: the orthonormal DCT-II over the mel axis of log-mel in decibels, first
 *       {@code n_mfcc} coefficients ({@code create_dct(n_mfcc, n_mels, norm="ortho")}).
 * </ul>
 *
 * <p>Note: torchaudio's {@code MFCC} transform always clips its decibels at 80 below each input's
 * peak ({@code top_db=80}); {@link #mfcc} does not, as if {@code top_db=None}. The two agree
 * wherever nothing is more than 80 dB below the peak.
 *
 * <pre>{@code
 * Tensor fb = Mel.filterbank(257, 0, 8000, 40, 16000);         // [257 bins, 40 mels]
 * Tensor logMel = Mel.decibels(Mel.apply(fb, power));          // [40, frames]
 * Tensor mfcc = Mel.mfcc(logMel, 13);                          // [13, frames]
 * }</pre>
 */
public final class Mel {
  /** The floor below which power is taken as silence: 1e-10, that is -100 dB. */
  public static final double AMIN = 1e-10;

  private Mel() {}

  /** Hertz to HTK mels, {@code 2595 log10(1 + hz / 700)}. */
  public static double hzToMel(double hz) {
    return 2595.0 * Math.log10(1.0 + hz / 700.0);
  }

  /** HTK mels to hertz, {@code 700 (10^(mel / 2595) - 1)}. */
  public static double melToHz(double mel) {
    return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
  }

  /**
   * The triangular mel filterbank, {@code [nFreqs, nMels]}: column {@code m} weighs the power of
   * each frequency bin for mel band {@code m}.
   *
   * @param nFreqs the spectrogram's bins, {@code n_fft / 2 + 1}
   * @throws IllegalArgumentException unless {@code nFreqs >= 1}, {@code nMels >= 1}, {@code 0 <=
   *     fMin < fMax} and the rate is positive
   */
  public static Tensor filterbank(int nFreqs, double fMin, double fMax, int nMels, int sampleRate) {
    if (nFreqs < 1 || nMels < 1 || sampleRate < 1) {
      throw new IllegalArgumentException(
          "a filterbank needs at least 1 bin, 1 mel band and a positive rate, got "
              + nFreqs
              + ", "
              + nMels
              + " and "
              + sampleRate);
    }
    if (!(fMin >= 0 && fMin < fMax) || !Double.isFinite(fMax)) {
      throw new IllegalArgumentException(
          "a filterbank needs 0 <= f_min < f_max, got " + fMin + " and " + fMax);
    }
    // torchaudio's bin frequencies run to sample_rate // 2 (integer division), as here.
    double[] freqs = linspace(0, sampleRate / 2, nFreqs);
    double[] mels = linspace(hzToMel(fMin), hzToMel(fMax), nMels + 2);
    double[] corners = new double[nMels + 2];
    for (int i = 0; i < corners.length; i++) {
      corners[i] = melToHz(mels[i]);
    }
    float[] fb = new float[nFreqs * nMels];
    for (int f = 0; f < nFreqs; f++) {
      for (int m = 0; m < nMels; m++) {
        double down = (freqs[f] - corners[m]) / (corners[m + 1] - corners[m]);
        double up = (corners[m + 2] - freqs[f]) / (corners[m + 2] - corners[m + 1]);
        fb[f * nMels + m] = (float) Math.max(0.0, Math.min(down, up));
      }
    }
    return Tensor.wrap(fb, nFreqs, nMels);
  }

  /** {@code n} values from {@code a} to {@code b}, evenly spaced, as {@code numpy.linspace}. */
  private static double[] linspace(double a, double b, int n) {
    double[] out = new double[n];
    if (n == 1) {
      out[0] = a;
      return out;
    }
    double step = (b - a) / (n - 1);
    for (int i = 0; i < n; i++) {
      out[i] = a + i * step;
    }
    out[n - 1] = b;
    return out;
  }

  /**
   * The mel spectrogram {@code filterbank^T · power}: {@code [nMels, frames]} from a filterbank
   * {@code [bins, nMels]} and a power spectrogram {@code [bins, frames]} (neither modified). Summed
   * in double precision.
   *
   * @throws IllegalArgumentException if the bins differ
   */
  public static Tensor apply(Tensor filterbank, Tensor power) {
    int bins = filterbank.shape().dim(0);
    int nMels = filterbank.shape().dim(1);
    if (power.shape().rank() != 2 || power.shape().dim(0) != bins) {
      throw new IllegalArgumentException(
          "a filterbank of "
              + bins
              + " bins cannot apply to a spectrogram of shape "
              + power.shape()
              + " (expected ["
              + bins
              + ", frames])");
    }
    int frames = power.shape().dim(1);
    float[] fb = filterbank.data();
    float[] p = power.data();
    float[] out = new float[nMels * frames];
    double[] acc = new double[frames];
    for (int m = 0; m < nMels; m++) {
      java.util.Arrays.fill(acc, 0.0);
      for (int f = 0; f < bins; f++) {
        double w = fb[f * nMels + m];
        if (w == 0.0) {
          continue; // each triangle covers a few bins
        }
        int row = f * frames;
        for (int t = 0; t < frames; t++) {
          acc[t] += w * p[row + t];
        }
      }
      for (int t = 0; t < frames; t++) {
        out[m * frames + t] = (float) acc[t];
      }
    }
    return Tensor.wrap(out, nMels, frames);
  }

  /** A new tensor of {@code 10 log10(max(x, 1e-10))} for each power value {@code x}. */
  public static Tensor decibels(Tensor power) {
    float[] p = power.data();
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = (float) (10.0 * Math.log10(Math.max(p[i], AMIN)));
    }
    return Tensor.wrap(out, power.shape().dims());
  }

  /**
   * The orthonormal DCT-II matrix {@code [nMels, nMfcc]}, torchaudio's {@code create_dct(nMfcc,
   * nMels, norm="ortho")}: {@code D[n][k] = sqrt(2 / nMels) cos(pi / nMels (n + 1/2) k)}, column 0
   * times {@code 1 / sqrt(2)}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= nMfcc <= nMels}
   */
  public static Tensor dct(int nMfcc, int nMels) {
    if (nMfcc < 1 || nMfcc > nMels) {
      throw new IllegalArgumentException(
          "n_mfcc must be from 1 to n_mels (" + nMels + "), got " + nMfcc);
    }
    float[] d = new float[nMels * nMfcc];
    double scale = Math.sqrt(2.0 / nMels);
    for (int n = 0; n < nMels; n++) {
      for (int k = 0; k < nMfcc; k++) {
        double v = scale * Math.cos(Math.PI / nMels * (n + 0.5) * k);
        d[n * nMfcc + k] = (float) (k == 0 ? v / Math.sqrt(2.0) : v);
      }
    }
    return Tensor.wrap(d, nMels, nMfcc);
  }

  /**
   * The first {@code nMfcc} MFCCs of log-mel decibels {@code [nMels, frames]} (not modified):
   * {@code [nMfcc, frames]}, the DCT of each frame's column. Summed in double precision.
   *
   * @throws IllegalArgumentException unless {@code 1 <= nMfcc <= nMels}
   */
  public static Tensor mfcc(Tensor logMel, int nMfcc) {
    int nMels = logMel.shape().dim(0);
    int frames = logMel.shape().dim(1);
    if (nMfcc < 1 || nMfcc > nMels) {
      throw new IllegalArgumentException(
          "n_mfcc must be from 1 to n_mels (" + nMels + "), got " + nMfcc);
    }
    double scale = Math.sqrt(2.0 / nMels);
    double[][] d = new double[nMfcc][nMels];
    for (int k = 0; k < nMfcc; k++) {
      for (int n = 0; n < nMels; n++) {
        double v = scale * Math.cos(Math.PI / nMels * (n + 0.5) * k);
        d[k][n] = k == 0 ? v / Math.sqrt(2.0) : v;
      }
    }
    float[] x = logMel.data();
    float[] out = new float[nMfcc * frames];
    for (int k = 0; k < nMfcc; k++) {
      for (int t = 0; t < frames; t++) {
        double s = 0;
        for (int n = 0; n < nMels; n++) {
          s += d[k][n] * x[n * frames + t];
        }
        out[k * frames + t] = (float) s;
      }
    }
    return Tensor.wrap(out, nMfcc, frames);
  }
}
