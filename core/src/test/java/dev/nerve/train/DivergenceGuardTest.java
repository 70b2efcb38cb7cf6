package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.loss.MeanSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NaN or infinity anywhere — a parameter, a layer's output, a gradient — stops training with the
 * epoch, the batch and the layer named, before a bad gradient reaches the weights.
 */
class DivergenceGuardTest {
  private static final Tensor X = Tensor.uniform(new Rng(1), -1, 1, 8, 3);
  private static final Tensor Y = Tensor.uniform(new Rng(2), -1, 1, 8, 1);

  private static DivergenceException fails(Sequential n) {
    return assertThrows(
        DivergenceException.class,
        () ->
            Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
                .epochs(3)
                .batchSize(4)
                .noShuffle()
                .build()
                .fit(X, Y));
  }

  @Test
  void aBadParameterIsNamed() {
    Sequential n = new Sequential(new Dense(3, 4), new Tanh(), new Dense(4, 1)).initialize(1);
    n.layer(2).parameters().get(0).value().data()[1] = Float.NaN;
    DivergenceException e = fails(n);
    assertEquals(1, e.epoch());
    assertEquals(1, e.batch());
    assertEquals(2, e.layer());
    assertEquals("layer 2 Dense(in=4, out=1)'s weight is NaN", e.what());
  }

  @Test
  void anOverflowingOutputIsNamed() {
    // No squashing activation: tanh(inf) = 1 would hide the overflow from the loss.
    Sequential n = new Sequential(new Dense(3, 4), new Dense(4, 1)).initialize(1);
    n.layer(0).parameters().get(0).value().fillInPlace(Float.MAX_VALUE);
    Tensor ones = Tensor.full(1f, 8, 3);
    DivergenceException e =
        assertThrows(
            DivergenceException.class,
            () ->
                Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
                    .batchSize(4)
                    .build()
                    .fit(ones, Y));
    assertEquals(0, e.layer());
    assertTrue(
        e.what().startsWith("the output of layer 0 Dense(in=3, out=4) is infinite"), e.what());
  }

  /** A layer with one weight whose gradient becomes infinite at the second batch. */
  private static final class BadGradient implements Layer {
    final Parameter w = new Parameter("weight", Tensor.full(1f, 1));
    int calls;

    @Override
    public Shape outputShape(Shape input) {
      return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
      return x.scale(w.value().data()[0]);
    }

    @Override
    public Tensor backward(Tensor dy) {
      w.grad().data()[0] += ++calls == 2 ? Float.POSITIVE_INFINITY : 0.01f;
      return dy.scale(w.value().data()[0]);
    }

    @Override
    public List<Parameter> parameters() {
      return List.of(w);
    }
  }

  @Test
  void aBadGradientIsNamedBeforeItReachesTheWeights() {
    BadGradient bad = new BadGradient();
    Sequential n = new Sequential(new Dense(3, 1), bad).initialize(1);
    DivergenceException e = fails(n);
    assertEquals(1, e.epoch());
    assertEquals(2, e.batch());
    assertEquals(1, e.layer());
    assertTrue(e.what().startsWith("the gradient of layer 1 "), e.what());
    assertTrue(e.what().endsWith("'s weight is infinite"), e.what());
    // The update of batch 2 was not made: the weights are those after batch 1, all finite.
    for (Parameter p : n.parameters()) {
      assertTrue(p.value().allFinite());
    }
    assertEquals(1f - 0.1f * 0.01f, bad.w.value().data()[0], 1e-7);
  }

  @Test
  void theFiniteCheckSeesEveryPositionAndKind() {
    for (int n : new int[] {0, 1, 3, 4, 5, 17}) {
      float[] x = new float[n];
      assertTrue(ElementWise.allFinite(x, n));
      for (int i = 0; i < n; i++) {
        for (float bad :
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
          float[] y = x.clone();
          y[i] = bad;
          assertFalse(ElementWise.allFinite(y, n), n + " " + i + " " + bad);
        }
      }
    }
    float[] big = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f};
    assertTrue(ElementWise.allFinite(big, 4), "extremes are finite and do not overflow the check");
    assertArrayEquals(new float[] {Float.MAX_VALUE}, new float[] {big[0]});
  }
}
