package dev.nerve.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/**
 * Values computed by hand (and matching numpy/PyTorch definitions), and every gradient against the
 * shared central-difference check.
 */
class LossTest {
  private final Tensor p = Tensor.of(new float[][] {{0.2f, 0.9f}, {0.6f, 0.4f}});
  private final Tensor t = Tensor.of(new float[][] {{0f, 1f}, {1f, 0f}});

  @Test
  void tutorialOneHalfSquaredError() {
    // 0.5 * (0.04 + 0.01 + 0.16 + 0.16)
    assertEquals(0.185, new HalfSquaredError().value(p, t), 1e-6);
    Tensor g = new HalfSquaredError().gradient(p, t);
    assertEquals(-0.4f, g.get(1, 0), 1e-7); // prediction - target = -(tutorial's E)
    GradientCheck.checkLoss(new HalfSquaredError(), p.copy(), t);
  }

  @Test
  void tutorialTwoSumOfSquares() {
    assertEquals(0.37, new SumSquaredError().value(p, t), 1e-6);
    assertEquals(-0.8f, new SumSquaredError().gradient(p, t).get(1, 0), 1e-6);
    GradientCheck.checkLoss(new SumSquaredError(), p.copy(), t);
  }

  @Test
  void meanSquaredErrorAveragesOverElements() {
    assertEquals(0.37 / 4, new MeanSquaredError().value(p, t), 1e-6);
    GradientCheck.checkLoss(new MeanSquaredError(), p.copy(), t);
  }

  @Test
  void binaryCrossEntropy() {
    double expected = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.6) + Math.log(0.6)) / 4;
    assertEquals(expected, new BinaryCrossEntropy().value(p, t), 1e-6);
    GradientCheck.checkLoss(new BinaryCrossEntropy(), p.copy(), t);
    double saturated =
        new BinaryCrossEntropy()
            .value(Tensor.of(new float[][] {{0f}}), Tensor.of(new float[][] {{1f}}));
    assertTrue(Double.isFinite(saturated) && saturated > 15, "clamped, finite: " + saturated);
  }

  @Test
  void softmaxCrossEntropyIsLogSumExpMinusTheTargetLogit() {
    Tensor z = Tensor.of(new float[][] {{1f, 2f, 3f}, {0.5f, -1f, 0f}});
    Tensor y = Tensor.of(new float[][] {{0f, 0f, 1f}, {1f, 0f, 0f}});
    double r0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    double r1 = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(0)) - 0.5;
    assertEquals((r0 + r1) / 2, new SoftmaxCrossEntropy().value(z, y), 1e-6);
    GradientCheck.checkLoss(new SoftmaxCrossEntropy(), z.copy(), y);
    GradientCheck.checkLoss(
        new SoftmaxCrossEntropy(),
        Tensor.uniform(new Rng(5), -3f, 3f, 4, 7),
        Tensor.uniform(new Rng(6), 0f, 1f, 4, 7));
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    Tensor z = Tensor.of(new float[][] {{10000f, 0f}, {-10000f, 0f}});
    Tensor y = Tensor.of(new float[][] {{1f, 0f}, {1f, 0f}});
    double v = new SoftmaxCrossEntropy().value(z, y);
    assertEquals(5000.0, v, 1e-3);
    Tensor g = new SoftmaxCrossEntropy().gradient(z, y);
    assertTrue(g.allFinite());
    assertEquals(-0.5f, g.get(1, 0), 1e-6);
  }

  @Test
  void shapeMismatchNamesTheLossAndBothShapes() {
    ShapeMismatchException e =
        assertThrows(
            ShapeMismatchException.class,
            () -> new MeanSquaredError().value(Tensor.zeros(3, 1), Tensor.zeros(3, 2)));
    assertEquals("MeanSquaredError(): prediction [3, 1] and target [3, 2] differ", e.getMessage());
  }

  @Test
  void namesRoundTrip() {
    for (String n :
        new String[] {
          "half_squared_error",
          "sum_squared_error",
          "mse",
          "binary_cross_entropy",
          "softmax_cross_entropy"
        }) {
      assertEquals(n, Loss.named(n).name());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Loss.named("l2"));
    assertTrue(e.getMessage().contains("known: half_squared_error"), e.getMessage());
  }
}
