package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Normalisation statistics and their application. */
class NormalizerTest {
  private static final Features X =
      Features.of(Tensor.of(new float[][] {{1, 10, 5}, {3, 20, 5}, {5, 60, 5}}));

  @Test
  void standardizeGivesMeanZeroAndUnitPopulationDeviation() {
    Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, X);
    assertArrayEquals(new float[] {3, 30, 5}, n.offsets());
    // Population standard deviations (as scikit-learn's StandardScaler): sqrt(8/3), sqrt(1400/3).
    assertEquals(1 / Math.sqrt(8.0 / 3), n.factors()[0], 1e-6);
    assertEquals(1 / Math.sqrt(1400.0 / 3), n.factors()[1], 1e-7);
    assertEquals(1f, n.factors()[2], "a constant column is only shifted");
    float[] z = X.normalized(n).toTensor().data();
    assertEquals(0, z[0] + z[3] + z[6], 1e-6);
    assertEquals(3, z[0] * z[0] + z[3] * z[3] + z[6] * z[6], 1e-5);
    assertEquals(0f, z[2]);
  }

  @Test
  void minMaxMapsTrainingRangeToUnitInterval() {
    Normalizer n = Normalizer.fit(Normalizer.Kind.MIN_MAX, X);
    assertArrayEquals(
        new float[] {0, 0, 0, 0.5f, 0.2f, 0, 1, 1, 0}, X.normalized(n).toTensor().data(), 1e-7f);
  }

  @Test
  void scaleAndNone() {
    assertArrayEquals(
        new float[] {0.5f, 5, 2.5f},
        Features.of(Tensor.of(new float[][] {{1, 10, 5}}))
            .normalized(Normalizer.scale(0.5f))
            .toTensor()
            .data());
    assertEquals("Normalizer(scale 0.5)", Normalizer.scale(0.5f).toString());
    assertEquals(Normalizer.Kind.NONE, Normalizer.fit(Normalizer.Kind.NONE, X).kind());
  }

  @Test
  void roundTripAndValidation() {
    Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, X);
    Normalizer back = Normalizer.of(n.kind(), n.offsets(), n.factors());
    assertArrayEquals(n.factors(), back.factors());
    assertThrows(
        IllegalArgumentException.class,
        () -> Normalizer.of(Normalizer.Kind.STANDARDIZE, new float[2], new float[] {1, 1, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Normalizer.of(Normalizer.Kind.MIN_MAX, new float[] {0}, new float[] {0}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Features.of(Tensor.zeros(2, 4)).normalized(n));
    assertEquals("normalisation was fitted on 3 columns but the inputs have 4", e.getMessage());
    assertEquals(Normalizer.Kind.MIN_MAX, Normalizer.Kind.of("min-max"));
    assertThrows(IllegalArgumentException.class, () -> Normalizer.Kind.of("zscore"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Normalizer.fit(Normalizer.Kind.STANDARDIZE, Features.of(Tensor.zeros(0, 3))));
  }
}
