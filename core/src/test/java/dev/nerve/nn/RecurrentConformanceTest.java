package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Embedding, RNN, LSTM and GRU against PyTorch: from the same input and weights (loaded by their
 * {@code state_dict} names with {@code _l0} dropped), the same outputs and gradients within 1e-4,
 * in one and both directions, last step and every step, with and without padded sequences (fixture
 * and script: {@code reference/recurrent_torch.py}).
 */
class RecurrentConformanceTest {
  private static Map<?, ?> ref(String key) throws Exception {
    return (Map<?, ?>) Reference.json("recurrent_torch.json").get(key);
  }

  private static float[] floats(Object list) {
    double[] v = Reference.flat(list);
    float[] f = new float[v.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static int[] ints(Object list) {
    double[] v = Reference.flat(list);
    int[] out = new int[v.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) v[i];
    }
    return out;
  }

  private static void close(String what, Object want, float[] got) {
    double[] w = Reference.flat(want);
    assertEquals(w.length, got.length, what + " length");
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], 1e-5 + 1e-4 * Math.abs(w[i]), what + "[" + i + "]");
    }
  }

  /**
   * The PyTorch name of one of our parameters: {@code weight_ih_reverse} is {@code ..._l0_reverse}.
   */
  static String torchName(String ours) {
    return ours.endsWith("_reverse")
        ? ours.substring(0, ours.length() - "_reverse".length()) + "_l0_reverse"
        : ours + "_l0";
  }

  private static void check(String key) throws Exception {
    Map<?, ?> m = ref(key);
    int inputs = ((Number) m.get("inputs")).intValue();
    Recurrent.Common common =
        new Recurrent.Common(
            ((Number) m.get("hidden")).intValue(),
            (Boolean) m.get("sequences"),
            (Boolean) m.get("bidirectional"),
            true,
            false);
    Recurrent layer =
        switch ((String) m.get("kind")) {
          case "rnn" -> new RNN(inputs, common, (Boolean) m.get("relu"));
          case "lstm" -> new LSTM(inputs, common);
          default -> new GRU(inputs, common);
        };
    Map<?, ?> weights = (Map<?, ?>) m.get("weights");
    assertEquals(weights.size(), layer.parameters().size(), key + ": parameter count");
    for (Parameter p : layer.parameters()) {
      Map<?, ?> w = (Map<?, ?>) weights.get(torchName(p.name()));
      float[] v = floats(w.get("value"));
      assertEquals(v.length, p.value().size(), key + " " + p.name() + " size");
      System.arraycopy(v, 0, p.value().data(), 0, v.length);
    }
    Tensor x = Tensor.wrap(floats(m.get("x")), ints(m.get("x_shape")));
    int[] lengths = m.get("lengths") == null ? null : ints(m.get("lengths"));
    Tensor y = layer.forward(x, lengths, true);
    assertEquals(List.of(Reference.flat(m.get("y_shape")).length), List.of(y.rank()));
    close(key + " y", m.get("y"), y.data());
    Tensor dx = layer.backward(Tensor.wrap(floats(m.get("r")), y.shape().dims()));
    close(key + " dx", m.get("dx"), dx.data());
    for (Parameter p : layer.parameters()) {
      Map<?, ?> w = (Map<?, ?>) weights.get(torchName(p.name()));
      close(key + " d" + p.name(), w.get("grad"), p.grad().data());
    }
    // Inference gives the training pass's output.
    close(key + " y (inference)", m.get("y"), layer.forward(x, lengths, false).data());
  }

  @Test
  void rnnMatchesPyTorch() throws Exception {
    for (String c :
        List.of("_last", "_seq", "_bi_seq_lengths", "_bi_last_lengths", "_last_lengths")) {
      check("rnn" + c);
    }
    check("rnn_relu_seq_lengths");
  }

  @Test
  void lstmMatchesPyTorch() throws Exception {
    for (String c :
        List.of("_last", "_seq", "_bi_seq_lengths", "_bi_last_lengths", "_last_lengths")) {
      check("lstm" + c);
    }
  }

  @Test
  void gruMatchesPyTorch() throws Exception {
    for (String c :
        List.of("_last", "_seq", "_bi_seq_lengths", "_bi_last_lengths", "_last_lengths")) {
      check("gru" + c);
    }
  }

  @Test
  void embeddingMatchesPyTorch() throws Exception {
    Map<?, ?> m = ref("embedding");
    Embedding e = new Embedding(7, 3, 0);
    float[] w = floats(m.get("weight"));
    System.arraycopy(w, 0, e.weight().value().data(), 0, w.length);
    int[] ids = ints(m.get("ids"));
    float[] xs = new float[ids.length];
    for (int i = 0; i < ids.length; i++) {
      xs[i] = ids[i];
    }
    Tensor x = Tensor.wrap(xs, ints(m.get("ids_shape")));
    Tensor y = e.forward(x, true);
    close("embedding y", m.get("y"), y.data());
    e.weight().zeroGradInPlace();
    assertNull(e.backward(Tensor.wrap(floats(m.get("r")), y.shape().dims())));
    close("embedding dweight", m.get("dweight"), e.weight().grad().data());
  }
}
