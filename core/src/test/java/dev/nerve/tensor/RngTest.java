package dev.nerve.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.Init;
import org.junit.jupiter.api.Test;

class RngTest {
  @Test
  void sameSeedSameSequenceAndStateResumes() {
    Rng a = new Rng(42);
    Rng b = new Rng(42);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.nextLong(), b.nextLong());
    }
    Rng c = Rng.fromState(a.state());
    assertEquals(a.nextFloat(), c.nextFloat());
    assertNotEquals(new Rng(1).nextLong(), new Rng(2).nextLong());
  }

  @Test
  void uniformAndGaussianHaveTheRightMoments() {
    Rng r = new Rng(7);
    int n = 200_000;
    double sum = 0;
    double sq = 0;
    double gs = 0;
    double gq = 0;
    for (int i = 0; i < n; i++) {
      float u = r.nextFloat();
      assertTrue(u >= 0f && u < 1f);
      sum += u;
      sq += u * u;
      double g = r.nextGaussian();
      gs += g;
      gq += g * g;
    }
    assertEquals(0.5, sum / n, 0.005);
    assertEquals(1.0 / 12, sq / n - (sum / n) * (sum / n), 0.002);
    assertEquals(0.0, gs / n, 0.01);
    assertEquals(1.0, gq / n, 0.01);
  }

  @Test
  void nextIntIsInRangeAndUnbiased() {
    Rng r = new Rng(3);
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) {
      counts[r.nextInt(7)]++;
    }
    for (int c : counts) {
      assertEquals(10_000, c, 400);
    }
  }

  @Test
  void shuffleIsAPermutationAndSeeded() {
    int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    int[] b = a.clone();
    new Rng(5).shuffleInPlace(a);
    new Rng(5).shuffleInPlace(b);
    assertArrayEquals(a, b);
    int[] sorted = a.clone();
    java.util.Arrays.sort(sorted);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
  }

  @Test
  void initialisersRespectTheirBoundsAndScales() {
    Tensor t = Tensor.zeros(200, 300);
    Init.uniform(0f, 1f).fillInPlace(t, 200, 300, new Rng(1));
    for (float v : t.data()) {
      assertTrue(v >= 0f && v < 1f);
    }
    Init.xavierUniform().fillInPlace(t, 200, 300, new Rng(2));
    float a = (float) Math.sqrt(6.0 / 500);
    double var = 0;
    for (float v : t.data()) {
      assertTrue(Math.abs(v) <= a);
      var += v * v;
    }
    assertEquals(a * a / 3, var / t.size(), a * a / 3 * 0.03);
    Init.heNormal().fillInPlace(t, 200, 300, new Rng(3));
    var = 0;
    for (float v : t.data()) {
      var += v * v;
    }
    assertEquals(2.0 / 200, var / t.size(), 2.0 / 200 * 0.03);
    Tensor u = Tensor.zeros(200, 300);
    Init.heNormal().fillInPlace(u, 200, 300, new Rng(3));
    assertArrayEquals(t.data(), u.data(), "same seed, same values");
  }

  @Test
  void initialisersByNameAsInNetworkJson() {
    for (String n :
        new String[] {
          "zeros", "uniform", "normal", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"
        }) {
      assertEquals(n, Init.named(n).name());
    }
    Tensor t = Tensor.zeros(50, 40);
    Init.named("uniform").fillInPlace(t, 50, 40, new Rng(1));
    for (float v : t.data()) {
      assertTrue(v >= 0f && v < 1f, "uniform is the tutorials' [0, 1)");
    }
    Init.named("zeros").fillInPlace(t, 50, 40, new Rng(1));
    assertEquals(0.0, t.sum());
    Init.constant(0.5f).fillInPlace(t, 50, 40, new Rng(1));
    assertEquals(1000.0, t.sum());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Init.named("glorot"));
    assertTrue(e.getMessage().contains("unknown init 'glorot'"), e.getMessage());
  }
}
