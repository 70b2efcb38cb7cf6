package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesAndChartTest {

  @Test
  void seriesOfUnequalLengthsIsRejectedNamingBothLengths() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Series("train", new double[3], new double[2]));
    assertTrue(e.getMessage().contains("'train'"), e.getMessage());
    assertTrue(e.getMessage().contains("3 x values but 2 y values"), e.getMessage());
  }

  @Test
  void seriesRejectsNulls() {
    assertThrows(NullPointerException.class, () -> new Series(null, new double[1], new double[1]));
    assertThrows(NullPointerException.class, () -> new Series("a", null, new double[1]));
    assertThrows(NullPointerException.class, () -> new Series("a", new double[1], null));
    assertThrows(NullPointerException.class, () -> Series.of("a", null));
  }

  @Test
  void seriesOfCountsFromOneAndNaNIsAllowed() {
    Series s = Series.of("loss", new double[] {0.5, Double.NaN, 0.25});
    assertArrayEquals(new double[] {1, 2, 3}, s.x());
    assertEquals(3, s.size());
    assertTrue(Double.isNaN(s.y()[1]));
  }

  @Test
  void seriesIsImmutableAndComparesByValue() {
    double[] y = {1, 2, 3};
    Series s = Series.of("a", y);
    y[0] = 99;
    s.y()[1] = 99;
    assertArrayEquals(new double[] {1, 2, 3}, s.y());
    assertEquals(Series.of("a", new double[] {1, 2, 3}), s);
    assertEquals(Series.of("a", new double[] {1, 2, 3}).hashCode(), s.hashCode());
    assertNotEquals(Series.of("b", new double[] {1, 2, 3}), s);
    assertEquals(
        Series.of("n", new double[] {Double.NaN}), Series.of("n", new double[] {Double.NaN}));
  }

  @Test
  void chartRejectsNullsAndDuplicateNames() {
    Series a = Series.of("a", new double[] {1});
    assertThrows(NullPointerException.class, () -> new Chart(null, "x", "y", List.of(a), false));
    assertThrows(NullPointerException.class, () -> new Chart("t", null, "y", List.of(a), false));
    assertThrows(NullPointerException.class, () -> new Chart("t", "x", null, List.of(a), false));
    assertThrows(NullPointerException.class, () -> new Chart("t", "x", "y", null, false));
    List<Series> withNull = new ArrayList<>(Arrays.asList(a, null));
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> new Chart("t", "x", "y", withNull, false));
    assertTrue(npe.getMessage().contains("series 1"), npe.getMessage());
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Chart("t", "x", "y", List.of(a, Series.of("a", new double[] {2})), false));
    assertTrue(dup.getMessage().contains("two series named 'a'"), dup.getMessage());
  }

  @Test
  void chartCopiesItsList() {
    List<Series> list = new ArrayList<>(List.of(Series.of("a", new double[] {1})));
    Chart c = new Chart("t", "x", "y", list, false);
    list.add(Series.of("b", new double[] {2}));
    assertEquals(1, c.series().size());
    assertThrows(UnsupportedOperationException.class, () -> c.series().clear());
  }
}
