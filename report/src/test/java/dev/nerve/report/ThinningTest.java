package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThinningTest {

  private static double[][] noisy(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = 1 + r.nextGaussian() * 0.1;
    }
    return new double[][] {x, y};
  }

  @Test
  void shortSeriesIsReturnedAsItIs() {
    double[][] xy = noisy(2000, 1);
    double[][] out = Thinning.minMax(xy[0], xy[1], 2000);
    assertSame(xy[0], out[0]);
    assertSame(xy[1], out[1]);
  }

  @Test
  void longSeriesKeepsEndsAndExtremesWithinTheLimit() {
    double[][] xy = noisy(10_000, 2);
    xy[1][4321] = 50; // a spike
    xy[1][777] = -50; // a dip
    double[][] out = Thinning.minMax(xy[0], xy[1], 2000);
    assertTrue(out[0].length <= 2000, "kept " + out[0].length);
    assertTrue(out[0].length >= 1900, "kept " + out[0].length);
    assertEquals(1, out[0][0]);
    assertEquals(10_000, out[0][out[0].length - 1]);
    assertEquals(xy[1][0], out[1][0]);
    assertEquals(xy[1][9_999], out[1][out[1].length - 1]);
    assertEquals(50, Arrays.stream(out[1]).max().getAsDouble());
    assertEquals(-50, Arrays.stream(out[1]).min().getAsDouble());
    for (int i = 1; i < out[0].length; i++) {
      assertTrue(out[0][i] > out[0][i - 1], "x must stay in order at " + i);
    }
    for (int i = 0; i < out[0].length; i++) {
      int j = (int) out[0][i] - 1;
      assertEquals(xy[1][j], out[1][i], "every kept point is an original point");
    }
  }

  @Test
  void gapsSurviveThinning() {
    double[][] xy = noisy(9_000, 3);
    for (int i = 4000; i < 4010; i++) {
      xy[0][i] = Double.NaN;
      xy[1][i] = Double.NaN;
    }
    double[][] out = Thinning.minMax(xy[0], xy[1], 2000);
    assertTrue(out[0].length <= 2000, "kept " + out[0].length);
    long gaps = Arrays.stream(out[1]).filter(Double::isNaN).count();
    assertTrue(gaps >= 1, "the gap must stay a gap");
  }

  @Test
  void tinyLimitIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Thinning.minMax(new double[9], new double[9], 4));
  }

  @Test
  void logAxisLabelsAreShortAndRound() {
    assertEquals("0.5", CompactFormat.label(0.5));
    assertEquals("0.3", CompactFormat.label(3 * Math.pow(10, -1)));
    assertEquals("100", CompactFormat.label(100));
    assertEquals("0.002", CompactFormat.label(0.002));
    assertEquals("1e-5", CompactFormat.label(1e-5));
    assertEquals("2.5e6", CompactFormat.label(2.5e6));
    assertEquals("0", CompactFormat.label(0));
  }
}
