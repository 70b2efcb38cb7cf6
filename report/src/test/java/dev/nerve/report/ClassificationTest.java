package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationTest {

  private static final List<String> ABC = List.of("a", "b", "c");

  @Test
  void metricsFollowFromTheConfusionMatrix() {
    // rows = true class, columns = predicted
    long[][] m = {{8, 2, 0}, {1, 6, 3}, {0, 0, 0}};
    Classification c = Classification.of("test", ABC, m);
    assertEquals(14.0 / 20, c.accuracy(), 1e-12);
    assertEquals(8.0 / 9, c.precision()[0], 1e-12);
    assertEquals(6.0 / 8, c.precision()[1], 1e-12);
    assertEquals(0.0, c.precision()[2], 1e-12); // predicted 3 times, never right
    assertEquals(8.0 / 10, c.recall()[0], 1e-12);
    assertEquals(6.0 / 10, c.recall()[1], 1e-12);
    assertTrue(Double.isNaN(c.recall()[2]), "class c never occurs: recall undefined");
    double p = 8.0 / 9;
    double r = 0.8;
    assertEquals(2 * p * r / (p + r), c.f1()[0], 1e-12);
    assertTrue(Double.isNaN(c.f1()[2]));
    assertEquals(10, c.support(0));
    assertEquals(0, c.support(2));
  }

  @Test
  void sizesMustMatchTheClassNames() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Classification.of("t", ABC, new long[][] {{1, 0}, {0, 1}}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Classification.of("t", ABC, new long[][] {{1, 0, 0}, {0, 1}, {0, 0, 1}}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Classification.of("t", ABC, new long[][] {{1, 0, 0}, {0, -1, 0}, {0, 0, 1}}));
    long[][] ok = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Classification("t", ABC, ok, 1, new double[2], new double[3], new double[3]));
    assertTrue(e.getMessage().contains("precision has 2 values"), e.getMessage());
  }

  @Test
  void arraysAreCopiedAndCompareByValue() {
    long[][] m = {{1, 2}, {3, 4}};
    Classification c = Classification.of(null, List.of("x", "y"), m);
    m[0][0] = 100;
    c.confusion()[0][0] = 100;
    assertEquals(1, c.confusion()[0][0]);
    assertEquals(Classification.of(null, List.of("x", "y"), new long[][] {{1, 2}, {3, 4}}), c);
  }
}
