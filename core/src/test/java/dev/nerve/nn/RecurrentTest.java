package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient checks and behaviour of the recurrent layers and the embedding. */
class RecurrentTest {
  private static Tensor sequences(long seed, int... dims) {
    return Tensor.uniform(new Rng(seed), -1f, 1f, dims);
  }

  private static <L extends Layer> L init(L layer, long seed) {
    layer.initialize(new Rng(seed));
    return layer;
  }

  private static Recurrent.Common settings(int hidden, boolean sequences, boolean bi) {
    return new Recurrent.Common(hidden, sequences, bi, true, false);
  }

  private static List<Recurrent> every(int in, Recurrent.Common s) {
    return List.of(new RNN(in, s, false), new RNN(in, s, true), new LSTM(in, s), new GRU(in, s));
  }

  @Test
  void gradientsOfEveryCellLastStepAndSequences() {
    long seed = 1;
    for (boolean seq : new boolean[] {false, true}) {
      for (Recurrent r : every(3, settings(4, seq, false))) {
        GradientCheck.checkLayer(init(r, seed), sequences(seed + 1, 2, 4, 3), seed + 2);
        seed += 3;
      }
    }
  }

  @Test
  void gradientsBidirectionalWithLengths() {
    long seed = 20;
    int[] lengths = {5, 2, 3};
    for (boolean seq : new boolean[] {false, true}) {
      for (Recurrent r : every(2, settings(3, seq, true))) {
        GradientCheck.checkLayer(init(r, seed), sequences(seed + 1, 3, 5, 2), lengths, seed + 2);
        seed += 3;
      }
    }
  }

  @Test
  void gradientsOfStackedLayersWithLengths() {
    Sequential net =
        new Sequential(
            Shape.of(6, 3),
            new LSTM(3, settings(4, true, true)),
            new GRU(8, settings(3, true, false)),
            new RNN(3, settings(2, false, false), false),
            new Dense(2, 2));
    net.initialize(31);
    GradientCheck.checkLayer(net, sequences(32, 3, 6, 3), new int[] {6, 1, 4}, 33);
  }

