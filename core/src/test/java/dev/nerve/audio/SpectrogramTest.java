package dev.nerve.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The power spectrogram, mel filterbank, log-mel and MFCC against numpy implementations of
 * torchaudio's formulas ({@code reference/audio_numpy.py}), and a pure tone in its bin.
 */
class SpectrogramTest {
  /** The stored float32 values, read as floats (not through a double). */
  static float[] floats(Object list) {
    List<?> l = (List<?>) list;
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) l.get(i)).floatValue();
    }
    return f;
  }

  static Map<?, ?> reference() throws Exception {
    return Reference.json("audio_numpy.json");
  }

  static int integer(Map<?, ?> m, String key) {
    return ((Number) m.get(key)).intValue();
  }

  static double real(Map<?, ?> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  /**
   * Each value within {@code rel} of its own size plus {@code rel * 1e-3} of the largest one (a
   * float32 result of float64 arithmetic, against float64: the errors seen are about 6e-8).
   */
  static void close(String what, double[] want, float[] got, int offset, int stride, double rel) {
    double max = 0;
    for (double w : want) {
      max = Math.max(max, Math.abs(w));
    }
    for (int i = 0; i < want.length; i++) {
      double g = got[offset + i * stride];
      assertEquals(want[i], g, rel * Math.abs(want[i]) + rel * 1e-3 * max, what + "[" + i + "]");
    }
  }

  static void close(String what, Object want, float[] got, double tolerance) {
    double[] w = Reference.flat(want);
    assertEquals(w.length, got.length, what + " length");
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], tolerance, what + "[" + i + "]");
    }
  }

  @Test
  void powerSpectrogramMatchesNumpyForPowerOfTwoBluesteinAndOddSizes() throws Exception {
    Map<?, ?> ref = reference();
    float[] x = floats(ref.get("signal_16000"));
    for (Object o : (List<?>) ref.get("spectrograms")) {
      Map<?, ?> c = (Map<?, ?>) o;
      Spectrogram s =
          new Spectrogram(integer(c, "n_fft"), integer(c, "hop_length"), integer(c, "win_length"));
      Tensor p = s.power(x);
      int frames = integer(c, "total_frames");
      assertArrayEquals(new int[] {s.bins(), frames}, p.shape().dims(), s.toString());
      assertEquals(frames, s.frames(x.length));
      List<?> wanted = (List<?>) c.get("frames");
      List<?> powers = (List<?>) c.get("power");
      for (int i = 0; i < wanted.size(); i++) {
        int t = ((Number) wanted.get(i)).intValue();
        close(s + " frame " + t, Reference.flat(powers.get(i)), p.data(), t, frames, 1e-6);
      }
    }
  }

  @Test
  void filterbankLogMelAndMfccMatchNumpy() throws Exception {
    Map<?, ?> ref = reference();
    float[] x = floats(ref.get("signal_16000"));
    for (Object o : (List<?>) ref.get("features")) {
      Map<?, ?> c = (Map<?, ?>) o;
      AudioFeatures f =
          new AudioFeatures(
              integer(c, "sample_rate"),
              integer(c, "n_fft"),
              integer(c, "hop_length"),
              integer(c, "win_length"),
              integer(c, "n_mels"),
              real(c, "f_min"),
              real(c, "f_max"),
              AudioFeatures.Kind.LOG_MEL,
              integer(c, "n_mfcc"),
              0);
      if (c.containsKey("filterbank")) {
        close(f + " filterbank", c.get("filterbank"), f.filterbank().data(), 1e-6);
      }
      Tensor logMel = f.extract(x, 16000);
      assertArrayEquals(new int[] {f.nMels(), integer(c, "frames")}, logMel.shape().dims());
      // Decibels: 2e-5 dB is a relative error of 5e-6 in the power.
      close(f + " log-mel", c.get("log_mel"), logMel.data(), 2e-5);
      Tensor mfcc = f.withMfcc(f.nMfcc()).extract(x, 16000);
      assertArrayEquals(new int[] {f.nMfcc(), integer(c, "frames")}, mfcc.shape().dims());
      close(f + " mfcc", c.get("mfcc"), mfcc.data(), 5e-5);
      // The same numbers, transposed.
      Tensor byFrame = f.withMfcc(f.nMfcc()).extractFramesFirst(x, 16000);
      assertArrayEquals(new int[] {integer(c, "frames"), f.nMfcc()}, byFrame.shape().dims());
      assertEquals(mfcc.data()[2 * integer(c, "frames") + 5], byFrame.data()[5 * f.nMfcc() + 2]);
    }
  }

  @Test
  void aPureTonePeaksInItsBin() {
    int rate = 16000;
    int nFft = 512;
    for (int bin : new int[] {10, 37, 100, 200}) {
      double hz = bin * (double) rate / nFft;
      float[] x = new float[rate / 4];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
      }
      Tensor p = new Spectrogram(nFft, 160, 400).power(x);
      int frames = p.shape().dim(1);
      int t = frames / 2;
      int peak = 0;
      for (int k = 1; k < nFft / 2 + 1; k++) {
        if (p.data()[k * frames + t] > p.data()[peak * frames + t]) {
          peak = k;
        }
      }
      assertEquals(bin, peak, hz + " Hz");
      // Parseval with a Hann window: the peak holds (A/2 * sum(w))^2 = (0.25 * 200)^2.
      assertEquals(2500.0, p.data()[peak * frames + t], 2500.0 * 1e-3);
    }
    // 1 kHz in 40 mel bands: the band whose centre is nearest 1 kHz is the loudest.
    float[] x = new float[16000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 16000.0);
    }
    AudioFeatures f = AudioFeatures.defaults();
    Tensor m = f.extract(x, 16000);
    int loudest = 0;
    int t = 50;
    for (int b = 1; b < 40; b++) {
      if (m.data()[b * 101 + t] > m.data()[loudest * 101 + t]) {
        loudest = b;
      }
    }
    double step = Mel.hzToMel(8000) / 41;
    int nearest = (int) Math.round(Mel.hzToMel(1000) / step) - 1;
    assertEquals(nearest, loudest);
  }

  @Test
  void shortSignalsArePaddedWithZerosAndStillHaveAFrame() {
    Spectrogram s = new Spectrogram(512, 160, 400);
    assertEquals(1, s.frames(0));
    assertArrayEquals(new int[] {257, 1}, s.power(new float[0]).shape().dims());
    for (float v : s.power(new float[0]).data()) {
      assertEquals(0f, v);
    }
    // 100 samples cannot be reflected by 256: zeros around them instead.
    float[] x = new float[100];
    x[0] = 1;
    Tensor p = s.power(x);
    assertEquals(1, p.shape().dim(1));
    // One impulse at sample 256 of the frame: a flat spectrum of w[256]^2.
    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * (256 - 56) / 400);
    for (int k = 0; k < 257; k++) {
      assertEquals(w * w, p.data()[k], 1e-6);
    }
    Spectrogram odd = new Spectrogram(5, 1, 5);
    assertEquals(1, odd.frames(0));
    assertEquals(3, odd.frames(3));
    // 3 samples reflect by 2: [x2, x1, x0, x1, x2, x1, x0].
    assertEquals(3, odd.power(new float[] {1, 2, 3}).shape().dim(1));
  }

  @Test
  void hannWindowIsPeriodic() {
    assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.5f}, Spectrogram.hannWindow(4), 1e-7f);
    assertArrayEquals(new float[] {1f}, Spectrogram.hannWindow(1));
  }

  @Test
  void fftOfEverySizeMatchesTheDefinition() {
    for (int n = 1; n <= 70; n++) {
      checkFft(n);
    }
    checkFft(400);
    checkFft(1021); // prime
    checkFft(1024);
  }

  private static void checkFft(int n) {
    double[] re = new double[n];
    double[] im = new double[n];
    java.util.Random r = new java.util.Random(n);
    for (int i = 0; i < n; i++) {
      re[i] = r.nextGaussian();
      im[i] = r.nextGaussian();
    }
    double[] wr = new double[n];
    double[] wi = new double[n];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        double a = -2 * Math.PI * ((long) k * j % n) / n;
        wr[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
        wi[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
      }
    }
    new Fft(n).transform(re, im);
    for (int k = 0; k < n; k++) {
      assertEquals(wr[k], re[k], 1e-9 * Math.sqrt(n) * 10, "n=" + n + " re[" + k + "]");
      assertEquals(wi[k], im[k], 1e-9 * Math.sqrt(n) * 10, "n=" + n + " im[" + k + "]");
    }
  }

  @Test
  void melScaleAndDctAreTheFormulas() {
    assertEquals(1000.0, Mel.melToHz(Mel.hzToMel(1000.0)), 1e-9);
    assertEquals(2595 * Math.log10(1 + 1000 / 700.0), Mel.hzToMel(1000), 1e-12);
    // The orthonormal DCT over all bands is orthogonal: D^T D = I.
    Tensor d = Mel.dct(8, 8);
    Tensor dtd = Tensor.matmul(d, true, d, false);
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        assertEquals(i == j ? 1f : 0f, dtd.data()[i * 8 + j], 1e-6);
      }
    }
    assertEquals(-100f, Mel.decibels(Tensor.of(0f)).data()[0]);
    assertEquals(20f, Mel.decibels(Tensor.of(100f)).data()[0], 1e-6);
    assertThrows(IllegalArgumentException.class, () -> Mel.dct(9, 8));
    assertThrows(IllegalArgumentException.class, () -> Mel.filterbank(10, 100, 50, 4, 16000));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Mel.apply(Mel.filterbank(10, 0, 8000, 4, 16000), Tensor.zeros(11, 3)));
    assertTrue(e.getMessage().contains("[10, frames]"), e.getMessage());
  }
}
