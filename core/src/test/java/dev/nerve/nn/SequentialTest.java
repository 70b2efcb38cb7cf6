package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SequentialTest {
  @Test
  void mismatchedLayersAreRefusedWhenTheNetworkIsBuilt() {
    ShapeMismatchException e =
        assertThrows(
            ShapeMismatchException.class,
            () -> new Sequential(new Dense(4, 3), new Sigmoid(), new Dense(5, 1)));
    assertEquals(
        "layer 2 Dense(in=5, out=1) cannot follow layer 1 Sigmoid(): it expects input"
            + " [5], gets [3]",
        e.getMessage());
  }

  @Test
  void wrongInputNamesTheLayerAndBothShapes() {
    Sequential net = new Sequential(new Dense(4, 3), new Sigmoid()).initialize(1);
    ShapeMismatchException e =
        assertThrows(ShapeMismatchException.class, () -> net.predict(Tensor.zeros(3, 5)));
    assertEquals(
        "layer 0 Dense(in=4, out=3): expected input [batch, 4], got [3, 5]", e.getMessage());
  }

  @Test
  void uninitialisedNetworksSaySo() {
    Sequential net = new Sequential(new Dense(2, 1));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> net.predict(Tensor.zeros(1, 2)));
    assertTrue(e.getMessage().contains("call initialize(seed) or load weights"), e.getMessage());
  }

  @Test
  void sameSeedSameWeights() {
    Sequential a = new Sequential(new Dense(5, 4), new ReLU(), new Dense(4, 2)).initialize(77);
    Sequential b = new Sequential(new Dense(5, 4), new ReLU(), new Dense(4, 2)).initialize(77);
    for (int i = 0; i < a.parameters().size(); i++) {
      assertEquals(
          java.util.Arrays.toString(a.parameters().get(i).value().data()),
          java.util.Arrays.toString(b.parameters().get(i).value().data()));
    }
  }

  @Test
  void summaryListsLayersShapesAndParameters() {
    Sequential net = new Sequential(new Dense(4, 3), new Sigmoid(), new Dense(3, 1, false));
    String s = net.summary();
    assertTrue(s.contains("Dense(in=4, out=3)"), s);
    assertTrue(s.contains("[*, 3]"), s);
    assertTrue(s.endsWith("total parameters: 18"), s);
    assertEquals(18, net.parameterCount());
  }

  @Test
  void summaryColumnsWidenForLongLayerNames() {
    Sequential net =
        new Sequential(
            dev.nerve.tensor.Shape.of(24),
            new Embedding(56, 32, 0),
            new GRU(32, new Recurrent.Common(128, false, true, true, false)),
            new Dense(256, 8));
    String[] lines = net.summary().split("\n");
    int column = lines[0].indexOf("output");
    assertEquals("[*, 24, 32]", lines[1].substring(column, column + 11), net.summary());
    assertEquals("[*, 256]", lines[2].substring(column, column + 8), net.summary());
  }

  @Test
  void inferenceForwardKeepsNoStateAndMatchesTraining() {
    Sequential net = new Sequential(new Dense(3, 2), new Tanh()).initialize(5);
    Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {-1, 0, 1}});
    Tensor a = net.forward(x, true).copy();
    Tensor b = net.predict(x);
    assertEquals(java.util.Arrays.toString(a.data()), java.util.Arrays.toString(b.data()));
  }

  @Test
  void oneLayerObjectInTwoPlacesIsRefused() {
    Sigmoid s = new Sigmoid();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Sequential(new Dense(4, 4), s, new Dense(4, 4), s));
    assertTrue(e.getMessage().startsWith("layer 3 Sigmoid() is the same object"), e.getMessage());
  }
}
