package dev.nerve.audio;

import dev.nerve.tensor.Tensor;

/**
 * The power spectrogram of a signal, {@code |STFT|^2}, framed as {@code torch.stft} and
 * torchaudio's {@code Spectrogram(power=2)} frame it.
 *
 * <p>The signal is padded by {@code n_fft / 2} samples on both sides by reflection ({@code
 * center=True, pad_mode="reflect"}: {@code x[2], x[1] | x[0], x[1], ... }), so that frame {@code t}
 * is centred on sample {@code t * hop_length}; there are {@code 1 + (n + 2 * (n_fft / 2) - n_fft) /
 * hop_length} frames ({@code 1 + n / hop_length} for an even {@code n_fft}). Each frame of {@code
 * n_fft} samples is multiplied by a periodic Hann window of {@code win_length} ({@code
 * torch.hann_window}'s default) placed in the middle of {@code n_fft} zeros, transformed, and its
 * {@code n_fft / 2 + 1} non-negative frequencies kept as {@code re^2 + im^2}; bin {@code k} is the
 * frequency {@code k * sample_rate / n_fft}. No normalisation.
 *
 * <p>Where torch refuses, this class goes on: a signal of {@code n_fft / 2} samples or fewer is too
 * short to reflect, and is padded with zeros instead; a padded signal shorter than {@code n_fft}
 * (only possible for an odd {@code n_fft} and an empty signal) is zero-filled to one frame. So
 * every signal, even an empty one, has at least one frame.
 *
 * <p>The arithmetic is in double precision (see {@link Fft} for any {@code n_fft}, power of two or
 * not); the result is float.
 *
 * <pre>{@code
 * Spectrogram s = new Spectrogram(512, 160, 400);   // n_fft, hop_length, win_length
 * Tensor p = s.power(samples);                       // [257, 1 + samples.length / 160]
 * }</pre>
 */
public final class Spectrogram {
  /** The largest {@code n_fft} and {@code hop_length}, 65536. */
  public static final int MAX_SIZE = 1 << 16;

  private final int nFft;
  private final int hopLength;
  private final int winLength;
  private final double[] window; // n_fft values: the Hann window centred in zeros

  /**
   * A spectrogram of frames of {@code nFft} samples every {@code hopLength}, windowed by a periodic
   * Hann window of {@code winLength}.
   *
   * @throws IllegalArgumentException if {@code nFft} is outside [2, 65536], {@code hopLength}
   *     outside [1, 65536] or {@code winLength} outside [1, nFft]
   */
  public Spectrogram(int nFft, int hopLength, int winLength) {
    if (nFft < 2 || nFft > MAX_SIZE) {
      throw new IllegalArgumentException("n_fft must be from 2 to " + MAX_SIZE + ", got " + nFft);
    }
    if (hopLength < 1 || hopLength > MAX_SIZE) {
      throw new IllegalArgumentException(
          "hop_length must be from 1 to " + MAX_SIZE + ", got " + hopLength);
    }
    if (winLength < 1 || winLength > nFft) {
      throw new IllegalArgumentException(
          "win_length must be from 1 to n_fft (" + nFft + "), got " + winLength);
    }
    this.nFft = nFft;
    this.hopLength = hopLength;
    this.winLength = winLength;
    this.window = new double[nFft];
    int left = (nFft - winLength) / 2; // as torch.stft pads a shorter window
    double[] hann = hann(winLength);
    System.arraycopy(hann, 0, window, left, winLength);
  }

  /** The samples per frame, {@code n_fft}. */
  public int nFft() {
    return nFft;
  }

  /** The samples between the starts of two frames. */
  public int hopLength() {
    return hopLength;
  }

  /** The length of the Hann window inside each frame. */
  public int winLength() {
    return winLength;
  }

  /** The number of frequency bins, {@code n_fft / 2 + 1}. */
  public int bins() {
    return nFft / 2 + 1;
  }

  /** The number of frames of a signal of {@code samples} samples (at least 1). */
  public int frames(int samples) {
    long padded = (long) samples + 2L * (nFft / 2);
    return padded < nFft ? 1 : (int) (1 + (padded - nFft) / hopLength);
  }

  /**
   * The periodic Hann window of {@code length}, {@code 0.5 - 0.5 cos(2 pi k / length)}, as {@code
   * torch.hann_window(length)}: the symmetric window of {@code length + 1} without its last value.
   *
   * @throws IllegalArgumentException if {@code length < 1}
   */
  public static float[] hannWindow(int length) {
    double[] h = hann(length);
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) h[i];
    }
    return out;
  }

  private static double[] hann(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a window needs at least 1 value, got " + length);
    }
    double[] w = new double[length];
    if (length == 1) {
      w[0] = 1.0; // torch.hann_window(1) is [1]
      return w;
    }
    for (int i = 0; i < length; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / length);
    }
    return w;
  }

  /**
   * The power spectrogram of {@code signal} (not modified): {@code [bins(), frames(n)]}, frequency
   * bins as rows and frames as columns (torchaudio's layout).
   *
   * @throws IllegalArgumentException if the result would not fit a Java array
   */
  public Tensor power(float[] signal) {
    int n = signal.length;
    int pad = nFft / 2;
    int frames = frames(n);
    int bins = bins();
    if ((long) frames * bins > Integer.MAX_VALUE - 8 || (long) n + nFft > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a spectrogram of " + frames + " frames of " + bins + " bins is too large");
    }
    int length = Math.max(nFft, n + 2 * pad);
    double[] padded = new double[length];
    for (int i = 0; i < n; i++) {
      padded[pad + i] = signal[i];
    }
    if (n > pad) { // reflection needs pad <= n - 1; a shorter signal keeps its zeros
      for (int i = 0; i < pad; i++) {
        padded[i] = signal[pad - i];
        padded[pad + n + i] = signal[n - 2 - i];
      }
    }
    float[] out = new float[frames * bins];
    Fft fft = new Fft(nFft);
    double[] re = new double[nFft];
    double[] im = new double[nFft];
    for (int t = 0; t < frames; t++) {
      int start = t * hopLength;
      for (int k = 0; k < nFft; k++) {
        re[k] = padded[start + k] * window[k];
        im[k] = 0.0;
      }
      fft.transform(re, im);
      for (int k = 0; k < bins; k++) {
        out[k * frames + t] = (float) (re[k] * re[k] + im[k] * im[k]);
      }
    }
    return Tensor.wrap(out, bins, frames);
  }

  /** Like {@code Spectrogram(n_fft=512, hop_length=160, win_length=400)}. */
  @Override
  public String toString() {
    return "Spectrogram(n_fft="
        + nFft
        + ", hop_length="
        + hopLength
        + ", win_length="
        + winLength
        + ")";
  }
}
