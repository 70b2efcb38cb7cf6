package dev.nerve.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every loss on {@code [batch, time, outputs]} with a mask: padded steps count in neither the value
 * nor the gradient, the value is the loss of the real steps alone, and slices of a batch give
 * gradients that add up to the batch's.
 */
class SequenceLossTest {
  private static final List<Loss> ALL =
      List.of(
          new HalfSquaredError(),
          new SumSquaredError(),
          new MeanSquaredError(),
          new BinaryCrossEntropy(),
          new SoftmaxCrossEntropy());

  /** Two sequences of three steps of four outputs; the first has 2 real steps, the second 1. */
  private static final Tensor MASK = Tensor.of(new float[][] {{1, 1, 0}, {1, 0, 0}});

  private static Tensor predictions(long seed) {
    return Tensor.uniform(new Rng(seed), 0.05f, 0.95f, 2, 3, 4);
  }

  /** One-hot targets (classes for cross-entropy; 0/1 values for the others). */
  private static Tensor targets(long seed) {
    Rng r = new Rng(seed);
    Tensor t = Tensor.zeros(2, 3, 4);
    for (int p = 0; p < 6; p++) {
      t.data()[p * 4 + r.nextInt(4)] = 1f;
    }
    return t;
  }

  /** The real steps alone, as a matrix of rows. */
  private static Tensor realRows(Tensor t) {
    int[] rows = {0, 1, 3};
    Tensor out = Tensor.zeros(3, 4);
    for (int k = 0; k < 3; k++) {
      System.arraycopy(t.data(), rows[k] * 4, out.data(), k * 4, 4);
    }
    return out;
  }

  @Test
  void everyMaskedGradientPassesTheCentralDifferenceCheck() {
    for (Loss loss : ALL) {
      GradientCheck.checkLoss(loss, predictions(1), targets(2), MASK);
    }
  }

  @Test
  void theMaskedValueIsTheLossOfTheRealStepsAlone() {
    Tensor p = predictions(3);
    Tensor t = targets(4);
    for (Loss loss : ALL) {
      double masked = loss.value(p, t, MASK);
      double rows = loss.value(realRows(p), realRows(t));
      assertEquals(rows, masked, 1e-12 * Math.max(1, Math.abs(rows)), loss.toString());
      assertEquals(loss.terms(realRows(p), null), loss.terms(p, MASK), loss.toString());
    }
  }

  @Test
  void paddedStepsChangeNeitherTheValueNorTheGradient() {
    Tensor p = predictions(5);
    Tensor t = targets(6);
    Tensor p2 = p.copy();
    Tensor t2 = t.copy();
    for (int pos : new int[] {2, 4, 5}) { // the padded positions
      for (int c = 0; c < 4; c++) {
        p2.data()[pos * 4 + c] = 0.5f + 0.1f * c;
        t2.data()[pos * 4 + c] = c == 3 ? 1f : 0f;
      }
    }
    for (Loss loss : ALL) {
      assertEquals(loss.value(p, t, MASK), loss.value(p2, t2, MASK), 0.0, loss.toString());
      Tensor g = Tensor.zeros(2, 3, 4);
      Tensor g2 = Tensor.zeros(2, 3, 4);
      loss.gradient(p, t, MASK, g, loss.terms(p, MASK));
      loss.gradient(p2, t2, MASK, g2, loss.terms(p2, MASK));
      for (int i = 0; i < g.size(); i++) {
        assertEquals(g.data()[i], g2.data()[i], 0f, loss + " element " + i);
        if (MASK.data()[i / 4] == 0f) {
          assertEquals(0f, g.data()[i], loss + " padded element " + i);
        }
      }
    }
  }

  @Test
  void slicesOfABatchGiveGradientsThatAddUpToTheBatchs() {
    Tensor p = predictions(7);
    Tensor t = targets(8);
    for (Loss loss : ALL) {
      long whole = loss.terms(p, MASK);
      Tensor g = Tensor.zeros(2, 3, 4);
      loss.gradient(p, t, MASK, g, whole);
      double sum = 0;
      for (int s = 0; s < 2; s++) {
        Tensor ps = slice(p, s);
        Tensor ts = slice(t, s);
        Tensor ms = slice(MASK, s);
        Tensor gs = Tensor.zeros(1, 3, 4);
        loss.gradient(ps, ts, ms, gs, whole);
        for (int i = 0; i < 12; i++) {
          assertEquals(g.data()[s * 12 + i], gs.data()[i], 0f, loss + " slice " + s);
        }
        sum += loss.sum(ps, ts, ms);
      }
      assertEquals(loss.sum(p, t, MASK), sum, 1e-12 * Math.abs(sum), loss.toString());
    }
  }

  private static Tensor slice(Tensor t, int example) {
    int[] d = t.shape().dims();
    int per = t.size() / d[0];
    d[0] = 1;
    Tensor out = Tensor.zeros(d);
    System.arraycopy(t.data(), example * per, out.data(), 0, per);
    return out;
  }

  @Test
  void aMaskOfTheWrongSizeIsRefusedNamingBothShapes() {
    Tensor wrong = Tensor.zeros(2, 2);
    for (Loss loss : ALL) {
      ShapeMismatchException e =
          assertThrows(
              ShapeMismatchException.class, () -> loss.value(predictions(1), targets(1), wrong));
      assertTrue(e.getMessage().contains("mask [2, 2]"), e.getMessage());
      assertTrue(e.getMessage().contains("prediction [2, 3, 4]"), e.getMessage());
    }
  }
}