  @Test
  void paddedBatchEqualsEachSequenceAloneWithoutPadding() {
    for (Recurrent r : every(3, settings(4, true, true))) {
      init(r, 40);
      int[] lengths = {5, 2, 3};
      Tensor x = sequences(41, 3, 5, 3);
      Tensor y = r.forward(x, lengths, true).copy();
      Tensor dy = sequences(42, 3, 5, 8);
      for (Parameter p : r.parameters()) {
        p.zeroGradInPlace();
      }
      Tensor dx = r.backward(dy).copy();
      List<Tensor> batchGrads = r.parameters().stream().map(p -> p.grad().copy()).toList();
      float[][] sum = new float[batchGrads.size()][];
      for (int k = 0; k < sum.length; k++) {
        sum[k] = new float[batchGrads.get(k).size()];
      }
      for (int b = 0; b < 3; b++) {
        int n = lengths[b];
        Tensor xb = Tensor.zeros(1, n, 3);
        System.arraycopy(x.data(), b * 15, xb.data(), 0, n * 3);
        Tensor yb = r.forward(xb, true);
        for (int t = 0; t < 5; t++) {
          for (int j = 0; j < 8; j++) {
            float want = t < n ? yb.data()[t * 8 + j] : 0f;
            assertEquals(want, y.data()[(b * 5 + t) * 8 + j], 1e-6, r + " y " + b + "," + t);
          }
        }
        Tensor dyb = Tensor.zeros(1, n, 8);
        System.arraycopy(dy.data(), b * 40, dyb.data(), 0, n * 8);
        for (Parameter p : r.parameters()) {
          p.zeroGradInPlace();
        }
        Tensor dxb = r.backward(dyb);
        for (int i = 0; i < 15; i++) {
          float want = i < n * 3 ? dxb.data()[i] : 0f;
          assertEquals(want, dx.data()[b * 15 + i], 1e-6, r + " dx " + b + "," + i);
        }
        for (int k = 0; k < sum.length; k++) {
          float[] g = r.parameters().get(k).grad().data();
          for (int i = 0; i < g.length; i++) {
            sum[k][i] += g[i];
          }
        }
      }
      for (int k = 0; k < sum.length; k++) {
        float[] want = sum[k];
        float[] got = batchGrads.get(k).data();
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-5, r + " " + r.parameters().get(k) + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void lastStepIsTheLastRealStepWhateverThePadding() {
    LSTM lstm = init(new LSTM(2, 3), 50);
    Tensor x = sequences(51, 1, 6, 2);
    Tensor a = lstm.forward(x, new int[] {3}, false);
    for (int i = 3 * 2; i < 12; i++) {
      x.data()[i] = 99f; // change only the padding
    }
    Tensor b = lstm.forward(x, new int[] {3}, false);
    assertArrayEquals(a.data(), b.data());
    Tensor alone = Tensor.zeros(1, 3, 2);
    System.arraycopy(x.data(), 0, alone.data(), 0, 6);
    assertArrayEquals(a.data(), lstm.forward(alone, false).data());
  }

  @Test
  void statefulPassesContinueTheSequenceAndCutTheGradient() {
    for (Recurrent r : every(2, new Recurrent.Common(3, true, false, true, false))) {
      init(r, 60);
      Tensor x = sequences(61, 2, 8, 2);
      Tensor whole = r.forward(x, false).copy();
      r.setStateful(true);
      Tensor first = Tensor.zeros(2, 5, 2);
      Tensor second = Tensor.zeros(2, 3, 2);
      for (int b = 0; b < 2; b++) {
        System.arraycopy(x.data(), b * 16, first.data(), b * 10, 10);
        System.arraycopy(x.data(), b * 16 + 10, second.data(), b * 6, 6);
      }
      Tensor y1 = r.forward(first, true).copy();
      Tensor[] afterFirst = r.state();
      Tensor y2 = r.forward(second, true).copy();
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < 15; i++) {
          assertEquals(whole.data()[b * 24 + i], y1.data()[b * 15 + i], 1e-6, r + " first");
        }
        for (int i = 0; i < 9; i++) {
          assertEquals(whole.data()[b * 24 + 15 + i], y2.data()[b * 9 + i], 1e-6, r + " second");
        }
      }
      // The carried state is a constant (the gradient is cut at the window's start): backward
      // over the second window is the gradient of a run started from that state, checked here
      // by finite differences with the state held fixed.
      r.setStateful(false);
      r.setState(afterFirst[0], afterFirst.length > 1 ? afterFirst[1] : null);
      GradientCheck.checkLayer(r, second, 62);
      r.resetState();
      assertEquals(null, r.state());
    }
  }

  @Test
  void setStateStartsFromTheGivenStateAndBatchSizeMismatchStartsFromZero() {
    LSTM lstm = init(new LSTM(2, new Recurrent.Common(3, false, false, true, false)), 70);
    Tensor x = sequences(71, 2, 4, 2);
    Tensor zero = lstm.forward(x, false).copy();
    Tensor h = sequences(72, 1, 2, 3);
    Tensor c = sequences(73, 1, 2, 3);
    lstm.setState(h, c);
    Tensor from = lstm.forward(x, false);
    assertTrue(Math.abs(from.data()[0] - zero.data()[0]) > 1e-4);
    assertArrayEquals(h.data(), lstm.state()[0].data());
    // The state set holds for every pass until it is reset (the layer is not stateful).
    assertArrayEquals(from.data(), lstm.forward(sequences(71, 2, 4, 2), false).data(), 0f);
    Tensor single = sequences(74, 1, 4, 2);
    Tensor fresh = init(new LSTM(2, 3), 70).forward(single, false);
    assertArrayEquals(fresh.data(), lstm.forward(single, false).data(), 0f);
    GradientCheck.checkLayer(lstm, x, 75); // from the set state, held constant
    lstm.resetState();
    assertArrayEquals(zero.data(), lstm.forward(x, false).data(), 0f);
    assertThrows(IllegalArgumentException.class, () -> lstm.setState(h, null));
    assertThrows(ShapeMismatchException.class, () -> lstm.setState(sequences(1, 2, 2, 3), c));
  }

  @Test
  void embeddingPaddingRowStaysZeroAndGetsNoGradient() {
    Embedding e = init(new Embedding(5, 3, 0), 80);
    for (int j = 0; j < 3; j++) {
      assertEquals(0f, e.weight().value().data()[j]);
    }
    Tensor ids = Tensor.of(new float[][] {{1, 0, 4}, {0, 0, 2}});
    Tensor y = e.forward(ids, true);
    assertEquals(Shape.of(2, 3, 3), y.shape());
    e.weight().zeroGradInPlace();
    e.backward(Tensor.full(1f, 2, 3, 3));
    float[] g = e.weight().grad().data();
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1}, g);
  }

  @Test
  void embeddingGradientByFiniteDifferences() {
    Sequential net =
        new Sequential(Shape.of(4), new Embedding(6, 3, 2), new GRU(3, 2), new Dense(2, 1));
    net.initialize(81);
    Tensor ids = Tensor.of(new float[][] {{1, 5, 2, 2}, {0, 3, 3, 2}});
    Tensor out = net.forward(ids, new int[] {2, 3}, true);
    Tensor r = Tensor.full(1f, out.shape().dims());
    net.backward(r, false);
    Parameter w = net.parameters().get(0);
    float[] v = w.value().data();
    for (int i = 0; i < v.length; i++) {
      float old = v[i];
      v[i] = old + 1e-3f;
      double plus = net.forward(ids, new int[] {2, 3}, false).sum();
      v[i] = old - 1e-3f;
      double minus = net.forward(ids, new int[] {2, 3}, false).sum();
      v[i] = old;
      double numeric = (plus - minus) / 2e-3;
      assertEquals(numeric, w.grad().data()[i], 2e-3 + 2e-2 * Math.abs(numeric), "dW[" + i + "]");
    }
    for (int j = 0; j < 3; j++) {
      assertEquals(0f, w.grad().data()[2 * 3 + j], "padding row gets no gradient");
    }
  }

  @Test
  void badTokenIdsAndShapesAreNamed() {
    Embedding e = new Embedding(5, 2);
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> e.forward(Tensor.of(new float[][] {{1, 7}}), false));
    assertTrue(bad.getMessage().contains("Embedding(num_embeddings=5"), bad.getMessage());
    assertTrue(bad.getMessage().contains("token id 7.0 at position [0, 1]"), bad.getMessage());
    assertTrue(bad.getMessage().contains("vocabulary of 5"), bad.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[][] {{1.5f}}), false));
    assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, 5));
    LSTM lstm = new LSTM(3, 4);
    ShapeMismatchException s =
        assertThrows(ShapeMismatchException.class, () -> lstm.outputShape(Shape.of(7)));
    assertTrue(s.getMessage().contains("embedding"), s.getMessage());
    assertThrows(ShapeMismatchException.class, () -> lstm.forward(Tensor.zeros(2, 5, 2), false));
    Sequential net = new Sequential(Shape.of(5, 3), new LSTM(3, 4));
    net.initialize(1);
    IllegalArgumentException len =
        assertThrows(
            IllegalArgumentException.class,
            () -> net.forward(Tensor.zeros(2, 5, 3), new int[] {6, 1}, false));
    assertTrue(len.getMessage().contains("example 0 has length 6"), len.getMessage());
  }

  @Test
  void networkJsonRoundTripsEverySetting() {
    List<Object> json =
        List.of(
            Map.of("type", "embedding", "num_embeddings", 30, "embedding_dim", 8, "padding_idx", 0),
            Map.of(
                "type", "lstm", "hidden_size", 16, "return_sequences", true, "bidirectional", true),
            Map.of("type", "gru", "hidden_size", 8, "stateful", true, "return_sequences", true),
            Map.of("type", "rnn", "hidden_size", 4, "nonlinearity", "relu", "bias", false),
            Map.of("type", "dense", "units", 3));
    List<LayerSettings> settings = json.stream().map(LayerTypes::fromJson).toList();
    LayerType.Sizes sizes = LayerTypes.walk(settings, Shape.of(12));
    assertEquals(Shape.of(3), sizes.output());
    long params =
        30 * 8
            + 2 * (4 * 16 * (8 + 16) + 2 * 4 * 16)
            + (3 * 8 * (32 + 8) + 2 * 3 * 8)
            + (4 * (8 + 4))
            + (4 * 3 + 3);
    assertEquals(params, sizes.parameters());
    List<Layer> layers = LayerTypes.build(settings, Shape.of(12));
    Sequential net = new Sequential(Shape.of(12), layers);
    assertEquals(params, net.parameterCount());
    assertEquals(LayerTypes.toJson(settings), LayerTypes.toJson(LayerTypes.describe(net.layers())));
    assertEquals(
        "LSTM(input_size=8, hidden_size=16, bidirectional=true, return_sequences=true)",
        layers.get(1).toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LayerTypes.fromJson(
                    Map.of("type", "rnn", "hidden_size", 4, "nonlinearity", "sigmoid")));
    assertTrue(e.getMessage().contains("'nonlinearity' must be one of tanh, relu"), e.getMessage());
    ShapeMismatchException s =
        assertThrows(
            ShapeMismatchException.class,
            () ->
                LayerTypes.walk(
                    List.of(LayerTypes.fromJson(Map.of("type", "gru", "hidden_size", 4))),
                    Shape.of(12)));
    assertTrue(s.getMessage().contains("embedding layer first"), s.getMessage());
  }
}
