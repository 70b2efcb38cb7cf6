package dev.nerve.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.testing.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resampling against torchaudio's kernel-and-convolution form written in numpy. */
class ResamplerTest {
  @Test
  void matchesTorchaudiosFormula() throws Exception {
    Map<?, ?> ref = SpectrogramTest.reference();
    for (Object o : (List<?>) ref.get("resample")) {
      Map<?, ?> c = (Map<?, ?>) o;
      int from = SpectrogramTest.integer(c, "from");
      int to = SpectrogramTest.integer(c, "to");
      float[] x =
          Arrays.copyOf(
              SpectrogramTest.floats(ref.get((String) c.get("input"))),
              SpectrogramTest.integer(c, "length"));
      float[] y = Resampler.resample(x, from, to);
      double[] want = Reference.flat(c.get("output"));
      assertEquals(want.length, y.length, from + " -> " + to + " length");
      assertEquals(want.length, new Resampler(from, to).outputLength(x.length));
      for (int i = 0; i < want.length; i++) {
        assertEquals(
            want[i], y[i], 2e-7 + 1e-6 * Math.abs(want[i]), from + " -> " + to + "[" + i + "]");
      }
    }
  }

  @Test
  void sameRateIsACopyAndLengthsRoundUp() {
    float[] x = {1, 2, 3};
    float[] y = Resampler.resample(x, 16000, 16000);
    assertArrayEquals(x, y);
    assertNotSame(x, y);
    Resampler r = new Resampler(22050, 16000);
    assertEquals(16000, r.outputLength(22050));
    assertEquals(1, r.outputLength(1));
    assertEquals(0, r.outputLength(0));
    assertEquals(0, r.apply(new float[0]).length);
    assertEquals(726, r.outputLength(1000)); // ceil(1000 * 16000 / 22050) = ceil(725.6)
  }

  @Test
  void theTableAndTheDirectFormulaGiveTheSameBits() {
    float[] x = new float[3000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.01) * (i % 7 == 0 ? 1 : 0.5f);
    }
    for (int[] r : new int[][] {{22050, 16000}, {16000, 16001}, {8000, 44100}}) {
      float[] table = new Resampler(r[0], r[1], 6, 0.99, true).apply(x);
      float[] direct = new Resampler(r[0], r[1], 6, 0.99, false).apply(x);
      assertArrayEquals(table, direct, r[0] + " -> " + r[1]);
    }
    // 1,000,000 phases of 15 weights: over the table's limit, so computed per sample.
    float[] c = new Resampler(999_983, 1_000_000).apply(Arrays.copyOf(x, 50));
    assertEquals(51, c.length);
    assertArrayEquals(Arrays.copyOf(x, 50), Arrays.copyOf(c, 50), 0.02f);
  }

  @Test
  void keepsALowToneAndRemovesOneAboveTheNewNyquist() {
    int from = 48000;
    int to = 16000;
    float[] low = tone(1000, from, 4800);
    float[] high = tone(12000, from, 4800);
    double lowRms = rms(Resampler.resample(low, from, to));
    double highRms = rms(Resampler.resample(high, from, to));
    assertEquals(Math.sqrt(0.5), lowRms, 0.01);
    assertEquals(0, highRms, 0.01);
  }

  private static float[] tone(double hz, int rate, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
    }
    return x;
  }

  private static double rms(float[] x) {
    // The middle, away from the edges where the signal starts from zero.
    double s = 0;
    int from = x.length / 4;
    int to = 3 * x.length / 4;
    for (int i = from; i < to; i++) {
      s += x[i] * x[i];
    }
    return Math.sqrt(s / (to - from));
  }

  @Test
  void refusesBadSettings() {
    assertEquals(
        "sample rate must be from 1 to 1000000 Hz, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 16000)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Resampler(16000, 2_000_000));
    assertThrows(IllegalArgumentException.class, () -> new Resampler(16000, 8000, 0, 0.99));
    assertThrows(IllegalArgumentException.class, () -> new Resampler(16000, 8000, 6, 1.5));
  }
}
