package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ParameterTest {
  @Test
  void aClearedGradientReadsAsZerosUntilSomeoneTakesIt() {
    Parameter p = new Parameter("w", Tensor.zeros(2, 2));
    p.grad().data()[0] = 5f;
    p.zeroGradInPlace();
    assertArrayEquals(new float[4], p.grad().data(), "read: zeros");
    assertFalse(p.takeZeroGrad(), "already materialised: add to it");

    p.grad().data()[1] = 3f;
    p.zeroGradInPlace();
    assertTrue(p.takeZeroGrad(), "cleared and untouched: the caller overwrites");
    assertFalse(p.takeZeroGrad(), "taken once");
    assertArrayEquals(
        new float[] {0, 3, 0, 0}, p.grad().data(), "not filled: the owner overwrites every value");
  }

  @Test
  void twoBackwardPassesAddUpAndOneAfterClearingStartsAfresh() {
    // Dense and Conv2d write a freshly cleared gradient instead of adding to zeros; a second
    // backward before clearing must still add.
    for (Layer layer : new Layer[] {new Dense(3, 2), new Conv2d(1, 2, 3, 1, 1)}) {
      Sequential net =
          layer instanceof Dense
              ? new Sequential(layer)
              : new Sequential(dev.nerve.tensor.Shape.of(1, 4, 4), layer);
      net.initialize(new Rng(1));
      int in = layer instanceof Dense ? 3 : 16;
      Tensor x = Tensor.zeros(2, in);
      Rng r = new Rng(2);
      for (int i = 0; i < x.size(); i++) {
        x.data()[i] = r.nextFloat() - 0.5f;
      }
      Tensor out = net.forward(x, true);
      Tensor dy = out.copy();
      for (Parameter p : net.parameters()) {
        p.zeroGradInPlace();
      }
      net.backward(dy, false);
      float[][] once = grads(net);
      net.backward(dy, false);
      float[][] twice = grads(net);
      for (int k = 0; k < once.length; k++) {
        for (int i = 0; i < once[k].length; i++) {
          assertTrue(
              Math.abs(twice[k][i] - 2 * once[k][i]) <= 1e-6f * Math.max(1, Math.abs(once[k][i])),
              layer + " parameter " + k + " element " + i + " adds up");
        }
      }
      for (Parameter p : net.parameters()) {
        p.zeroGradInPlace();
      }
      net.backward(dy, false);
      float[][] again = grads(net);
      for (int k = 0; k < once.length; k++) {
        assertArrayEquals(once[k], again[k], layer + ": cleared, then the same gradient");
      }
    }
  }

  private static float[][] grads(Sequential net) {
    return net.parameters().stream().map(p -> p.grad().data().clone()).toArray(float[][]::new);
  }
}
